import { describe, expect, it } from 'vitest';
import { ctSeries } from '../../../bench/synthetic/ct-series.js';
import { record } from '../test/records.js';
import { plainRecord, RecordInterner } from './record-interner.js';
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
    // One prototype holds what the series shares; each record owns only what differs per file.
    expect(Object.getPrototypeOf(b)).toBe(Object.getPrototypeOf(a));
    expect(Object.keys(a!).sort()).toEqual(['instanceNumber', 'path', 'size', 'sopInstanceUID']);
  });

  it('returns a record equal in every field, sharing only values equal by content', () => {
    const interner = new RecordInterner();
    const base = record({ sopInstanceUID: '1.2.3.1', instanceNumber: 1, patient: { patientID: 'P1' } });
    const first = interner.record(base);
    const second = interner.record({ ...base, sopInstanceUID: '1.2.3.2', patient: { patientID: 'P1' } });
    const other = interner.record({ ...base, patient: { patientID: 'P2' } });
    expect(plainRecord(first)).toEqual(base);
    expect(second.patient).toBe(first.patient);
    expect(Object.getPrototypeOf(second)).toBe(Object.getPrototypeOf(first));
    expect(other.patient).not.toBe(first.patient);
    expect(other.patient).toEqual({ patientID: 'P2' });
    expect(other.sopClassUID).toBe(base.sopClassUID);
    expect(interner.groupCount).toBe(2);
  });

  it('keeps a record without Instance Number without one, and its references as they were', () => {
    const interner = new RecordInterner();
    const references = [{ kind: 'dose-plan' as const, sopInstanceUID: '9.9' }];
    const { instanceNumber: _none, ...withoutNumber } = record({ sopInstanceUID: '1.2.3.1', references });
    const compact = interner.record(withoutNumber);
    expect('instanceNumber' in compact).toBe(false);
    expect(compact.references).toEqual(references);
    expect(plainRecord(compact)).toEqual(withoutNumber);
  });

  it('finds the same group for a record whose fields come in another order, and for a record already compact', () => {
    const interner = new RecordInterner();
    const a = record({ sopInstanceUID: '1' });
    const reordered = Object.fromEntries(Object.entries(record({ sopInstanceUID: '2' })).reverse()) as typeof a;
    const first = interner.record(a);
    expect(Object.getPrototypeOf(interner.record(reordered))).toBe(Object.getPrototypeOf(first));
    const again = interner.record(first);
    expect(Object.getPrototypeOf(again)).toBe(Object.getPrototypeOf(first));
    expect(plainRecord(again)).toEqual(a);
    expect(interner.groupCount).toBe(1);
  });

  it('gives plain copies that survive structured cloning, where a compact record would lose its shared fields', () => {
    const compact = new RecordInterner().record(record({ sopInstanceUID: '1.2.3.1' }));
    expect(structuredClone(compact)).not.toHaveProperty('sopClassUID');
    expect(structuredClone(plainRecord(compact))).toEqual(plainRecord(compact));
  });
});
