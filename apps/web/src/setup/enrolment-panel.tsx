import { enrolSubject, SEXES, type Sex, type StudyOfUser } from '@courier/api';
import { type ReactNode, useState } from 'react';
import { call } from '../api/client.js';
import { ErrorText } from '../components/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { useSave } from './use-save.js';

/**
 * Enrols a subject at a site (the Portal generates the pseudonym and schedules the events); the
 * subject list itself is the Subjects tab.
 *
 * @example
 * <EnrolmentPanel study={study} />
 */
export function EnrolmentPanel({ study }: { study: StudyOfUser }): ReactNode {
  const { t } = useI18n();
  const save = useSave();
  const [siteId, setSiteId] = useState(study.sites[0]?.id ?? '');
  const [label, setLabel] = useState('');
  const [sex, setSex] = useState<Sex>('F');
  const [birthDate, setBirthDate] = useState('');
  return (
    <section data-testid="enrolment-panel">
      <form
        className="inline-form"
        data-testid="enrol-form"
        onSubmit={async (event) => {
          event.preventDefault();
          const ok = await save.run(
            () =>
              call(enrolSubject, {
                params: { studyId: study.id },
                body: { siteId, label: label.trim(), sex, birthDate },
              }),
            [['subjects', study.id]],
          );
          if (ok) setLabel('');
        }}
      >
        <label>
          {t('subjects.site')}
          <select data-testid="enrol-site" value={siteId} onChange={(e) => setSiteId(e.target.value)} required>
            {study.sites.map((site) => (
              <option key={site.id} value={site.id}>
                {site.code} — {site.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('setup.label')}
          <input data-testid="enrol-label" value={label} onChange={(e) => setLabel(e.target.value)} required />
        </label>
        <label>
          {t('subjects.sex')}
          <select data-testid="enrol-sex" value={sex} onChange={(e) => setSex(e.target.value as Sex)}>
            {SEXES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('setup.birthDate')}
          <input
            type="date"
            data-testid="enrol-birth-date"
            value={birthDate}
            onChange={(e) => setBirthDate(e.target.value)}
            required
          />
        </label>
        <button type="submit" className="primary" disabled={save.busy} data-testid="enrol-submit">
          {t('setup.enrol')}
        </button>
      </form>
      {save.error !== null && <ErrorText error={save.error} />}
    </section>
  );
}
