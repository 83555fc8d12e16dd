import { createSite, type Site, type StudyOfUser } from '@courier/api';
import { createColumnHelper } from '@tanstack/react-table';
import { type ReactNode, useMemo, useState } from 'react';
import { call } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { ErrorText } from '../components/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { useSave } from './use-save.js';

const column = createColumnHelper<Site>();

/**
 * The study's sites and a form to add one.
 *
 * @example
 * <SitesPanel study={study} />
 */
export function SitesPanel({ study }: { study: StudyOfUser }): ReactNode {
  const { t } = useI18n();
  const save = useSave();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const columns = useMemo(
    () => [column.accessor('code', { header: t('setup.code') }), column.accessor('name', { header: t('setup.name') })],
    [t],
  );
  return (
    <section data-testid="sites-panel">
      <DataTable testId="sites-table" data={study.sites} columns={columns} rowKey={(s) => s.id} />
      <form
        className="inline-form"
        data-testid="site-form"
        onSubmit={async (event) => {
          event.preventDefault();
          const ok = await save.run(
            () => call(createSite, { params: { studyId: study.id }, body: { code: code.trim(), name: name.trim() } }),
            [['studies']],
          );
          if (ok) {
            setCode('');
            setName('');
          }
        }}
      >
        <label>
          {t('setup.code')}
          <input data-testid="site-code" value={code} onChange={(e) => setCode(e.target.value)} required />
        </label>
        <label>
          {t('setup.name')}
          <input data-testid="site-name" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <button type="submit" className="primary" disabled={save.busy} data-testid="site-submit">
          {t('setup.addSite')}
        </button>
      </form>
      {save.error !== null && <ErrorText error={save.error} />}
    </section>
  );
}
