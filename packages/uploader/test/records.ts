import type { InstanceRecord } from '../src/instance-record.js';
import { buildStudyTree, type SeriesNode } from '../src/study-tree.js';

/** A CT instance record with plausible attributes; override any field. */
export function record(overrides: Partial<InstanceRecord> & { sopInstanceUID: string }): InstanceRecord {
  return {
    path: `${overrides.sopInstanceUID}.dcm`,
    size: 1000,
    sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
    studyInstanceUID: '1.9',
    seriesInstanceUID: '1.9.1',
    transferSyntaxUID: '1.2.840.10008.1.2.1',
    modality: 'CT',
    patient: { patientID: 'P1', patientName: 'DOE^JANE', birthDate: '19610407', sex: 'F' },
    study: { studyDate: '20260302', studyDescription: 'PLANNING' },
    seriesAttributes: { seriesNumber: 1 },
    hasEncryptedAttributes: false,
    references: [],
    ...overrides,
  };
}

/** The series of the given records (all studies flattened). */
export function seriesOf(records: readonly InstanceRecord[]): SeriesNode[] {
  return buildStudyTree(records).flatMap((s) => s.series);
}
