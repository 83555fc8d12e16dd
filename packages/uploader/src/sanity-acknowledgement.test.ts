import { describe, expect, it } from 'vitest';
import { record, seriesOf } from '../test/records.js';
import { UploaderError } from './errors.js';
import { acknowledgeWarning, sanityAuditEntries, uploadGate } from './sanity-acknowledgement.js';
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
