import { describe, expect, it } from 'vitest';
import { record, seriesOf } from '../test/records.js';
import { buildRtGraph } from './rt-graph.js';
import { runSanityChecks, SANITY_CHECKS, type SanityCheckInput } from './sanity-checks.js';

const ct = seriesOf([record({ sopInstanceUID: '1.9.1.1' }), record({ sopInstanceUID: '1.9.1.2' })]);
const subject = { sex: 'female', birthDate: '1961-04-07' };
const codes = (input: SanityCheckInput): string[] => runSanityChecks(input).map((r) => r.code);

describe('runSanityChecks', () => {
  it('finds nothing when the data matches the subject and the slot', () => {
    expect(
      runSanityChecks({ series: ct, subject, slot: { eventDate: '2026-03-01', expectedModalities: ['CT'] } }),
    ).toEqual([]);
  });

  it('reports an empty selection as an error', () => {
    expect(runSanityChecks({ series: [], subject: {} })).toEqual([
      expect.objectContaining({ code: 'SANITY_NO_SERIES_SELECTED', severity: 'error' }),
    ]);
  });

  it("warns when Patient's Sex differs from the subject's, showing both values", () => {
    const [r] = runSanityChecks({ series: ct, subject: { sex: 'M' } });
    expect(r).toMatchObject({
      code: 'SANITY_PATIENT_SEX_MISMATCH',
      severity: 'warning',
      category: 'patient',
      expected: 'M',
      found: ['F'],
      series: ['1.9.1'],
    });
    expect(r?.message).not.toContain('F');
  });

  it('notes an empty sex or birth date as info, since nothing can be compared', () => {
    const anonymous = seriesOf([record({ sopInstanceUID: '2.1', patient: { patientID: 'P1' } })]);
    expect(runSanityChecks({ series: anonymous, subject }).map((r) => [r.code, r.severity])).toEqual([
      ['SANITY_PATIENT_SEX_MISSING', 'info'],
      ['SANITY_BIRTH_DATE_MISSING', 'info'],
    ]);
  });

  it('compares the birth date in full, or only its year when the study records the year', () => {
    expect(codes({ series: ct, subject: { birthDate: '19610408' } })).toEqual(['SANITY_BIRTH_DATE_MISMATCH']);
    expect(codes({ series: ct, subject: { birthYear: 1961 } })).toEqual([]);
    const [r] = runSanityChecks({ series: ct, subject: { birthYear: 1962 } });
    expect(r).toMatchObject({ code: 'SANITY_BIRTH_DATE_MISMATCH', expected: '1962', found: ['19610407'] });
  });

  it('accepts the ACR-NEMA birth date form 1961.04.07', () => {
    const old = seriesOf([record({ sopInstanceUID: '3.1', patient: { sex: 'F', birthDate: '1961.04.07' } })]);
    expect(codes({ series: old, subject })).toEqual([]);
  });

  it('blocks two Patient IDs across the selection and warns on two names and birth dates', () => {
    const mixed = seriesOf([
      record({ sopInstanceUID: '1.9.1.1' }),
      record({
        sopInstanceUID: '1.9.2.1',
        seriesInstanceUID: '1.9.2',
        patient: { patientID: 'P2', patientName: 'ROE^RICHARD', birthDate: '19500101', sex: 'F' },
      }),
    ]);
    const results = runSanityChecks({ series: mixed, subject: {} });
    expect(results.map((r) => [r.code, r.severity])).toEqual([
      ['SANITY_MULTIPLE_PATIENT_IDS', 'error'],
      ['SANITY_MULTIPLE_PATIENT_NAMES', 'warning'],
      ['SANITY_MULTIPLE_BIRTH_DATES', 'warning'],
    ]);
    expect(results[0]).toMatchObject({ found: ['P1', 'P2'], series: ['1.9.1', '1.9.2'] });
  });

  it('warns about two studies, two study dates and two descriptions in one selection', () => {
    const two = seriesOf([
      record({ sopInstanceUID: '1.9.1.1' }),
      record({
        sopInstanceUID: '2.9.1.1',
        studyInstanceUID: '2.9',
        seriesInstanceUID: '2.9.1',
        study: { studyDate: '20260305', studyDescription: 'FOLLOW-UP' },
      }),
    ]);
    const results = runSanityChecks({ series: two, subject: {} });
    expect(results.map((r) => r.code)).toEqual([
      'SANITY_MULTIPLE_STUDIES',
      'SANITY_MULTIPLE_STUDY_DATES',
      'SANITY_MULTIPLE_STUDY_DESCRIPTIONS',
    ]);
    expect(results[0]?.found).toEqual(['2']);
  });

  it('warns when the study date lies outside the window around the event date', () => {
    expect(codes({ series: ct, subject: {}, slot: { eventDate: '2026-02-01' } })).toEqual([]);
    expect(codes({ series: ct, subject: {}, slot: { eventDate: '2026-01-30' } })).toEqual([
      'SANITY_STUDY_DATE_OUTSIDE_WINDOW',
    ]);
    const [r] = runSanityChecks({
      series: ct,
      subject: {},
      slot: { eventDate: '2026-01-30', studyDateWindowDays: 10 },
    });
    expect(r).toMatchObject({
      code: 'SANITY_STUDY_DATE_OUTSIDE_WINDOW',
      severity: 'warning',
      expected: '20260130',
      found: ['20260302'],
    });
    expect(r?.message).toContain('10 days');
  });

  it('warns about a modality the slot does not expect', () => {
    const [r] = runSanityChecks({ series: ct, subject: {}, slot: { expectedModalities: ['MR'] } });
    expect(r).toMatchObject({ code: 'SANITY_UNEXPECTED_MODALITY', expected: 'MR', found: ['CT'] });
  });

  it('warns when a selected series references a plan that is not uploaded', () => {
    const dose = record({
      sopInstanceUID: '1.9.4.1',
      seriesInstanceUID: '1.9.4',
      modality: 'RTDOSE',
      sopClassUID: '1.2.840.10008.5.1.4.1.1.481.2',
      references: [{ kind: 'dose-plan', sopClassUID: '1.2.840.10008.5.1.4.1.1.481.5', sopInstanceUID: '1.9.3.1' }],
    });
    const series = seriesOf([dose]);
    const [r] = runSanityChecks({ series, graph: buildRtGraph(series), subject: {} });
    expect(r).toMatchObject({
      code: 'SANITY_REFERENCED_SERIES_MISSING',
      series: ['1.9.4'],
      found: ['RTPLAN'],
      severity: 'warning',
    });
  });

  it('blocks burned-in annotation and secondary captures unless the study allows them', () => {
    const burned = seriesOf([
      record({ sopInstanceUID: '1.9.1.1', burnedInAnnotation: 'YES' }),
      record({
        sopInstanceUID: '1.9.5.1',
        seriesInstanceUID: '1.9.5',
        modality: 'OT',
        sopClassUID: '1.2.840.10008.5.1.4.1.1.7',
      }),
      record({
        sopInstanceUID: '1.9.6.1',
        seriesInstanceUID: '1.9.6',
        imageType: ['DERIVED', 'SECONDARY', 'SCREENSHOT'],
      }),
    ]);
    const strict = runSanityChecks({ series: burned, subject: {} });
    expect(strict.map((r) => [r.code, r.severity, r.series])).toEqual([
      ['SANITY_BURNED_IN_ANNOTATION', 'error', ['1.9.1']],
      ['SANITY_SECONDARY_CAPTURE', 'error', ['1.9.5', '1.9.6']],
    ]);
    const allowed = runSanityChecks({ series: burned, subject: {}, slot: { allowBurnedInAnnotation: true } });
    expect(allowed.map((r) => r.severity)).toEqual(['info', 'info']);
  });

  it('blocks an Encrypted Attributes Sequence', () => {
    const enc = seriesOf([record({ sopInstanceUID: '1.9.1.1', hasEncryptedAttributes: true })]);
    expect(runSanityChecks({ series: enc, subject: {} })).toEqual([
      expect.objectContaining({ code: 'SANITY_ENCRYPTED_ATTRIBUTES', severity: 'error', category: 'encryption' }),
    ]);
  });

  it('passes de-identification configuration problems through with their own severity', () => {
    const results = runSanityChecks({
      series: ct,
      subject: {},
      deidProblems: [
        { code: 'DEID_NO_SECRET', message: 'no UID key' },
        { code: 'DEID_OPTION_UNKNOWN', message: 'unknown option', severity: 'warning' },
      ],
    });
    expect(results.map((r) => [r.id, r.severity, r.category])).toEqual([
      ['SANITY_DEID_CONFIGURATION:DEID_NO_SECRET', 'error', 'deidentification'],
      ['SANITY_DEID_CONFIGURATION:DEID_OPTION_UNKNOWN', 'warning', 'deidentification'],
    ]);
  });

  it('orders errors before warnings before infos', () => {
    const mixed = seriesOf([
      record({ sopInstanceUID: '1', patient: { patientID: 'A' } }),
      record({ sopInstanceUID: '2', seriesInstanceUID: '2', patient: { patientID: 'B', sex: 'M' } }),
    ]);
    const severities = runSanityChecks({ series: mixed, subject: { sex: 'F' } }).map((r) => r.severity);
    expect(severities).toEqual(
      [...severities].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)),
    );
    expect(severities).toContain('info');
    expect(severities).toContain('error');
  });

  it('gives every catalogue entry a category and a default severity', () => {
    for (const entry of Object.values(SANITY_CHECKS)) {
      expect(['error', 'warning', 'info']).toContain(entry.severity);
      expect(entry.category.length).toBeGreaterThan(0);
    }
  });
});
