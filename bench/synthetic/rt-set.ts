/**
 * A synthetic radiotherapy set with correct references, built with our writer (`createDicom`):
 * CT series ← RTSTRUCT (PS3.3 A.19) ← RTPLAN (A.20) ← RTDOSE (A.18). Every reference a
 * scanner follows is there: the RTSTRUCT's Referenced Frame of Reference → Study → Series →
 * Contour Image Sequence naming each CT slice, each contour's Contour Image Sequence, the RTPLAN's
 * Referenced Structure Set Sequence and approval, the RTDOSE's Referenced RT Plan Sequence.
 * `contourPoints` × `rois` × CT slices sets the size of the RTSTRUCT header (its Contour Data lies
 * before any Pixel Data, so a header-only read must read all of it).
 *
 * @example
 * const set = rtSet({ slices: 20, rows: 64, columns: 64 });
 * set.files.map((f) => f.name); // CT000001.dcm … RS000001.dcm RP000001.dcm RD000001.dcm
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDicom, EXPLICIT_VR_LITTLE_ENDIAN, type NewElement, tag, transferSyntaxFromUID } from '@courier/dicom';
import { CT_IMAGE_STORAGE, type CtSeriesOptions, ctSeries, seriesUIDs, syntheticUID } from './ct-series.js';

export const RT_STRUCTURE_SET_STORAGE = '1.2.840.10008.5.1.4.1.1.481.3';
export const RT_PLAN_STORAGE = '1.2.840.10008.5.1.4.1.1.481.5';
export const RT_DOSE_STORAGE = '1.2.840.10008.5.1.4.1.1.481.2';

export interface RtSetOptions extends CtSeriesOptions {
  /** Regions of interest in the RTSTRUCT (default 3); each has one contour per CT slice. */
  readonly rois?: number;
  /** Points per contour (default 64; at most 1,300 so that Contour Data fits a DS value's 16-bit length). */
  readonly contourPoints?: number;
  /** Beams in the RTPLAN (default 2). */
  readonly beams?: number;
}

/** The UIDs of the set, to check references against. */
export interface RtSetUIDs {
  readonly study: string;
  readonly frameOfReference: string;
  readonly ctSeries: string;
  readonly ctInstances: readonly string[];
  readonly structSeries: string;
  readonly struct: string;
  readonly planSeries: string;
  readonly plan: string;
  readonly doseSeries: string;
  readonly dose: string;
}

export interface RtSet {
  readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[];
  readonly uids: RtSetUIDs;
}

const el = (t: number, vr: NewElement['vr'], value: NewElement['value']): NewElement => ({ tag: t, vr, value });
const ref = (classUID: string, instanceUID: string): NewElement[] => [
  el(tag(0x0008, 0x1150), 'UI', classUID),
  el(tag(0x0008, 0x1155), 'UI', instanceUID),
];

/** Patient, study and equipment attributes every object of the set shares (same study, PS3.3 C.7.2.1). */
function common(options: RtSetOptions, modality: string, series: string, sopClass: string, sop: string): NewElement[] {
  const uids = seriesUIDs(options);
  const date = options.studyDate ?? '20240115';
  return [
    el(tag(0x0008, 0x0005), 'CS', 'ISO_IR 100'),
    el(tag(0x0008, 0x0012), 'DA', date),
    el(tag(0x0008, 0x0016), 'UI', sopClass),
    el(tag(0x0008, 0x0018), 'UI', sop),
    el(tag(0x0008, 0x0020), 'DA', date),
    el(tag(0x0008, 0x0030), 'TM', '101000'),
    el(tag(0x0008, 0x0050), 'SH', 'ACC0001'),
    el(tag(0x0008, 0x0060), 'CS', modality),
    el(tag(0x0008, 0x0070), 'LO', 'COURIER SYNTHETIC'),
    el(tag(0x0008, 0x0090), 'PN', 'Referrer^Rita'),
    el(tag(0x0008, 0x103e), 'LO', `${modality} synthetic`),
    el(tag(0x0010, 0x0010), 'PN', options.patientName ?? 'Synthetic^Patient'),
    el(tag(0x0010, 0x0020), 'LO', options.patientId ?? 'SYN0001'),
    el(tag(0x0010, 0x0030), 'DA', options.patientBirthDate ?? '19600101'),
    el(tag(0x0010, 0x0040), 'CS', options.patientSex ?? 'O'),
    el(tag(0x0020, 0x000d), 'UI', uids.study),
    el(tag(0x0020, 0x000e), 'UI', series),
    el(tag(0x0020, 0x0010), 'SH', 'STUDY1'),
    el(tag(0x0020, 0x0011), 'IS', [modality === 'RTSTRUCT' ? 3 : modality === 'RTPLAN' ? 4 : 5]),
    el(tag(0x0020, 0x0013), 'IS', [1]),
  ];
}

/** Builds the set in memory: the CT files of `ctSeries` plus one RTSTRUCT, RTPLAN and RTDOSE. */
export function rtSet(options: RtSetOptions): RtSet {
  const seed = options.seed ?? 1;
  const series = seriesUIDs(options);
  const ctFiles = ctSeries(options);
  const ctInstances = Array.from({ length: options.slices }, (_, i) => syntheticUID(seed, 4, i));
  const uids: RtSetUIDs = {
    study: series.study,
    frameOfReference: series.frameOfReference,
    ctSeries: series.series,
    ctInstances,
    structSeries: syntheticUID(seed, 10),
    struct: syntheticUID(seed, 11),
    planSeries: syntheticUID(seed, 12),
    plan: syntheticUID(seed, 13),
    doseSeries: syntheticUID(seed, 14),
    dose: syntheticUID(seed, 15),
  };
  const struct = createDicom(structElements(options, uids), { transferSyntaxUID: options.transferSyntaxUID });
  const plan = createDicom(planElements(options, uids), { transferSyntaxUID: options.transferSyntaxUID });
  const dose = createDicom(doseElements(options, uids), { transferSyntaxUID: options.transferSyntaxUID });
  return {
    uids,
    files: [
      ...ctFiles.map((bytes, i) => ({ name: `CT${String(i + 1).padStart(6, '0')}.dcm`, bytes })),
      { name: 'RS000001.dcm', bytes: struct },
      { name: 'RP000001.dcm', bytes: plan },
      { name: 'RD000001.dcm', bytes: dose },
    ],
  };
}

/** Writes the set into `dir` and returns the file paths. */
export function writeRtSet(dir: string, options: RtSetOptions): string[] {
  mkdirSync(dir, { recursive: true });
  return rtSet(options).files.map(({ name, bytes }) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  });
}

function structElements(options: RtSetOptions, uids: RtSetUIDs): NewElement[] {
  const rois = options.rois ?? 3;
  const points = Math.min(options.contourPoints ?? 64, 1300);
  const slices = options.slices;
  const contourImages = uids.ctInstances.map((sop) => ref(CT_IMAGE_STORAGE, sop));
  const contour = (roi: number, slice: number): NewElement[] => {
    const z = -slice * 1.25;
    const radius = 40 + 15 * roi;
    const data: number[] = [];
    for (let p = 0; p < points; p++) {
      const a = (2 * Math.PI * p) / points;
      data.push(Math.round(radius * Math.cos(a) * 100) / 100, Math.round(radius * Math.sin(a) * 100) / 100, z);
    }
    return [
      el(tag(0x3006, 0x0016), 'SQ', [ref(CT_IMAGE_STORAGE, uids.ctInstances[slice]!)]),
      el(tag(0x3006, 0x0042), 'CS', 'CLOSED_PLANAR'),
      el(tag(0x3006, 0x0046), 'IS', [points]),
      el(tag(0x3006, 0x0050), 'DS', data),
    ];
  };
  const roiNumbers = Array.from({ length: rois }, (_, i) => i + 1);
  return [
    ...common(options, 'RTSTRUCT', uids.structSeries, RT_STRUCTURE_SET_STORAGE, uids.struct),
    el(tag(0x3006, 0x0002), 'SH', 'SYNTH STRUCT'),
    el(tag(0x3006, 0x0008), 'DA', options.studyDate ?? '20240115'),
    el(tag(0x3006, 0x0009), 'TM', '120000'),
    el(tag(0x3006, 0x0010), 'SQ', [
      [
        el(tag(0x0020, 0x0052), 'UI', uids.frameOfReference),
        el(tag(0x3006, 0x0012), 'SQ', [
          [
            // Detached Study Management SOP Class, the class PS3.3 C.8.8.5 names for the referenced study.
            ...ref('1.2.840.10008.3.1.2.3.1', uids.study),
            el(tag(0x3006, 0x0014), 'SQ', [
              [el(tag(0x0020, 0x000e), 'UI', uids.ctSeries), el(tag(0x3006, 0x0016), 'SQ', contourImages)],
            ]),
          ],
        ]),
      ],
    ]),
    el(
      tag(0x3006, 0x0020),
      'SQ',
      roiNumbers.map((n) => [
        el(tag(0x3006, 0x0022), 'IS', [n]),
        el(tag(0x3006, 0x0024), 'UI', uids.frameOfReference),
        el(tag(0x3006, 0x0026), 'LO', n === 1 ? 'PTV' : `OAR ${n}`),
        el(tag(0x3006, 0x0036), 'CS', 'MANUAL'),
      ]),
    ),
    el(
      tag(0x3006, 0x0039),
      'SQ',
      roiNumbers.map((n) => [
        el(tag(0x3006, 0x002a), 'IS', [255, n * 60, 0]),
        el(
          tag(0x3006, 0x0040),
          'SQ',
          Array.from({ length: slices }, (_, s) => contour(n, s)),
        ),
        el(tag(0x3006, 0x0084), 'IS', [n]),
      ]),
    ),
    el(
      tag(0x3006, 0x0080),
      'SQ',
      roiNumbers.map((n) => [
        el(tag(0x3006, 0x0082), 'IS', [n]),
        el(tag(0x3006, 0x0084), 'IS', [n]),
        el(tag(0x3006, 0x00a4), 'CS', n === 1 ? 'PTV' : 'ORGAN'),
        el(tag(0x3006, 0x00a6), 'PN', ''),
      ]),
    ),
  ];
}

function planElements(options: RtSetOptions, uids: RtSetUIDs): NewElement[] {
  const beams = Array.from({ length: options.beams ?? 2 }, (_, i) => i + 1);
  const isocenter = [0, 0, (-(options.slices - 1) * 1.25) / 2];
  return [
    ...common(options, 'RTPLAN', uids.planSeries, RT_PLAN_STORAGE, uids.plan),
    el(tag(0x300a, 0x0002), 'SH', 'SYNTH PLAN'),
    el(tag(0x300a, 0x0003), 'LO', 'Synthetic plan'),
    el(tag(0x300a, 0x0006), 'DA', options.studyDate ?? '20240115'),
    el(tag(0x300a, 0x000c), 'CS', 'PATIENT'),
    el(tag(0x300a, 0x0010), 'SQ', [
      [
        el(tag(0x300a, 0x0012), 'IS', [1]),
        el(tag(0x300a, 0x0014), 'CS', 'SITE'),
        el(tag(0x300a, 0x0020), 'CS', 'TARGET'),
        el(tag(0x300a, 0x0026), 'DS', [60]),
      ],
    ]),
    el(tag(0x300a, 0x0070), 'SQ', [
      [
        el(tag(0x300a, 0x0071), 'IS', [1]),
        el(tag(0x300a, 0x0078), 'IS', [30]),
        el(tag(0x300a, 0x0080), 'IS', [beams.length]),
        el(
          tag(0x300c, 0x0004),
          'SQ',
          beams.map((b) => [el(tag(0x300a, 0x0086), 'DS', [100]), el(tag(0x300c, 0x0006), 'IS', [b])]),
        ),
      ],
    ]),
    el(
      tag(0x300a, 0x00b0),
      'SQ',
      beams.map((b) => [
        el(tag(0x300a, 0x00b2), 'SH', 'LINAC1'),
        el(tag(0x300a, 0x00b3), 'CS', 'MU'),
        el(tag(0x300a, 0x00c0), 'IS', [b]),
        el(tag(0x300a, 0x00c2), 'LO', `Beam ${b}`),
        el(tag(0x300a, 0x00c4), 'CS', 'STATIC'),
        el(tag(0x300a, 0x00c6), 'CS', 'PHOTON'),
        el(tag(0x300a, 0x0110), 'IS', [2]),
        el(tag(0x300a, 0x0111), 'SQ', [
          [
            el(tag(0x300a, 0x0112), 'IS', [0]),
            el(tag(0x300a, 0x0114), 'DS', [6]),
            el(tag(0x300a, 0x011e), 'DS', [((b - 1) * 360) / beams.length]),
            el(tag(0x300a, 0x012c), 'DS', isocenter),
            el(tag(0x300a, 0x0134), 'DS', [0]),
          ],
          [el(tag(0x300a, 0x0112), 'IS', [1]), el(tag(0x300a, 0x0134), 'DS', [1])],
        ]),
        el(tag(0x300c, 0x006a), 'IS', [1]),
      ]),
    ),
    el(tag(0x300c, 0x0060), 'SQ', [ref(RT_STRUCTURE_SET_STORAGE, uids.struct)]),
    el(tag(0x300e, 0x0002), 'CS', 'APPROVED'),
    el(tag(0x300e, 0x0004), 'DA', options.studyDate ?? '20240115'),
    el(tag(0x300e, 0x0005), 'TM', '130000'),
    el(tag(0x300e, 0x0008), 'PN', 'Physicist^Paula'),
  ];
}

function doseElements(options: RtSetOptions, uids: RtSetUIDs): NewElement[] {
  const rows = 32;
  const columns = 32;
  const frames = Math.max(1, Math.ceil(options.slices / 4));
  const pixels = new Uint8Array(rows * columns * frames * 4);
  const view = new DataView(pixels.buffer);
  const littleEndian = transferSyntaxFromUID(options.transferSyntaxUID ?? EXPLICIT_VR_LITTLE_ENDIAN).littleEndian;
  for (let f = 0; f < frames; f++) {
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < columns; x++) {
        const d2 = (x - columns / 2) ** 2 + (y - rows / 2) ** 2;
        view.setUint32(((f * rows + y) * columns + x) * 4, Math.round(60000 * Math.exp(-d2 / 80)), littleEndian);
      }
    }
  }
  return [
    ...common(options, 'RTDOSE', uids.doseSeries, RT_DOSE_STORAGE, uids.dose),
    el(tag(0x0020, 0x0032), 'DS', [-250, -250, 0]),
    el(tag(0x0020, 0x0037), 'DS', [1, 0, 0, 0, 1, 0]),
    el(tag(0x0020, 0x0052), 'UI', uids.frameOfReference),
    el(tag(0x0028, 0x0002), 'US', [1]),
    el(tag(0x0028, 0x0004), 'CS', 'MONOCHROME2'),
    el(tag(0x0028, 0x0008), 'IS', [frames]),
    el(tag(0x0028, 0x0009), 'AT', [tag(0x3004, 0x000c)]),
    el(tag(0x0028, 0x0010), 'US', [rows]),
    el(tag(0x0028, 0x0011), 'US', [columns]),
    el(tag(0x0028, 0x0030), 'DS', [500 / rows, 500 / columns]),
    el(tag(0x0028, 0x0100), 'US', [32]),
    el(tag(0x0028, 0x0101), 'US', [32]),
    el(tag(0x0028, 0x0102), 'US', [31]),
    el(tag(0x0028, 0x0103), 'US', [0]),
    el(tag(0x3004, 0x0002), 'CS', 'GY'),
    el(tag(0x3004, 0x0004), 'CS', 'PHYSICAL'),
    el(tag(0x3004, 0x000a), 'CS', 'PLAN'),
    el(
      tag(0x3004, 0x000c),
      'DS',
      Array.from({ length: frames }, (_, f) => -f * 5),
    ),
    el(tag(0x3004, 0x000e), 'DS', [1e-3]),
    el(tag(0x300c, 0x0002), 'SQ', [[...ref(RT_PLAN_STORAGE, uids.plan), el(tag(0x300c, 0x0022), 'IS', [1])]]),
    // PS3.5 8.1.2: Pixel Data is OW when Bits Allocated is above 8; values in the file's byte order.
    el(tag(0x7fe0, 0x0010), 'OW', pixels),
  ];
}
