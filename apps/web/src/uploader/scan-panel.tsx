import { acknowledgeWarning, type ScanProgress, selectedSeries } from '@courier/uploader';
import { type ReactNode, useEffect, useReducer, useRef, useState } from 'react';
import { ErrorText } from '../components/error-text.js';
import { Tabs } from '../components/tabs.js';
import { useI18n } from '../i18n/i18n.js';
import { CountersBar } from './counters-bar.js';
import { DetailsDialog } from './details-dialog.js';
import { Dropzone } from './dropzone.js';
import { IgnoredDialog } from './ignored-dialog.js';
import { IssuesDialog } from './issues-dialog.js';
import { RtSeriesTree } from './rt-series-tree.js';
import { type DroppedFile, runScan } from './run-scan.js';
import { type SanityContext, sanityView } from './sanity.js';
import { counters, IDLE, ignoredFiles, scanReducer } from './scan-state.js';
import { type SeriesRow, SeriesTable } from './series-table.js';
import { StudyChooser } from './study-chooser.js';
import { filesForRecords, selectedRecords } from './upload-items.js';
import { UploadPanel, type UploadPanelProps } from './upload-panel.js';

/**
 * Dropzone → scan in workers → counters, Ignored popup, study choice, series table with Details,
 * and the RT Series tab with selection.
 *
 * @example
 * <ScanPanel sanity={{ subject: { sex: 'F' }, slot: { expectedModalities: ['RTDOSE'] } }} />
 */
export function ScanPanel({
  sanity,
  upload,
}: {
  sanity: SanityContext;
  /** The upload session opened by Connect; without one "Upload" stays disabled. */
  upload?: { uploadId: string; slotHolds: string | null };
}): ReactNode {
  const { t } = useI18n();
  const [state, dispatch] = useReducer(scanReducer, IDLE);
  const [showIgnored, setShowIgnored] = useState(false);
  const [details, setDetails] = useState<SeriesRow | null>(null);
  const [view, setView] = useState<'series' | 'rt'>('series');
  const [showIssues, setShowIssues] = useState(false);
  const checks = sanityView(state, sanity);
  const abort = useRef<AbortController | null>(null);
  // The dropped Files by the path the scan recorded: the upload reads them again as Blob slices.
  const dropped = useRef(new Map<string, File>());
  const [job, setJob] = useState<Omit<UploadPanelProps, 'onClose'> | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const start = async (files: DroppedFile[]) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    dropped.current = new Map(files.map((f) => [f.path, f.file]));
    setJob(null);
    dispatch({ type: 'drop', files: files.length });
    const onProgress = (progress: ScanProgress) => dispatch({ type: 'progress', progress });
    try {
      const result = await runScan(files, onProgress, controller.signal);
      if (!controller.signal.aborted) dispatch({ type: 'done', result });
    } catch (error) {
      if (!controller.signal.aborted)
        dispatch({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const study =
    state.step === 'scanned' && state.studyIndex !== null ? state.result.studies[state.studyIndex] : undefined;
  return (
    <section className="panel" data-testid="scan-panel" data-state={state.step}>
      <Dropzone onFiles={start} disabled={state.step === 'scanning'} />
      <CountersBar counters={counters(state)} state={state.step} onIgnored={() => setShowIgnored(true)} />
      {state.step === 'scanning' && (
        <p className="hint" role="status" data-testid="scan-progress">
          {t('scan.scanning', { read: state.progress.filesRead, total: state.progress.total })}
        </p>
      )}
      {state.step === 'failed' && <ErrorText error={new Error(t('scan.failed', { message: state.message }))} />}
      {state.step === 'scanned' && state.studyIndex === null && state.result.studies.length > 1 && (
        <StudyChooser studies={state.result.studies} onChoose={(index) => dispatch({ type: 'chooseStudy', index })} />
      )}
      {state.step === 'scanned' && study !== undefined && state.graph !== null && (
        <>
          {state.result.studies.length > 1 && (
            <button
              type="button"
              className="link"
              data-testid="study-change"
              onClick={() => dispatch({ type: 'chooseStudy', index: null })}
            >
              {t('study.change')}
            </button>
          )}
          <Tabs<'series' | 'rt'>
            testId="series-tabs"
            active={view}
            onChange={setView}
            items={[
              { key: 'series', label: t('series.tab') },
              { key: 'rt', label: t('series.rtTab') },
            ]}
          />
          {view === 'series' ? (
            <SeriesTable
              series={study.series}
              graph={state.graph}
              selection={state.selection}
              onSelect={(selection) => dispatch({ type: 'select', selection })}
              onDetails={setDetails}
              flagged={checks?.flaggedSeries ?? new Set()}
            />
          ) : (
            <RtSeriesTree
              series={study.series}
              graph={state.graph}
              selection={state.selection}
              onSelect={(selection) => dispatch({ type: 'select', selection })}
            />
          )}
        </>
      )}
      {state.step === 'scanned' && study !== undefined && (
        <div className="upload-bar" data-testid="upload-bar">
          {checks === null ? (
            <span className="hint">{t('uploadBar.select')}</span>
          ) : checks.gate.blocked ? (
            <button type="button" className="warn" data-testid="issues-button" onClick={() => setShowIssues(true)}>
              {t('issues.button')} ({checks.gate.errors.length + checks.gate.unacknowledged.length})
            </button>
          ) : (
            <>
              <button
                type="button"
                className="primary"
                data-testid="upload-button"
                disabled={upload === undefined || job !== null || state.graph === null}
                onClick={async () => {
                  if (upload === undefined || state.graph === null) return;
                  const chosen = selectedSeries(state.graph, state.selection);
                  // Nothing is read here: the upload worker reads the files.
                  const records = selectedRecords(study.series, chosen);
                  const { files, missing } = filesForRecords(records, dropped.current);
                  setJob({ ...upload, records, files, missing: missing.length });
                }}
              >
                {t('uploadBar.upload')}
              </button>
              {upload === undefined && <span className="hint">{t('uploadBar.pending')}</span>}
            </>
          )}
        </div>
      )}
      {job !== null && <UploadPanel {...job} onClose={() => undefined} />}
      {checks !== null && (
        <IssuesDialog
          open={showIssues}
          results={checks.results}
          gate={checks.gate}
          onClose={() => setShowIssues(false)}
          onAcknowledge={(result) =>
            state.step === 'scanned' &&
            dispatch({
              type: 'acknowledge',
              acknowledgements: acknowledgeWarning(state.acknowledgements, result, {
                acknowledgedAt: new Date().toISOString(),
              }),
            })
          }
        />
      )}
      <IgnoredDialog open={showIgnored} files={ignoredFiles(state)} onClose={() => setShowIgnored(false)} />
      <DetailsDialog row={details} files={dropped.current} onClose={() => setDetails(null)} />
    </section>
  );
}
