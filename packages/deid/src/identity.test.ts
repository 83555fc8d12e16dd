import { describe, expect, it } from 'vitest';
import { deidentificationMethodText, identityElements, longitudinalTemporalInformation } from './identity.js';

const base = { patientId: 'S-1', patientName: 'ONE', uidSecret: 'identity-secret-0123456' };

describe('identity written into every instance', () => {
  it('records how dates were treated in Longitudinal Temporal Information Modified', () => {
    expect(longitudinalTemporalInformation(new Set(['retainLongitudinalFullDates']))).toBe('UNMODIFIED');
    expect(longitudinalTemporalInformation(new Set(['retainLongitudinalModifiedDates']))).toBe('MODIFIED');
    expect(longitudinalTemporalInformation(new Set())).toBe('REMOVED');
  });

  it('names Courier and fits De-identification Method in one LO value', () => {
    expect(deidentificationMethodText()).toMatch(/^Courier \d+\.\d+\.\d+ /);
    expect(deidentificationMethodText().length).toBeLessThanOrEqual(64);
  });

  it('lists the Basic Profile and each option in the code sequence, scheme DCM', () => {
    const seq = identityElements({ ...base, options: ['retainUIDs', 'cleanDescriptors'] }).find(
      (e) => e.tag === 0x00120064,
    );
    const items = seq?.value as unknown as { tag: number; value: string }[][];
    expect(items.map((i) => i.map((e) => e.value))).toEqual([
      ['113100', 'DCM', 'Basic Application Confidentiality Profile'],
      ['113105', 'DCM', 'Clean Descriptors Option'],
      ['113110', 'DCM', 'Retain UIDs Option'],
    ]);
  });

  it('writes Clinical Trial attributes, Type 2 ones empty when the Portal has no value', () => {
    const els = identityElements({
      ...base,
      options: [],
      clinicalTrial: { sponsorName: 'ACME', protocolId: 'P1', timePointId: 'BL' },
    });
    const value = (t: number) => els.find((e) => e.tag === t)?.value;
    expect(value(0x00120010)).toBe('ACME');
    expect(value(0x00120020)).toBe('P1');
    expect(value(0x00120030)).toBe(''); // Site ID, Type 2
    expect(value(0x00120050)).toBe('BL');
    expect(value(0x00120040)).toBeUndefined(); // Subject ID is 1C: not invented
    expect(
      identityElements({ ...base, options: [] }).some(
        (e) => e.tag >>> 16 === 0x0012 && e.tag !== 0x00120062 && e.tag !== 0x00120063 && e.tag !== 0x00120064,
      ),
    ).toBe(false);
  });
});
