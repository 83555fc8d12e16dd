import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { record, seriesOf } from '../test/records.js';
import { UploaderError } from './errors.js';
import { type Acknowledgement, acknowledgeWarning, sanityAuditEntries, uploadGate } from './sanity-acknowledgement.js';
import { runSanityChecks } from './sanity-checks.js';

const at = { acknowledgedAt: '2026-03-02T10:00:00Z', acknowledgedBy: 'user-7' };

describe('acknowledgement of sanity check results', () => {
  const series = seriesOf([
    record({ sopInstanceUID: '1', patient: { patientID: 'P1', sex: 'M', birthDate: '19610407' } }),
  ]);
  const results = runSanityChecks({ series, subject: { sex: 'F' } });
  const warning = results.find((r) => r.severity === 'warning')!;

  it('blocks the upload until every warning is acknowledged', () => {
    expect(uploadGate(results, []).blocked).toBe(true);
    const acks = acknowledgeWarning([], warning, at);
    const gate = uploadGate(results, acks);
    expect(gate.blocked).toBe(false);
    expect(gate.acknowledged).toEqual([{ result: warning, acknowledgement: { ...at, resultId: warning.id } }]);
  });

  it('never lets an error be acknowledged', () => {
    const enc = runSanityChecks({
      series: seriesOf([record({ sopInstanceUID: '1', hasEncryptedAttributes: true })]),
      subject: {},
    });
    expect(() => acknowledgeWarning([], enc[0]!, at)).toThrow(UploaderError);
    expect(uploadGate(enc, []).blocked).toBe(true);
  });

  it('lets an acknowledgement lapse when the selection, hence the result id, changes', () => {
    const acks = acknowledgeWarning([], warning, at);
    const other = seriesOf([
      record({ sopInstanceUID: '1', patient: { sex: 'M' } }),
      record({ sopInstanceUID: '2', seriesInstanceUID: '2', patient: { sex: 'M' } }),
    ]);
    expect(uploadGate(runSanityChecks({ series: other, subject: { sex: 'F' } }), acks).blocked).toBe(true);
  });

  it('writes audit entries without attribute values or UIDs', () => {
    const entries = sanityAuditEntries(results, acknowledgeWarning([], warning, at));
    expect(entries).toEqual([
      expect.objectContaining({ code: 'SANITY_PATIENT_SEX_MISMATCH', seriesCount: 1, acknowledgedBy: 'user-7' }),
    ]);
    const text = JSON.stringify(entries);
    expect(text).not.toContain('1.9');
    expect(text).not.toContain('P1');
  });
});

describe('the upload gate over random selections', () => {
  const arbitraryRecords = fc.array(
    fc.record({
      series: fc.constantFrom('S1', 'S2', 'S3'),
      patientID: fc.constantFrom('P1', 'P2'),
      sex: fc.constantFrom('M', 'F', undefined),
      studyDate: fc.constantFrom('20260302', '20250101', undefined),
      burned: fc.boolean(),
      encrypted: fc.boolean(),
    }),
    { minLength: 0, maxLength: 6 },
  );

  it('is open exactly when there is no error and every warning is acknowledged', () => {
    fc.assert(
      fc.property(arbitraryRecords, fc.boolean(), (specs, allowBurned) => {
        const series = buildCase(specs);
        const results = runSanityChecks({
          series,
          subject: { sex: 'F', birthYear: 1961 },
          slot: { eventDate: '2026-03-01', expectedModalities: ['CT'], allowBurnedInAnnotation: allowBurned },
        });
        const hasError = results.some((r) => r.severity === 'error');
        let acks: Acknowledgement[] = [];
        for (const r of results) if (r.severity === 'warning') acks = acknowledgeWarning(acks, r, at);
        expect(uploadGate(results, acks).blocked).toBe(hasError);
        expect(uploadGate(results, []).blocked).toBe(results.some((r) => r.severity !== 'info'));
        expect(new Set(results.map((r) => r.id)).size).toBe(results.length);
        const known = new Set(series.map((s) => s.seriesInstanceUID));
        for (const r of results) for (const s of r.series) expect(known.has(s)).toBe(true);
      }),
    );
  });
});

function buildCase(
  specs: readonly {
    series: string;
    patientID: string;
    sex: string | undefined;
    studyDate: string | undefined;
    burned: boolean;
    encrypted: boolean;
  }[],
) {
  return seriesOf(
    specs.map((s, n) =>
      record({
        sopInstanceUID: `${s.series}.${n}`,
        seriesInstanceUID: s.series,
        patient: { patientID: s.patientID, birthDate: '19610407', ...(s.sex === undefined ? {} : { sex: s.sex }) },
        study: s.studyDate === undefined ? {} : { studyDate: s.studyDate },
        ...(s.burned ? { burnedInAnnotation: 'YES' } : {}),
        hasEncryptedAttributes: s.encrypted,
      }),
    ),
  );
}
