import type { StudyNode } from '@courier/uploader';
import { createColumnHelper } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { DataTable } from '../components/data-table.js';
import { useI18n } from '../i18n/i18n.js';
import { formatDicomDate } from './dicom-format.js';

interface StudyRow {
  index: number;
  study: StudyNode;
}
const column = createColumnHelper<StudyRow>();

/**
 * Shown when the drop holds more than one DICOM study: the user picks the one for the slot.
 *
 * @example
 * <StudyChooser studies={result.studies} onChoose={(i) => dispatch({ type: 'chooseStudy', index: i })} />
 */
export function StudyChooser(props: { studies: readonly StudyNode[]; onChoose(index: number): void }): ReactNode {
  const { t } = useI18n();
  const first = (s: StudyNode) => s.series[0]?.instances[0]?.study;
  const columns = [
    column.accessor((r) => formatDicomDate(first(r.study)?.studyDate), { id: 'date', header: t('study.date') }),
    column.accessor((r) => first(r.study)?.studyDescription ?? '', {
      id: 'description',
      header: t('study.description'),
    }),
    column.accessor((r) => r.study.series.map((s) => s.modality).join(', '), {
      id: 'series',
      header: t('study.series'),
    }),
    column.accessor((r) => r.study.instanceCount, { id: 'instances', header: t('study.instances') }),
    column.display({
      id: 'choose',
      header: '',
      cell: ({ row }) => (
        <button
          type="button"
          className="primary small"
          data-testid="study-choose"
          onClick={() => props.onChoose(row.original.index)}
        >
          {t('study.pick')}
        </button>
      ),
    }),
  ];
  return (
    <section data-testid="study-chooser-panel">
      <p>{t('study.choose', { count: props.studies.length })}</p>
      <DataTable
        testId="studies-table"
        data={props.studies.map((study, index) => ({ study, index }))}
        columns={columns}
        rowKey={(r) => r.study.studyInstanceUID}
      />
    </section>
  );
}
