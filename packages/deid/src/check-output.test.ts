import { readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { buildInstance, type Spec } from '../test/build-instance.js';
import { concat } from '../test/concat.js';
import { residualIdentity } from './check-output.js';
import type { DeidConfig } from './config.js';
import { deidentify } from './deidentify.js';
import { DEFAULT_TRIAL_OPTIONS } from './options.js';

const config: DeidConfig = {
  options: [...DEFAULT_TRIAL_OPTIONS, 'cleanDescriptors'],
  patientId: 'STUDY1-0007',
  patientName: '0007',
  uidSecret: 'check-output-secret-0123',
  clinicalTrial: { protocolId: 'STUDY1', subjectId: '0007' },
};
const specs: Spec[] = [
  { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
  { tag: 0x00080018, vr: 'UI', value: '1.2.3.4.5' },
  { tag: 0x00080020, vr: 'DA', value: '20240301' },
  { tag: 0x00080090, vr: 'PN', value: 'House^Gregory' },
  { tag: 0x0008103e, vr: 'LO', value: 'CT THORAX' },
  {
    tag: 0x00081140,
    vr: 'SQ',
    value: [
      [
        { tag: 0x00081155, vr: 'UI', value: '1.2.3.4.6' },
        { tag: 0x00081010, vr: 'SH', value: 'RoomQ' },
      ],
    ],
  },
  { tag: 0x00090010, vr: 'LO', value: 'ACME' },
  { tag: 0x00091001, vr: 'LO', value: 'Doe' },
  { tag: 0x00100010, vr: 'PN', value: 'Doe^Jane' },
  { tag: 0x00100020, vr: 'LO', value: 'PID-42' },
  { tag: 0x00101000, vr: 'LO', value: 'OTHER-1' },
  { tag: 0x00204000, vr: 'LT', value: 'Doe fell' },
];

describe('re-checking a received instance', () => {
  it('finds nothing left in what Courier de-identified with the same options', () => {
    const input = buildInstance(specs);
    const output = readDicom(concat(deidentify(readDicom(input), config), input));
    expect(residualIdentity(output, config)).toEqual([]);
  });

  it('names every identifying element left in an instance that was not de-identified', () => {
    const problems = residualIdentity(readDicom(buildInstance(specs)), config);
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '(0010,0020)',
        '(0010,0010)',
        '(0012,0062)',
        '(0008,0090)',
        '(0009,0010)',
        '(0009,1001)',
        '(0010,1000)',
        '(0020,4000)',
      ]),
    );
    expect(paths).not.toContain('(0008,0020)'); // Study Date kept with full dates
    expect(paths).not.toContain('(0008,103E)'); // a clean description
    expect(problems.find((p) => p.path === '(0010,0020)')?.reason).toBe('is not the slot pseudonym');
  });

  it('refuses a de-identified instance carrying another slot’s pseudonym', () => {
    const input = buildInstance(specs);
    const output = readDicom(concat(deidentify(readDicom(input), config), input));
    expect(residualIdentity(output, { ...config, patientId: 'STUDY1-0008' }).map((p) => p.path)).toEqual([
      '(0010,0020)',
    ]);
  });
});
