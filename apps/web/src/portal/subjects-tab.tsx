import { listSubjectEvents, listSubjects, type StudyOfUser, type Subject } from '@courier/api';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { type ReactNode, useDeferredValue, useMemo, useState } from 'react';
import { call } from '../api/client.js';
import { csvFileName, downloadCsv } from '../components/csv-export.js';
import { DataTable } from '../components/data-table.js';
import { ErrorText } from '../components/error-text.js';
import { useToast } from '../components/toast.js';
import { useI18n } from '../i18n/i18n.js';
import type { PacsSelection } from './pacs-selection.js';

/** Subjects per page. */
export const SUBJECT_PAGE_SIZE = 20;

const column = createColumnHelper<Subject>();

/**
 * The subject table: search by label or pseudonym, paging; the server returns only the subjects of
 * the sites the user sees. Picking a subject loads its events, says so in a toast and moves on to
 * the Events tab.
 *
 * @example
 * <SubjectsTab study={study} selection={selection} />
 */
export function SubjectsTab({ study, selection }: { study: StudyOfUser; selection: PacsSelection }): ReactNode {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const q = useDeferredValue(search.trim());
  const page = useQuery({
    queryKey: ['subjects', study.id, q, offset],
    queryFn: () =>
      call(listSubjects, { params: { studyId: study.id }, query: { q, offset, limit: SUBJECT_PAGE_SIZE } }),
    placeholderData: keepPreviousData,
  });
  const siteCode = useMemo(() => new Map(study.sites.map((site) => [site.id, site.code])), [study.sites]);
  const columns = useMemo(
    () => [
      column.accessor('label', { header: t('subjects.label') }),
      column.accessor('pseudonym', { header: t('subjects.pseudonym') }),
      column.accessor((s) => siteCode.get(s.siteId) ?? s.siteId, { id: 'site', header: t('subjects.site') }),
      column.accessor('sex', { header: t('subjects.sex') }),
      column.accessor('birthYear', { header: t('subjects.birthYear') }),
      column.accessor('enrolmentDate', { header: t('subjects.enrolment') }),
      column.accessor((s) => t(`status.${s.status}`), { id: 'status', header: t('subjects.status') }),
    ],
    [t, siteCode],
  );

  const pick = async (subject: Subject) => {
    try {
      const events = await queryClient.fetchQuery({
        queryKey: ['events', study.id, subject.id],
        queryFn: () => call(listSubjectEvents, { params: { studyId: study.id, subjectId: subject.id } }),
      });
      toast(t('toast.eventsLoaded', { count: events.length, label: subject.label }));
      selection.select({ subjectId: subject.id, eventId: null, tab: 'events' });
    } catch (error) {
      toast(t('common.error', { message: error instanceof Error ? error.message : String(error) }), 'error');
    }
  };

  // CSV of every subject the search matches (all pages, the sites the user sees), not only this page.
  const exportCsv = async () => {
    try {
      const all: Subject[] = [];
      for (let from = 0; ; from += 200) {
        const chunk = await call(listSubjects, {
          params: { studyId: study.id },
          query: { q, offset: from, limit: 200 },
        });
        all.push(...chunk.items);
        if (chunk.items.length === 0 || all.length >= chunk.total) break;
      }
      const header = ['label', 'pseudonym', 'site', 'sex', 'birthYear', 'enrolment', 'status'] as const;
      downloadCsv(
        csvFileName('subjects', study.identifier),
        header.map((key) => t(`subjects.${key}`)),
        all.map((s) => [
          s.label,
          s.pseudonym,
          siteCode.get(s.siteId) ?? s.siteId,
          s.sex,
          s.birthYear,
          s.enrolmentDate,
          t(`status.${s.status}`),
        ]),
      );
    } catch (error) {
      toast(t('common.error', { message: error instanceof Error ? error.message : String(error) }), 'error');
    }
  };

  const data = page.data;
  return (
    <section data-testid="subjects-panel">
      <div className="toolbar">
        <input
          type="search"
          className="search"
          data-testid="subject-search"
          aria-label={t('common.search')}
          placeholder={t('subjects.searchPlaceholder')}
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            setOffset(0);
          }}
        />
        <span className="spacer" />
        <button
          type="button"
          data-testid="export-subjects"
          aria-label={t('csv.exportLabel', { table: t('csv.subjects') })}
          onClick={exportCsv}
        >
          {t('csv.export')}
        </button>
      </div>
      {page.error && <ErrorText error={page.error} />}
      <DataTable
        testId="subjects-table"
        data={data?.items ?? []}
        columns={columns}
        rowKey={(s) => s.id}
        onRowClick={pick}
        selectedKey={selection.subjectId}
        emptyText={page.isLoading ? t('common.loading') : undefined}
      />
      {data !== undefined && (
        <div className="pager" data-testid="subjects-pager">
          <button
            type="button"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - SUBJECT_PAGE_SIZE))}
          >
            {t('common.previous')}
          </button>
          <span data-testid="subjects-page-info">
            {t('common.pageInfo', {
              from: data.total === 0 ? 0 : offset + 1,
              to: Math.min(offset + SUBJECT_PAGE_SIZE, data.total),
              total: data.total,
            })}
          </span>
          <button
            type="button"
            disabled={offset + SUBJECT_PAGE_SIZE >= data.total}
            onClick={() => setOffset(offset + SUBJECT_PAGE_SIZE)}
          >
            {t('common.next')}
          </button>
        </div>
      )}
    </section>
  );
}
