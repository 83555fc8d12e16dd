import { readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { part10 } from '../test/dicom-builder.js';
import { extractReferences } from './extract-references.js';

const REG = '1.2.840.10008.5.1.4.1.1.66.1';
const ION_PLAN = '1.2.840.10008.5.1.4.1.1.481.8';
const RECORD = '1.2.840.10008.5.1.4.1.1.481.4';
const ref = (cls: string, uid: string) =>
  [
    [0x0008, 0x1150, 'UI', cls],
    [0x0008, 0x1155, 'UI', uid],
  ] as const;

describe('extractReferences', () => {
  it("follows a registration's Referenced Series Sequence, here and in other studies, and its Registration Sequence", () => {
    const file = readDicom(
      part10(REG, 'r.1', [
        [
          0x0008,
          0x1115,
          'SQ',
          [
            [
              [0x0008, 0x114a, 'SQ', [ref('1.2.840.10008.5.1.4.1.1.2', 'ct.1')]],
              [0x0020, 0x000e, 'UI', 'ct'],
            ],
          ],
        ],
        [
          0x0008,
          0x1200,
          'SQ',
          [
            [
              [0x0008, 0x1115, 'SQ', [[[0x0020, 0x000e, 'UI', 'mr']]]],
              [0x0020, 0x000d, 'UI', 'study2'],
            ],
          ],
        ],
        [0x0020, 0x000d, 'UI', 'study1'],
        [0x0070, 0x0308, 'SQ', [[[0x0008, 0x1140, 'SQ', [ref('1.2.840.10008.5.1.4.1.1.4', 'mr.7')]]]]],
      ]),
    );
    expect(extractReferences(file, REG)).toEqual([
      {
        kind: 'registration-image',
        studyInstanceUID: 'study1',
        seriesInstanceUID: 'ct',
        sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
        sopInstanceUID: 'ct.1',
      },
      { kind: 'registration-image', studyInstanceUID: 'study2', seriesInstanceUID: 'mr' },
      { kind: 'registration-image', sopClassUID: '1.2.840.10008.5.1.4.1.1.4', sopInstanceUID: 'mr.7' },
    ]);
  });

  it("reads an RT Ion Plan's structure set and a treatment record's plan", () => {
    const plan = readDicom(
      part10(ION_PLAN, 'p.1', [[0x300c, 0x0060, 'SQ', [ref('1.2.840.10008.5.1.4.1.1.481.3', 's.1')]]]),
    );
    expect(extractReferences(plan, ION_PLAN)).toEqual([
      { kind: 'plan-structure-set', sopClassUID: '1.2.840.10008.5.1.4.1.1.481.3', sopInstanceUID: 's.1' },
    ]);
    const treatment = readDicom(part10(RECORD, 't.1', [[0x300c, 0x0002, 'SQ', [ref(ION_PLAN, 'p.1')]]]));
    expect(extractReferences(treatment, RECORD)).toEqual([
      { kind: 'record-plan', sopClassUID: ION_PLAN, sopInstanceUID: 'p.1' },
    ]);
  });

  it('ignores references in objects that carry none the RT graph follows (a CT and its localizer)', () => {
    const ct = readDicom(
      part10('1.2.840.10008.5.1.4.1.1.2', 'c.1', [[0x0008, 0x1140, 'SQ', [ref('1.2.840.10008.5.1.4.1.1.2', 'loc.1')]]]),
    );
    expect(extractReferences(ct, '1.2.840.10008.5.1.4.1.1.2')).toEqual([]);
  });
});
