import { describe, expect, it } from 'vitest';
import { ctSeries } from '../../../bench/synthetic/ct-series.js';
import { RecordInterner } from './record-interner.js';
import { scanFiles } from './scan.js';

const memorySource = (path: string, bytes: Uint8Array) => ({
  path,
  size: bytes.length,
  read: async (offset: number, length: number) => bytes.subarray(offset, offset + length),
});

describe('RecordInterner', () => {
  it('lets the records of one series share their patient, study, series and UID values without changing them', async () => {
    const files = ctSeries({ slices: 3, rows: 8, columns: 8 });
    const result = await scanFiles(files.map((bytes, i) => memorySource(`ct${i}.dcm`, bytes)));
    const [a, b, c] = result.instances;
    expect(a!.sopInstanceUID).not.toBe(b!.sopInstanceUID);
    expect(b!.patient).toBe(a!.patient);
    expect(c!.study).toBe(a!.study);
    expect(c!.seriesAttributes).toBe(a!.seriesAttributes);
    expect(c!.references).toBe(a!.references);
    expect(b!.imageType).toBe(a!.imageType);
    expect(a!.patient.patientName).toBeDefined();
  });

  it('returns an equal record, sharing only values equal by content', () => {
    const interner = new RecordInterner();
    const base = {
      path: 'a.dcm',
      size: 10,
      sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
      sopInstanceUID: '1.2.3.1',
      studyInstanceUID: '1.2.3',
      seriesInstanceUID: '1.2.3.0',
      transferSyntaxUID: '1.2.840.10008.1.2.1',
      fingerprint: 'f1',
      patient: { patientID: 'P1', patientName: 'DOE^JANE' },
      study: { studyDate: '20240101' },
      seriesAttributes: { seriesNumber: 1 },
      hasEncryptedAttributes: false,
      references: [],
    };
    const first = interner.record(base);
    const second = interner.record({
      ...base,
      sopInstanceUID: '1.2.3.2',
      patient: { patientID: 'P1', patientName: 'DOE^JANE' },
    });
    const other = interner.record({ ...base, patient: { patientID: 'P2' } });
    expect(first).toEqual(base);
    expect(second.patient).toBe(first.patient);
    expect(other.patient).not.toBe(first.patient);
    expect(other.patient).toEqual({ patientID: 'P2' });
  });
});
