import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type El, type Item, part10 } from './dicom-builder.js';

/**
 * A generated radiotherapy set with correct references (PS3.3 A.19 RT Structure Set, A.20 RT Plan,
 * A.18 RT Dose, A.17 RT Image): CT series ← RTSTRUCT ← RTPLAN ← RTDOSE (also → RTSTRUCT) and RTIMAGE.
 * Small pixel matrices keep files tiny; `contourPoints` makes the RTSTRUCT header as large as wanted
 * (its Contour Data is part of the header, which makes the scanner read beyond its first prefix).
 */
export interface RtSetOptions {
  /** UID root; every UID of the set starts with it (default 1.2.826.0.1.3680043.10.1447.9). */
  readonly root?: string;
  readonly patientID?: string;
  readonly patientName?: string;
  readonly birthDate?: string;
  readonly sex?: string;
  readonly studyDate?: string;
  readonly studyDescription?: string;
  readonly ctSlices?: number;
  readonly rtImages?: number;
  /** Points per contour (3 numbers each, at most ~2,000 so that DS fits 64 KiB); default 4. */
  readonly contourPoints?: number;
  /** Contours of the first ROI (default 1): many make the header long. */
  readonly contours?: number;
  /** Leave these objects out of the files (their UIDs are still referenced). */
  readonly omit?: readonly ('CT' | 'RTSTRUCT' | 'RTPLAN' | 'RTDOSE' | 'RTIMAGE')[];
}

/** One generated file: a relative path and its bytes. */
export interface GeneratedFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** The UIDs of a generated set, to assert references against. */
export interface RtSetUids {
  readonly study: string;
  readonly frame: string;
  readonly series: {
    readonly CT: string;
    readonly RTSTRUCT: string;
    readonly RTPLAN: string;
    readonly RTDOSE: string;
    readonly RTIMAGE: string;
  };
  readonly ctInstances: readonly string[];
  readonly structure: string;
  readonly plan: string;
  readonly dose: string;
}

const SOP = {
  CT: '1.2.840.10008.5.1.4.1.1.2',
  RTIMAGE: '1.2.840.10008.5.1.4.1.1.481.1',
  RTDOSE: '1.2.840.10008.5.1.4.1.1.481.2',
  RTSTRUCT: '1.2.840.10008.5.1.4.1.1.481.3',
  RTPLAN: '1.2.840.10008.5.1.4.1.1.481.5',
} as const;

/**
 * Generates the set in memory.
 *
 * @example
 * const { files, uids } = generateRtSet({ root: '1.2.3.4', omit: ['RTPLAN'] }); // a dangling plan reference
 */
export function generateRtSet(options: RtSetOptions = {}): { files: GeneratedFile[]; uids: RtSetUids } {
  const root = options.root ?? '1.2.826.0.1.3680043.10.1447.9';
  const omit = new Set(options.omit ?? []);
  const slices = options.ctSlices ?? 3;
  const uids: RtSetUids = {
    study: `${root}.1`,
    frame: `${root}.2`,
    series: { CT: `${root}.3`, RTSTRUCT: `${root}.4`, RTPLAN: `${root}.5`, RTDOSE: `${root}.6`, RTIMAGE: `${root}.7` },
    ctInstances: Array.from({ length: slices }, (_, i) => `${root}.3.${i + 1}`),
    structure: `${root}.4.1`,
    plan: `${root}.5.1`,
    dose: `${root}.6.1`,
  };
  const common = (modality: string, series: string, number: number, sopClass: string, sopInstance: string): El[] => [
    [0x0008, 0x0016, 'UI', sopClass],
    [0x0008, 0x0018, 'UI', sopInstance],
    [0x0008, 0x0020, 'DA', options.studyDate ?? '20260302'],
    [0x0008, 0x0030, 'TM', '101500'],
    [0x0008, 0x0060, 'CS', modality],
    [0x0008, 0x0070, 'LO', 'Courier Test'],
    [0x0008, 0x1030, 'LO', options.studyDescription ?? 'RT PLANNING'],
    [0x0008, 0x103e, 'LO', `${modality} series`],
    [0x0008, 0x1090, 'LO', 'Generator 1'],
    [0x0010, 0x0010, 'PN', options.patientName ?? 'TEST^PATIENT'],
    [0x0010, 0x0020, 'LO', options.patientID ?? 'PID-001'],
    [0x0010, 0x0030, 'DA', options.birthDate ?? '19610407'],
    [0x0010, 0x0040, 'CS', options.sex ?? 'F'],
    [0x0020, 0x000d, 'UI', uids.study],
    [0x0020, 0x000e, 'UI', series],
    [0x0020, 0x0010, 'SH', 'S1'],
    [0x0020, 0x0011, 'IS', String(number)],
  ];
  const pixels = (rows: number, cols: number): El[] => [
    [0x0028, 0x0002, 'US', [1]],
    [0x0028, 0x0004, 'CS', 'MONOCHROME2'],
    [0x0028, 0x0010, 'US', [rows]],
    [0x0028, 0x0011, 'US', [cols]],
    [0x0028, 0x0100, 'US', [16]],
    [0x0028, 0x0101, 'US', [16]],
    [0x0028, 0x0102, 'US', [15]],
    [0x0028, 0x0103, 'US', [0]],
    [0x7fe0, 0x0010, 'OW', new Uint8Array(rows * cols * 2).fill(7)],
  ];
  const ref = (sopClass: string, sopInstance: string): Item => [
    [0x0008, 0x1150, 'UI', sopClass],
    [0x0008, 0x1155, 'UI', sopInstance],
  ];
  const approval = (status: string): El[] =>
    status === 'APPROVED'
      ? [
          [0x300e, 0x0002, 'CS', status],
          [0x300e, 0x0004, 'DA', '20260303'],
          [0x300e, 0x0005, 'TM', '120000'],
          [0x300e, 0x0008, 'PN', 'PHYSICIST^ANNA'],
        ]
      : [[0x300e, 0x0002, 'CS', status]];

  const files: GeneratedFile[] = [];
  if (!omit.has('CT')) {
    uids.ctInstances.forEach((sop, i) => {
      files.push({
        path: `CT/CT${i + 1}.dcm`,
        bytes: part10(SOP.CT, sop, [
          ...common('CT', uids.series.CT, 1, SOP.CT, sop),
          [0x0018, 0x0015, 'CS', 'PELVIS'],
          [0x0020, 0x0013, 'IS', String(i + 1)],
          [0x0020, 0x0052, 'UI', uids.frame],
          ...pixels(8, 8),
        ]),
      });
    });
  }
  if (!omit.has('RTSTRUCT')) {
    const points = options.contourPoints ?? 4;
    const contourData = Array.from({ length: points * 3 }, (_, i) => (i * 1.5).toFixed(1));
    files.push({
      path: 'RTSTRUCT/RS1.dcm',
      bytes: part10(SOP.RTSTRUCT, uids.structure, [
        ...common('RTSTRUCT', uids.series.RTSTRUCT, 2, SOP.RTSTRUCT, uids.structure),
        [0x3006, 0x0002, 'SH', 'PELVIS RS'],
        [0x3006, 0x0004, 'LO', 'Pelvis structures'],
        [0x3006, 0x0008, 'DA', '20260302'],
        [
          0x3006,
          0x0010,
          'SQ',
          [
            [
              [0x0020, 0x0052, 'UI', uids.frame],
              [
                0x3006,
                0x0012,
                'SQ',
                [
                  [
                    [0x0008, 0x1150, 'UI', '1.2.840.10008.3.1.2.3.1'],
                    [0x0008, 0x1155, 'UI', uids.study],
                    [
                      0x3006,
                      0x0014,
                      'SQ',
                      [
                        [
                          [0x0020, 0x000e, 'UI', uids.series.CT],
                          [0x3006, 0x0016, 'SQ', uids.ctInstances.map((sop) => ref(SOP.CT, sop))],
                        ],
                      ],
                    ],
                  ],
                ],
              ],
            ],
          ],
        ],
        [
          0x3006,
          0x0020,
          'SQ',
          [
            [
              [0x3006, 0x0022, 'IS', '1'],
              [0x3006, 0x0024, 'UI', uids.frame],
              [0x3006, 0x0026, 'LO', 'PTV'],
            ],
            [
              [0x3006, 0x0022, 'IS', '2'],
              [0x3006, 0x0024, 'UI', uids.frame],
              [0x3006, 0x0026, 'LO', 'Bladder'],
            ],
          ],
        ],
        [
          0x3006,
          0x0039,
          'SQ',
          [
            [
              [
                0x3006,
                0x0040,
                'SQ',
                Array.from(
                  { length: options.contours ?? 1 },
                  (_, c): Item => [
                    [0x3006, 0x0016, 'SQ', [ref(SOP.CT, uids.ctInstances[c % slices]!)]],
                    [0x3006, 0x0042, 'CS', 'CLOSED_PLANAR'],
                    [0x3006, 0x0046, 'IS', String(points)],
                    [0x3006, 0x0050, 'DS', contourData],
                  ],
                ),
              ],
              [0x3006, 0x0084, 'IS', '1'],
            ],
          ],
        ],
        ...approval('APPROVED'),
      ]),
    });
  }
  if (!omit.has('RTPLAN')) {
    const beam = (n: number): Item => [
      [0x300a, 0x00b2, 'SH', 'TrueBeam'],
      [0x300a, 0x00c0, 'IS', String(n)],
      [0x300a, 0x00c2, 'LO', `Beam ${n}`],
    ];
    files.push({
      path: 'RTPLAN/RP1.dcm',
      bytes: part10(SOP.RTPLAN, uids.plan, [
        ...common('RTPLAN', uids.series.RTPLAN, 3, SOP.RTPLAN, uids.plan),
        [0x300a, 0x0002, 'SH', 'PELVIS VMAT'],
        [0x300a, 0x0003, 'LO', 'Pelvis 2 arcs'],
        [0x300a, 0x000a, 'CS', 'CURATIVE'],
        [0x300a, 0x000c, 'CS', 'PATIENT'],
        [0x300a, 0x0070, 'SQ', [[[0x300a, 0x0071, 'IS', '1']]]],
        [0x300a, 0x00b0, 'SQ', [beam(1), beam(2)]],
        [0x300c, 0x0060, 'SQ', [ref(SOP.RTSTRUCT, uids.structure)]],
        ...approval('APPROVED'),
      ]),
    });
  }
  if (!omit.has('RTDOSE')) {
    files.push({
      path: 'RTDOSE/RD1.dcm',
      bytes: part10(SOP.RTDOSE, uids.dose, [
        ...common('RTDOSE', uids.series.RTDOSE, 4, SOP.RTDOSE, uids.dose),
        [0x0020, 0x0052, 'UI', uids.frame],
        [0x3004, 0x0002, 'CS', 'GY'],
        [0x3004, 0x0004, 'CS', 'PHYSICAL'],
        [0x3004, 0x000a, 'CS', 'PLAN'],
        [0x300c, 0x0002, 'SQ', [ref(SOP.RTPLAN, uids.plan)]],
        [0x300c, 0x0060, 'SQ', [ref(SOP.RTSTRUCT, uids.structure)]],
        ...pixels(4, 4),
      ]),
    });
  }
  if (!omit.has('RTIMAGE')) {
    for (let i = 1; i <= (options.rtImages ?? 2); i++) {
      const sop = `${uids.series.RTIMAGE}.${i}`;
      files.push({
        path: `RTIMAGE/RI${i}.dcm`,
        bytes: part10(SOP.RTIMAGE, sop, [
          ...common('RTIMAGE', uids.series.RTIMAGE, 5, SOP.RTIMAGE, sop),
          [0x0020, 0x0013, 'IS', String(i)],
          [0x3002, 0x0002, 'SH', `DRR ${i}`],
          [0x300c, 0x0002, 'SQ', [ref(SOP.RTPLAN, uids.plan)]],
          ...pixels(4, 4),
        ]),
      });
    }
  }
  return { files, uids };
}

/**
 * Writes generated files under `dir` (creating folders), each at `prefix/path`.
 *
 * @example
 * await writeFiles(tmp, generateRtSet().files);
 */
export async function writeFiles(dir: string, files: readonly GeneratedFile[], prefix = ''): Promise<void> {
  for (const f of files) {
    const full = join(dir, prefix, f.path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, f.bytes);
  }
}
