import { type DataSet, type DicomFile, getSequence, getString, readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { buildInstance, type Spec } from '../test/build-instance.js';
import { concat } from '../test/concat.js';
import type { DeidConfig } from './config.js';
import { deidentify } from './deidentify.js';
import type { DeidOption } from './options.js';
import { planDeidentification } from './plan-deidentification.js';

// A Grayscale Softcopy Presentation State (PS3.3 A.33.1) with graphics, and overlays in both forms:
// group 6000 with Overlay Data (C.9.2) and group 6002 embedded in Pixel Data bits (retired).
const GSPS = '1.2.840.10008.5.1.4.1.1.11.1';
const specs: Spec[] = [
  { tag: 0x00080016, vr: 'UI', value: GSPS },
  { tag: 0x00080018, vr: 'UI', value: '1.2.3.9.1' },
  { tag: 0x00100010, vr: 'PN', value: 'Doe^Jane' },
  { tag: 0x00100020, vr: 'LO', value: 'PID-42' },
  { tag: 0x0020000d, vr: 'UI', value: '1.2.3.9' },
  { tag: 0x0020000e, vr: 'UI', value: '1.2.3.9.0' },
  {
    tag: 0x00700001, // Graphic Annotation Sequence, C.10.5
    vr: 'SQ',
    value: [
      [
        { tag: 0x00700002, vr: 'CS', value: 'LAYER1' },
        {
          tag: 0x00700008, // Text Object Sequence
          vr: 'SQ',
          value: [
            [{ tag: 0x00700006, vr: 'ST', value: 'Jane Doe PID-42' }],
            [{ tag: 0x00700006, vr: 'ST', value: 'tumour margin' }],
          ],
        },
        {
          tag: 0x00700009, // Graphic Object Sequence
          vr: 'SQ',
          value: [
            [
              { tag: 0x00700005, vr: 'CS', value: 'PIXEL' },
              { tag: 0x00700020, vr: 'US', value: [2] },
              { tag: 0x00700021, vr: 'US', value: [2] },
              { tag: 0x00700023, vr: 'CS', value: 'POLYLINE' },
            ],
          ],
        },
      ],
    ],
  },
  {
    tag: 0x00700060, // Graphic Layer Sequence, C.10.7
    vr: 'SQ',
    value: [
      [
        { tag: 0x00700002, vr: 'CS', value: 'LAYER1' },
        { tag: 0x00700062, vr: 'IS', value: '1' },
        { tag: 0x00700068, vr: 'LO', value: 'measurements' },
      ],
      [
        { tag: 0x00700002, vr: 'CS', value: 'LAYER2' },
        { tag: 0x00700062, vr: 'IS', value: '2' },
        { tag: 0x00700068, vr: 'LO', value: 'notes of Dr. Gregory House' },
      ],
    ],
  },
  { tag: 0x00700207, vr: 'LO', value: 'Jane Doe group' }, // Graphic Group Label (standing alone here)
  { tag: 0x60000010, vr: 'US', value: [4] },
  { tag: 0x60000011, vr: 'US', value: [4] },
  { tag: 0x60000040, vr: 'CS', value: 'G' },
  { tag: 0x60000100, vr: 'US', value: [1] },
  { tag: 0x60000102, vr: 'US', value: [0] },
  { tag: 0x60001500, vr: 'LO', value: 'DOE JANE' },
  { tag: 0x60003000, vr: 'OW', value: new Uint8Array([0xff, 0x0f]) },
  { tag: 0x60004000, vr: 'LT', value: 'burned in name of Jane Doe' },
  { tag: 0x60020010, vr: 'US', value: [4] },
  { tag: 0x60020100, vr: 'US', value: [16] },
  { tag: 0x60020102, vr: 'US', value: [15] },
];
const input = buildInstance(specs);

function run(options: readonly DeidOption[]): { out: DicomFile; warnings: readonly { code: string }[] } {
  const config: DeidConfig = { options, patientId: 'T-1', patientName: 'T1', uidSecret: 'clean-graphics-0123456789' };
  const file = readDicom(input, { headerOnly: true });
  const { report } = planDeidentification(file, config);
  return { out: readDicom(concat(deidentify(file, config), input)), warnings: report.warnings };
}

const text = (file: DicomFile, ds: DataSet, t: number) => getString(file, ds, t)?.trim();

describe('graphics and overlays (PS3.15 E.3.3 Clean Graphics, Table E.1-1)', () => {
  for (const options of [[], ['cleanGraphics']] as const) {
    const label = options.length === 0 ? 'the Basic Profile' : 'Clean Graphics';

    it(`removes every overlay and curve element, data and comments included, under ${label}`, () => {
      const { out } = run(options);
      const left = [...out.dataSet.elements.keys()].filter((t) => t >>> 24 === 0x60 || t >>> 24 === 0x50);
      expect(left).toEqual([]);
    });

    it(`reports an overlay embedded in Pixel Data bits, which removal cannot erase, under ${label}`, () => {
      const { warnings } = run(options);
      const embedded = warnings.filter((w) => w.code === 'OVERLAY_IN_PIXEL_DATA');
      expect(embedded).toHaveLength(1);
      expect((embedded[0] as { message?: string }).message).toContain('6002');
      expect((embedded[0] as { message?: string }).message).not.toContain('6000');
    });

    it(`keeps the graphics' coded structure (layers, units, types) consistent under ${label}`, () => {
      const { out } = run(options);
      const [annotation] = getSequence(out.dataSet, 0x00700001);
      expect(text(out, annotation!, 0x00700002)).toBe('LAYER1');
      const layers = getSequence(out.dataSet, 0x00700060).map((l) => text(out, l, 0x00700002));
      expect(layers).toEqual(['LAYER1', 'LAYER2']);
      const [graphic] = getSequence(annotation!, 0x00700009);
      expect(text(out, graphic!, 0x00700005)).toBe('PIXEL');
      expect(text(out, graphic!, 0x00700023)).toBe('POLYLINE');
    });
  }

  it('replaces every annotation text under the Basic Profile (D on Graphic Annotation Sequence)', () => {
    const { out } = run([]);
    const [annotation] = getSequence(out.dataSet, 0x00700001);
    const texts = getSequence(annotation!, 0x00700008).map((t) => text(out, t, 0x00700006));
    expect(texts).toEqual(['ANONYMIZED', 'ANONYMIZED']);
    const descriptions = getSequence(out.dataSet, 0x00700060).map((l) => text(out, l, 0x00700068));
    expect(descriptions).toEqual([undefined, undefined]);
    expect(text(out, out.dataSet, 0x00700207)).toBe('ANONYMIZED');
  });

  it('keeps annotation texts and layer descriptions that pass the clean checks under Clean Graphics, and only those', () => {
    const { out } = run(['cleanGraphics']);
    const [annotation] = getSequence(out.dataSet, 0x00700001);
    const texts = getSequence(annotation!, 0x00700008).map((t) => text(out, t, 0x00700006));
    expect(texts).toEqual(['ANONYMIZED', 'tumour margin']);
    const descriptions = getSequence(out.dataSet, 0x00700060).map((l) => text(out, l, 0x00700068));
    expect(descriptions).toEqual(['measurements', undefined]);
    expect(text(out, out.dataSet, 0x00700207)).toBe('ANONYMIZED');
  });
});
