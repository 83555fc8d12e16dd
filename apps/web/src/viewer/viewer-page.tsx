import { readDicom } from '@courier/dicom';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useId, useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate, useLocation } from '../router.js';
import {
  DicomWebError,
  fetchInstance,
  type SeriesSummary,
  searchInstances,
  searchSeries,
  wadoUri,
} from './dicomweb-client.js';
import { readDoseGrid } from './dose-grid.js';
import {
  chooseRtObject,
  type OverlayModality,
  type RtObjectSummary,
  rtObjectText,
  searchRtObjects,
} from './rt-objects.js';
import { type StackStatus, StackView } from './stack-view.js';
import { readStructureSet } from './structure-set.js';
import { WINDOW_PRESETS, type WindowPreset } from './window-presets.js';
import './viewer.css';

/** Series the stack cannot show: RT objects without images, reports, presentation states… */
const NOT_A_STACK: ReadonlySet<string> = new Set(['RTSTRUCT', 'RTPLAN', 'RTDOSE', 'RTRECORD', 'SR', 'KO', 'PR', 'REG']);

/**
 * The viewer page (`/viewer?study=…&uid=…`): the study's series from the Portal's QIDO-RS, a
 * Cornerstone3D stack of the image series read through WADO-URI, window presets, the RT Structure
 * Set's contours and the RT Dose as a colour wash over the slice shown. When the study holds
 * several structure sets or doses the user picks which one to overlay; the address keeps the image
 * series, structure set and dose shown (`series`, `rtstruct`, `rtdose`: UIDs), so a reload or a
 * shared link shows the same thing. Everything goes through the
 * Portal's DICOMweb service with the session cookie, so a study the user may not see is refused
 * there (and said so here). Lazy-loaded: Cornerstone is only fetched when this page opens.
 *
 * @example
 * <ViewerPage />
 */
export function ViewerPage(): ReactNode {
  const { t } = useI18n();
  const { search } = useLocation();
  const studyUid = search.get('uid') ?? '';
  const back = new URLSearchParams({ tab: 'dicom' });
  for (const key of ['subject', 'event'] as const) {
    const value = search.get(key);
    if (value !== null) back.set(key, value);
  }
  const chosen = search.get('series');
  // Choices go into the address (replacing the entry: Back still leaves the viewer).
  const choose = (key: 'series' | 'rtstruct' | 'rtdose', value: string) => {
    const next = new URLSearchParams(search);
    next.set(key, value);
    navigate(`/viewer?${next.toString()}`, { replace: true });
  };
  const [preset, setPreset] = useState<WindowPreset | null>(null);
  const [showStructures, setShowStructures] = useState(true);
  const [showDose, setShowDose] = useState(true);
  const [status, setStatus] = useState<StackStatus | null>(null);
  const [stackError, setStackError] = useState<unknown>(null);

  const series = useQuery({
    queryKey: ['dicomweb', 'series', studyUid],
    queryFn: ({ signal }) => searchSeries(studyUid, signal),
    enabled: studyUid !== '',
    retry: false,
  });
  const stacks = (series.data ?? []).filter((s) => !NOT_A_STACK.has(s.modality.toUpperCase()));
  // CT first (the planning image of an RT study), else the first image series.
  const selected =
    stacks.find((s) => s.seriesInstanceUid === chosen) ?? stacks.find((s) => s.modality === 'CT') ?? stacks[0];
  const hasModality = (modality: OverlayModality) => series.data?.some((s) => s.modality === modality) ?? false;
  const structureSets = useQuery({
    queryKey: ['dicomweb', 'rt-objects', studyUid, 'RTSTRUCT'],
    queryFn: ({ signal }) => searchRtObjects(studyUid, 'RTSTRUCT', signal),
    enabled: hasModality('RTSTRUCT'),
    retry: false,
  });
  const doses = useQuery({
    queryKey: ['dicomweb', 'rt-objects', studyUid, 'RTDOSE'],
    queryFn: ({ signal }) => searchRtObjects(studyUid, 'RTDOSE', signal),
    enabled: hasModality('RTDOSE'),
    retry: false,
  });
  const structureSet = chooseRtObject(structureSets.data ?? [], search.get('rtstruct'));
  const doseObject = chooseRtObject(doses.data ?? [], search.get('rtdose'));

  const instances = useQuery({
    queryKey: ['dicomweb', 'instances', studyUid, selected?.seriesInstanceUid],
    queryFn: ({ signal }) => searchInstances(studyUid, selected?.seriesInstanceUid ?? '', signal),
    enabled: selected !== undefined,
    retry: false,
  });
  const imageIds = useMemo(
    () =>
      (instances.data ?? []).map(
        (i) =>
          `wadouri:${window.location.origin}${wadoUri(studyUid, selected?.seriesInstanceUid ?? '', i.sopInstanceUid)}`,
      ),
    [instances.data, studyUid, selected?.seriesInstanceUid],
  );
  const structures = useQuery({
    queryKey: ['dicomweb', 'rtstruct', studyUid, structureSet?.sopInstanceUid],
    queryFn: async () => readStructureSet(readDicom(await fetchObject(studyUid, structureSet))),
    enabled: structureSet !== undefined,
    retry: false,
  });
  const dose = useQuery({
    queryKey: ['dicomweb', 'rtdose', studyUid, doseObject?.sopInstanceUid],
    queryFn: async () => readDoseGrid(readDicom(await fetchObject(studyUid, doseObject))),
    enabled: doseObject !== undefined,
    retry: false,
  });
  // Patient coordinates mean something only within one Frame of Reference (PS3.3 C.7.4.1): an
  // overlay defined in another one would be drawn at unrelated places, so it is not drawn.
  const imageFrame = instances.data?.find((i) => i.frameOfReferenceUid !== undefined)?.frameOfReferenceUid;
  const elsewhere = (frame: string | undefined) =>
    imageFrame !== undefined && frame !== undefined && frame !== imageFrame;
  const structuresElsewhere = elsewhere(structures.data?.frameOfReferenceUid);
  const doseElsewhere = elsewhere(dose.data?.frameOfReferenceUid);
  const overlay = useMemo(
    () => ({
      ...(showStructures && structures.data && !structuresElsewhere ? { structures: structures.data } : {}),
      ...(showDose && dose.data && !doseElsewhere ? { dose: dose.data } : {}),
    }),
    [showStructures, showDose, structures.data, dose.data, structuresElsewhere, doseElsewhere],
  );

  // A link without a Study Instance UID (hand-edited URL) is "not visible", not a page loading forever.
  const missing = studyUid === '' ? new DicomWebError(404, 'no Study Instance UID in the address') : null;
  const error = missing ?? series.error ?? instances.error ?? stackError;
  const state =
    error !== null
      ? 'error'
      : status !== null
        ? 'ready'
        : series.isLoading || instances.isLoading
          ? 'loading'
          : 'loading';
  return (
    <section
      className="viewer-page"
      data-testid="viewer-page"
      data-state={state}
      data-slice={status?.index ?? ''}
      data-contours={status?.overlay.contours ?? 0}
      data-dose={status?.overlay.dose ? 'drawn' : 'none'}
      data-structure-set={structureSet?.sopInstanceUid ?? ''}
      data-dose-object={doseObject?.sopInstanceUid ?? ''}
      data-overlay-state={
        structures.isFetching || dose.isFetching || structureSets.isFetching || doses.isFetching ? 'loading' : 'loaded'
      }
    >
      <div className="toolbar">
        <h2>{t('viewer.title')}</h2>
        <code className="uid" data-testid="viewer-study-uid">
          {studyUid}
        </code>
        <span className="spacer" />
        <Link to={`/pacs?${back.toString()}`} data-testid="viewer-back">
          {t('viewer.back')}
        </Link>
      </div>
      {error !== null && (
        <p className="error" role="alert" data-testid="viewer-error">
          {errorText(t, error)}
        </p>
      )}
      {series.data !== undefined && stacks.length === 0 && (
        <p className="hint" data-testid="viewer-no-images">
          {t('viewer.noImages')}
        </p>
      )}
      {series.data !== undefined && (
        <div className="viewer-layout">
          <aside className="viewer-side">
            <h3>{t('viewer.series')}</h3>
            <ul className="viewer-series" data-testid="viewer-series">
              {(series.data ?? []).map((s) => (
                <SeriesItem
                  key={s.seriesInstanceUid}
                  series={s}
                  selected={s === selected}
                  selectable={!NOT_A_STACK.has(s.modality.toUpperCase())}
                  onSelect={() => {
                    setStatus(null);
                    choose('series', s.seriesInstanceUid);
                  }}
                />
              ))}
            </ul>
            {[structureSets, doses].map(
              (list, index) =>
                list.error !== null && (
                  <p className="error" role="alert" key={index === 0 ? 'RTSTRUCT' : 'RTDOSE'}>
                    {t('viewer.overlayFailed', {
                      modality: index === 0 ? 'RTSTRUCT' : 'RTDOSE',
                      message: messageOf(list.error),
                    })}
                  </p>
                ),
            )}
            {structureSet !== undefined && (
              <>
                <RtObjectChoice
                  modality="RTSTRUCT"
                  label={t('viewer.structureSet')}
                  objects={structureSets.data ?? []}
                  chosen={structureSet}
                  onChoose={(sop) => choose('rtstruct', sop)}
                />
                {structuresElsewhere && (
                  <p className="notice" role="status" data-testid="viewer-structures-elsewhere">
                    {t('viewer.otherFrame', { object: t('viewer.structureSet') })}
                  </p>
                )}
                <label className="checkbox viewer-toggle">
                  <input
                    type="checkbox"
                    data-testid="viewer-structures-toggle"
                    checked={showStructures}
                    onChange={(event) => setShowStructures(event.target.checked)}
                  />
                  {t('viewer.structures')} {structures.data?.label ? `(${structures.data.label})` : ''}
                </label>
                {structures.error !== null && (
                  <p className="error" role="alert">
                    {t('viewer.overlayFailed', { modality: 'RTSTRUCT', message: messageOf(structures.error) })}
                  </p>
                )}
                <ul className="viewer-rois" data-testid="viewer-rois">
                  {(structures.data?.rois ?? []).map((roi) => (
                    <li key={roi.number} data-testid="viewer-roi">
                      <span
                        className="swatch"
                        style={{ background: `rgb(${roi.color[0]}, ${roi.color[1]}, ${roi.color[2]})` }}
                      />
                      {roi.name}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {doseObject !== undefined && (
              <>
                <RtObjectChoice
                  modality="RTDOSE"
                  label={t('viewer.doseObject')}
                  objects={doses.data ?? []}
                  chosen={doseObject}
                  onChoose={(sop) => choose('rtdose', sop)}
                />
                {doseElsewhere && (
                  <p className="notice" role="status" data-testid="viewer-dose-elsewhere">
                    {t('viewer.otherFrame', { object: t('viewer.doseObject') })}
                  </p>
                )}
                <label className="checkbox viewer-toggle">
                  <input
                    type="checkbox"
                    data-testid="viewer-dose-toggle"
                    checked={showDose}
                    onChange={(event) => setShowDose(event.target.checked)}
                  />
                  {t('viewer.dose')} {dose.data ? t('viewer.doseMax', { max: dose.data.max.toFixed(1) }) : ''}
                </label>
                {dose.error !== null && (
                  <p className="error" role="alert">
                    {t('viewer.overlayFailed', { modality: 'RTDOSE', message: messageOf(dose.error) })}
                  </p>
                )}
              </>
            )}
          </aside>
          <div className="viewer-main">
            <div className="viewer-bar">
              <span>{t('viewer.presets')}:</span>
              {WINDOW_PRESETS.map((p, index) => (
                <button
                  key={p.id}
                  type="button"
                  data-testid={`viewer-preset-${p.id}`}
                  aria-pressed={preset?.id === p.id}
                  title={`${index + 1}`}
                  onClick={() => setPreset({ ...p })}
                >
                  {t(p.label)}
                </button>
              ))}
              <span className="spacer" />
              {status !== null && (
                <>
                  <span data-testid="viewer-slice">
                    {t('viewer.slice', { index: status.index + 1, count: status.count })}
                  </span>
                  {status.window && (
                    <span data-testid="viewer-window">
                      {t('viewer.window', { width: status.window.width, center: status.window.level })}
                    </span>
                  )}
                </>
              )}
            </div>
            {instances.isLoading && <p className="hint">{t('viewer.loading')}</p>}
            {imageIds.length > 0 && (
              <StackView
                imageIds={imageIds}
                overlay={overlay}
                preset={preset}
                presets={WINDOW_PRESETS}
                onPreset={(p) => setPreset({ ...p })}
                onStatus={setStatus}
                onError={setStackError}
                label={`${t('viewer.title')}: ${selected?.modality ?? ''} ${selected?.description ?? ''}`}
              />
            )}
            <p className="hint">{t('viewer.hint')}</p>
          </div>
        </div>
      )}
    </section>
  );
}

function SeriesItem(props: {
  series: SeriesSummary;
  selected: boolean;
  selectable: boolean;
  onSelect(): void;
}): ReactNode {
  const { t } = useI18n();
  const s = props.series;
  const text = [s.seriesNumber?.toString(), s.modality, s.description].filter(Boolean).join(' · ');
  const count = s.instanceCount === undefined ? '' : ` (${t('viewer.images', { count: s.instanceCount })})`;
  return (
    <li data-testid="viewer-series-row" data-modality={s.modality} data-selected={props.selected}>
      {props.selectable ? (
        <button type="button" className={props.selected ? 'link selected' : 'link'} onClick={props.onSelect}>
          {text}
          {count}
        </button>
      ) : (
        <span>
          {text}
          {count}
        </span>
      )}
    </li>
  );
}

/**
 * Which structure set or dose to overlay: a labelled list when the study holds more than one,
 * else the one object's name as text.
 */
function RtObjectChoice(props: {
  modality: OverlayModality;
  label: string;
  objects: readonly RtObjectSummary[];
  chosen: RtObjectSummary;
  onChoose(sopInstanceUid: string): void;
}): ReactNode {
  const id = useId();
  const testId = props.modality === 'RTSTRUCT' ? 'viewer-structure-choice' : 'viewer-dose-choice';
  if (props.objects.length < 2) {
    return (
      <p className="viewer-choice" data-testid={testId}>
        <span className="label">{props.label}:</span> {rtObjectText(props.chosen, props.objects)}
      </p>
    );
  }
  return (
    <div className="viewer-choice">
      <label htmlFor={id} className="label">
        {props.label}
      </label>
      <select
        id={id}
        data-testid={testId}
        value={props.chosen.sopInstanceUid}
        title={rtObjectText(props.chosen, props.objects)}
        onChange={(event) => props.onChoose(event.target.value)}
      >
        {props.objects.map((o) => (
          <option key={o.sopInstanceUid} value={o.sopInstanceUid}>
            {rtObjectText(o, props.objects)}
          </option>
        ))}
      </select>
    </div>
  );
}

async function fetchObject(studyUid: string, object: RtObjectSummary | undefined): Promise<Uint8Array> {
  if (object === undefined) throw new Error('no object chosen');
  return fetchInstance(studyUid, object.seriesInstanceUid, object.sopInstanceUid);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorText(t: ReturnType<typeof useI18n>['t'], error: unknown): string {
  if (error instanceof DicomWebError && error.code === 'NOT_VISIBLE') return t('viewer.forbidden');
  if (error instanceof DicomWebError && error.code === 'LOGIN_REQUIRED') return t('viewer.loginRequired');
  // Cornerstone's loader rejects with the XHR's status in an object, not an Error.
  const status = (error as { request?: { status?: number } } | null)?.request?.status;
  if (status === 403 || status === 404) return t('viewer.forbidden');
  return t('viewer.failed', { message: messageOf(error) });
}
