import type { DeidConfig } from '../src/config.js';
import { DEFAULT_TRIAL_OPTIONS } from '../src/options.js';
import type { Spec } from './build-instance.js';

/** The trial configuration the RT set is de-identified with (default trial options). */
export const RT_SET_CONFIG: DeidConfig = {
  options: DEFAULT_TRIAL_OPTIONS,
  patientId: 'TRIAL1-0042',
  patientName: '0042',
  uidSecret: 'rt-set-secret-0123456789abcdef',
  clinicalTrial: {
    sponsorName: 'ACME',
    protocolId: 'TRIAL1',
    siteId: 'S1',
    subjectId: '0042',
    timePointId: 'BASELINE',
  },
};

/** SOP Class UIDs (PS3.4 B.5). */
export const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';
export const RT_STRUCT = '1.2.840.10008.5.1.4.1.1.481.3';
export const RT_PLAN = '1.2.840.10008.5.1.4.1.1.481.5';
export const RT_DOSE = '1.2.840.10008.5.1.4.1.1.481.2';

/** Original (identifying) UIDs of the generated set, to be searched for in the output. */
export interface RtSetUids {
  study: string;
  frameOfReference: string;
  ctSeries: string;
  ct: string[];
  structSeries: string;
  struct: string;
  planSeries: string;
  plan: string;
  doseSeries: string;
  dose: string;
}

/** A small identifying patient shared by every instance of the set. */
export const RT_PATIENT: Spec[] = [
  { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 100' },
  { tag: 0x00080020, vr: 'DA', value: '20230517' },
  { tag: 0x00080030, vr: 'TM', value: '081500' },
  { tag: 0x00080050, vr: 'SH', value: 'ACCQ55231' },
  { tag: 0x00080080, vr: 'LO', value: 'Saint Quirinus Hospital' },
  { tag: 0x00080090, vr: 'PN', value: 'Oppenheimer^Walter' },
  { tag: 0x00100010, vr: 'PN', value: 'Zanzibar^Quentin' },
  { tag: 0x00100020, vr: 'LO', value: 'QX778899' },
  { tag: 0x00100030, vr: 'DA', value: '19610417' },
  { tag: 0x00100040, vr: 'CS', value: 'M' },
  { tag: 0x00200010, vr: 'SH', value: 'STQ99' },
];

/**
 * A CT series of `slices` images, an RTSTRUCT on it, an RTPLAN on the structure set and an
 * RTDOSE on the plan, with the references of PS3.3 C.8.8.5 (Structure Set), C.8.8.9 / C.8.8.10
 * (RT General Plan, Referenced Structure Set), C.8.8.3 (RT Dose, Referenced RT Plan) and the
 * Frame of Reference shared by all. Each CT carries 64 bytes of Pixel Data.
 */
export function rtSet(prefix: string, slices: number): { uids: RtSetUids; instances: Spec[][] } {
  const u = (s: string) => `${prefix}.${s}`;
  const uids: RtSetUids = {
    study: u('1'),
    frameOfReference: u('2'),
    ctSeries: u('3'),
    ct: Array.from({ length: slices }, (_, i) => u(`3.${i + 1}`)),
    structSeries: u('4'),
    struct: u('4.1'),
    planSeries: u('5'),
    plan: u('5.1'),
    doseSeries: u('6'),
    dose: u('6.1'),
  };
  const common = (sopClass: string, sop: string, series: string, modality: string): Spec[] => [
    ...RT_PATIENT,
    { tag: 0x00080016, vr: 'UI', value: sopClass },
    { tag: 0x00080018, vr: 'UI', value: sop },
    { tag: 0x00080060, vr: 'CS', value: modality },
    { tag: 0x0020000d, vr: 'UI', value: uids.study },
    { tag: 0x0020000e, vr: 'UI', value: series },
    { tag: 0x00200052, vr: 'UI', value: uids.frameOfReference },
  ];
  const ref = (sopClass: string, sop: string): Spec[] => [
    { tag: 0x00081150, vr: 'UI', value: sopClass },
    { tag: 0x00081155, vr: 'UI', value: sop },
  ];
  const cts = uids.ct.map((sop, i) => [
    ...common(CT_IMAGE, sop, uids.ctSeries, 'CT'),
    { tag: 0x00181000, vr: 'LO', value: 'SN-XY-99812' },
    { tag: 0x00200013, vr: 'IS', value: String(i + 1) },
    { tag: 0x00280010, vr: 'US', value: [4] },
    { tag: 0x00280011, vr: 'US', value: [8] },
    { tag: 0x00280100, vr: 'US', value: [16] },
    { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(64).fill(0x5a) },
  ]);
  const struct: Spec[] = [
    ...common(RT_STRUCT, uids.struct, uids.structSeries, 'RTSTRUCT'),
    { tag: 0x30060002, vr: 'SH', value: 'PTV Quentin' },
    {
      tag: 0x30060010,
      vr: 'SQ',
      undefinedLength: true,
      value: [
        [
          { tag: 0x00200052, vr: 'UI', value: uids.frameOfReference },
          {
            tag: 0x30060012,
            vr: 'SQ',
            value: [
              [
                ...ref('1.2.840.10008.3.1.2.3.1', uids.study),
                {
                  tag: 0x30060014,
                  vr: 'SQ',
                  undefinedLength: true,
                  value: [
                    [
                      { tag: 0x0020000e, vr: 'UI', value: uids.ctSeries },
                      { tag: 0x30060016, vr: 'SQ', value: uids.ct.map((sop) => ref(CT_IMAGE, sop)) },
                    ],
                  ],
                },
              ],
            ],
          },
        ],
      ],
    },
    {
      tag: 0x30060020,
      vr: 'SQ',
      value: [
        [
          { tag: 0x30060022, vr: 'IS', value: '1' },
          { tag: 0x30060024, vr: 'UI', value: uids.frameOfReference },
          { tag: 0x30060026, vr: 'LO', value: 'PTV' },
        ],
      ],
    },
    {
      tag: 0x30060039,
      vr: 'SQ',
      value: [
        [
          { tag: 0x30060084, vr: 'IS', value: '1' },
          {
            tag: 0x30060040,
            vr: 'SQ',
            value: [
              [
                { tag: 0x30060016, vr: 'SQ', value: [ref(CT_IMAGE, uids.ct[0] ?? '')] },
                { tag: 0x30060042, vr: 'CS', value: 'CLOSED_PLANAR' },
                { tag: 0x30060046, vr: 'IS', value: '1' },
                { tag: 0x30060050, vr: 'DS', value: ['0', '0', '0'] },
              ],
            ],
          },
        ],
      ],
    },
  ];
  const plan: Spec[] = [
    ...common(RT_PLAN, uids.plan, uids.planSeries, 'RTPLAN'),
    { tag: 0x300a0002, vr: 'SH', value: 'PLAN QX' },
    { tag: 0x300a000e, vr: 'ST', value: 'Plan for Zanzibar, call 030 5550199' },
    { tag: 0x300c0060, vr: 'SQ', value: [ref(RT_STRUCT, uids.struct)] },
  ];
  const dose: Spec[] = [
    ...common(RT_DOSE, uids.dose, uids.doseSeries, 'RTDOSE'),
    { tag: 0x300c0002, vr: 'SQ', value: [ref(RT_PLAN, uids.plan)] },
    { tag: 0x3004000a, vr: 'CS', value: 'PLAN' },
  ];
  return { uids, instances: [...cts, struct, plan, dose] };
}
