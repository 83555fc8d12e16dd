import {
  endpointPath,
  exportOdmClinicalData,
  importOdm,
  type OdmAction,
  type OdmImportResult,
  previewOdmImport,
  type StudyOfUser,
} from '@courier/api';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { call } from '../api/client.js';
import { ErrorText } from '../components/error-text.js';
import { useToast } from '../components/toast.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * CDISC ODM: pick an ODM 1.3 study definition (e.g. an OpenClinica metadata export), see what an
 * import would create, link or update, import it; and download the slot values as ODM ClinicalData.
 *
 * @example
 * <OdmPanel study={study} />
 */
export function OdmPanel({ study }: { study: StudyOfUser }): ReactNode {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [odm, setOdm] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [result, setResult] = useState<OdmImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const actionText = (action: OdmAction) => t(`odm.action.${action}`);

  async function run(endpoint: typeof previewOdmImport | typeof importOdm) {
    if (odm === null) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await call(endpoint, { params: { studyId: study.id }, body: { odm } });
      setResult(answer);
      if (answer.applied) {
        await queryClient.invalidateQueries({ queryKey: ['event-definitions', study.id] });
        toast(t('odm.imported'));
      }
    } catch (caught) {
      setError(caught);
      setResult(null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section data-testid="odm-panel">
      <p className="hint">{t('odm.intro')}</p>
      <div className="inline-form">
        <label>
          {t('odm.file')}
          <input
            type="file"
            accept=".xml,.odm,application/xml,text/xml"
            data-testid="odm-file"
            onChange={async (event) => {
              const file = event.target.files?.[0];
              setResult(null);
              setError(null);
              setFileName(file?.name ?? '');
              setOdm(file === undefined ? null : await file.text());
            }}
          />
        </label>
        <button
          type="button"
          disabled={odm === null || busy}
          onClick={() => run(previewOdmImport)}
          data-testid="odm-preview"
        >
          {t('odm.preview')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={odm === null || busy || result === null || result.applied}
          onClick={() => run(importOdm)}
          data-testid="odm-import"
        >
          {t('odm.import')}
        </button>
      </div>
      {error !== null && <ErrorText error={error} />}
      {result !== null && (
        <div data-testid="odm-result">
          <p data-testid="odm-result-summary">
            {t(result.applied ? 'odm.appliedSummary' : 'odm.previewSummary', {
              file: fileName,
              study: `${result.studyName} (${result.studyOid}, ${result.metaDataVersionOid})`,
            })}
          </p>
          <table className="data-table" data-testid="odm-result-table">
            <thead>
              <tr>
                <th scope="col">{t('setup.event')}</th>
                <th scope="col">{t('setup.slotLabel')}</th>
                <th scope="col">{t('odm.modalities')}</th>
                <th scope="col">OID</th>
                <th scope="col">{t('odm.action')}</th>
              </tr>
            </thead>
            <tbody>
              {result.events.flatMap((event) => [
                <tr key={event.studyEventOid} data-testid="odm-result-event">
                  <th scope="row" colSpan={3}>
                    {event.name}
                    {event.repeating ? ` (${t('setup.repeating')})` : ''}
                  </th>
                  <td>{event.studyEventOid}</td>
                  <td>{actionText(event.action)}</td>
                </tr>,
                ...event.slots.map((slot) => (
                  <tr key={`${event.studyEventOid}/${slot.itemOid}`} data-testid="odm-result-slot">
                    <td />
                    <td>{slot.label}</td>
                    <td>{slot.modalities.join(', ') || t('common.none')}</td>
                    <td>{slot.itemOid}</td>
                    <td>{actionText(slot.action)}</td>
                  </tr>
                )),
              ])}
            </tbody>
          </table>
          {result.skippedEvents.length > 0 && (
            <p data-testid="odm-skipped">
              {t('odm.skipped', { events: result.skippedEvents.map((e) => e.name).join(', ') })}
            </p>
          )}
          {result.warnings.length > 0 && (
            <ul className="notice" data-testid="odm-warnings">
              {result.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <h2>{t('odm.exportTitle')}</h2>
      <p className="hint">{t('odm.exportIntro')}</p>
      <a href={endpointPath(exportOdmClinicalData, { studyId: study.id })} download data-testid="odm-export">
        {t('odm.export')}
      </a>
    </section>
  );
}
