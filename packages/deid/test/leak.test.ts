/**
 * Leak test (issue 4): synthetic instances full of identifying values at every depth → the output
 * BYTES (not the parsed attributes) must hold none of the identifying strings. Run with the Basic
 * Profile alone (nothing may remain) and with the trial default options (only what an option
 * retains on purpose — dates, device identity, patient sex — may remain). Every free-text value
 * also names the patient, a physician or a date, so the Clean options must drop it too.
 */
import { readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import type { DeidConfig } from '../src/config.js';
import { deidentify } from '../src/deidentify.js';
import { DEFAULT_TRIAL_OPTIONS, type DeidOption } from '../src/options.js';
import { buildInstance, type Spec } from './build-instance.js';
import { concat } from './concat.js';
import { dcmdumpAvailable, dcmdumpFiles } from './dcmdump.js';

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Identifying strings, each placed somewhere in the instance below. */
const SECRETS = {
  name: 'Zanzibar',
  given: 'Quentin',
  umlautName: 'Müllerström', // ISO_IR 100 bytes
  patientId: 'QX778899',
  otherId: 'OTHERID4455',
  birthDate: '19610417',
  address: 'Elmstreet 12',
  phone: '555-0199-777',
  mother: 'Blumenthal',
  institution: 'Quirinus',
  institutionAddress: 'Hospitalweg',
  department: 'Radioonkologie',
  referring: 'Oppenheimer',
  performing: 'Lindqvist',
  operator: 'Kowalczyk',
  requesting: 'Fairweather',
  accession: 'ACCQ55231',
  studyId: 'STQ99',
  otherNames: 'Aliasname',
  comments: 'fell from horse',
  privateName: 'PrivZanzi',
  unknownCreator: 'Mystery Vendor',
  srText: 'TextValueSecret',
  graphicText: 'GraphicNote',
  overlay: 'OverlayNote',
  studyUid: '1.2.826.0.1.3680043.77.1',
  seriesUid: '1.2.826.0.1.3680043.77.2',
  sopUid: '1.2.826.0.1.3680043.77.3',
  refUid: '1.2.826.0.1.3680043.77.4',
  deviceSerial: 'SNXY99812',
  stationName: 'CTROOM7Q',
  studyDate: '20230517',
  acquisitionDateTime: '20230517081502',
  evaluator: 'Evaluatorson',
  altBirthDate: 'Shaban 1380',
  requestingCode: 'REQPHYS77',
  trialParticipation: 'OTHERTRIAL-12',
  doseComment: 'approved by Dr. Kowalski',
  encrypted: 'CIPHERTEXT-NAME',
} as const;

/** Strings an option retains on purpose: never searched under that option. */
const RETAINED_BY: Partial<Record<DeidOption, readonly (keyof typeof SECRETS)[]>> = {
  retainLongitudinalFullDates: ['studyDate', 'acquisitionDateTime'],
  retainDeviceIdentity: ['deviceSerial', 'stationName'],
};

const item = (...e: Spec[]): Spec[] => e;
const specs: Spec[] = [
  { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 100' },
  { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
  { tag: 0x00080018, vr: 'UI', value: SECRETS.sopUid },
  { tag: 0x00080020, vr: 'DA', value: SECRETS.studyDate },
  { tag: 0x0008002a, vr: 'DT', value: SECRETS.acquisitionDateTime },
  { tag: 0x00080050, vr: 'SH', value: SECRETS.accession },
  { tag: 0x00080080, vr: 'LO', value: `St ${SECRETS.institution} Hospital` },
  { tag: 0x00080081, vr: 'ST', value: `${SECRETS.institutionAddress} 1, Berlin` },
  { tag: 0x00080090, vr: 'PN', value: `${SECRETS.referring}^Walter` },
  { tag: 0x00081010, vr: 'SH', value: SECRETS.stationName },
  { tag: 0x00081030, vr: 'LO', value: `CT for ${SECRETS.name}` },
  { tag: 0x0008103e, vr: 'LO', value: `Thorax ${SECRETS.given}` },
  { tag: 0x00081040, vr: 'LO', value: SECRETS.department },
  { tag: 0x00081050, vr: 'PN', value: `${SECRETS.performing}^Sofia` },
  { tag: 0x00081070, vr: 'PN', value: `${SECRETS.operator}^Irena` },
  {
    tag: 0x00081110,
    vr: 'SQ',
    value: [
      item(
        { tag: 0x00081150, vr: 'UI', value: '1.2.840.10008.3.1.2.3.1' },
        { tag: 0x00081155, vr: 'UI', value: SECRETS.refUid },
      ),
    ],
  },
  {
    tag: 0x00081140,
    vr: 'SQ',
    undefinedLength: true,
    value: [
      item(
        { tag: 0x00081150, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
        { tag: 0x00081155, vr: 'UI', value: SECRETS.refUid },
        // A private block and an unknown public tag inside an item, two levels down.
        { tag: 0x00290010, vr: 'LO', value: SECRETS.unknownCreator },
        { tag: 0x00291001, vr: 'LO', value: SECRETS.privateName },
        {
          tag: 0x0040a730,
          vr: 'SQ',
          value: [
            item(
              { tag: 0x0040a040, vr: 'CS', value: 'TEXT' },
              { tag: 0x0040a160, vr: 'UT', value: `${SECRETS.srText} seen by ${SECRETS.referring}` },
            ),
          ],
        },
      ),
    ],
  },
  { tag: 0x00090010, vr: 'LO', value: 'ACME 1.0' },
  { tag: 0x00091001, vr: 'LO', value: `${SECRETS.name}^${SECRETS.given}` },
  { tag: 0x00091002, vr: 'UN', value: latin1(SECRETS.privateName) },
  { tag: 0x00100010, vr: 'PN', value: `${SECRETS.name}^${SECRETS.given}` },
  { tag: 0x00100020, vr: 'LO', value: SECRETS.patientId },
  { tag: 0x00100030, vr: 'DA', value: SECRETS.birthDate },
  { tag: 0x00100040, vr: 'CS', value: 'M' },
  { tag: 0x00100033, vr: 'LO', value: SECRETS.altBirthDate },
  { tag: 0x00101000, vr: 'LO', value: SECRETS.otherId },
  { tag: 0x00101001, vr: 'PN', value: latin1(`${SECRETS.umlautName}^${SECRETS.otherNames}`) },
  { tag: 0x00101040, vr: 'LO', value: SECRETS.address },
  { tag: 0x00101060, vr: 'PN', value: SECRETS.mother },
  { tag: 0x00102154, vr: 'SH', value: SECRETS.phone },
  { tag: 0x00142006, vr: 'PN', value: SECRETS.evaluator },
  { tag: 0x00181000, vr: 'LO', value: SECRETS.deviceSerial },
  { tag: 0x0020000d, vr: 'UI', value: SECRETS.studyUid },
  { tag: 0x0020000e, vr: 'UI', value: SECRETS.seriesUid },
  { tag: 0x00200010, vr: 'SH', value: SECRETS.studyId },
  { tag: 0x00204000, vr: 'LT', value: `Patient ${SECRETS.name}: ${SECRETS.comments}` },
  {
    tag: 0x00400275,
    vr: 'SQ',
    value: [
      item(
        { tag: 0x00321032, vr: 'PN', value: `${SECRETS.requesting}^Tom` },
        { tag: 0x00400009, vr: 'SH', value: SECRETS.accession },
        { tag: 0x00401001, vr: 'SH', value: SECRETS.studyId },
      ),
    ],
  },
  {
    tag: 0x00321031,
    vr: 'SQ',
    value: [
      item({ tag: 0x00401101, vr: 'SQ', value: [item({ tag: 0x00080100, vr: 'SH', value: SECRETS.requestingCode })] }),
    ],
  },
  { tag: 0x00380502, vr: 'SQ', value: [item({ tag: 0x00120040, vr: 'LO', value: SECRETS.trialParticipation })] },
  { tag: 0x00451234, vr: 'LO', value: SECRETS.privateName }, // private element without a creator
  { tag: 0x04000500, vr: 'SQ', value: [item({ tag: 0x04000520, vr: 'OB', value: latin1(SECRETS.encrypted) })] },
  { tag: 0x30040006, vr: 'LO', value: SECRETS.doseComment },
  {
    tag: 0x00700001,
    vr: 'SQ',
    value: [
      item({
        tag: 0x00700008,
        vr: 'SQ',
        value: [item({ tag: 0x00700006, vr: 'ST', value: `${SECRETS.graphicText} 03/04/2021` })],
      }),
    ],
  },
  { tag: 0x60000010, vr: 'US', value: [4] },
  { tag: 0x60004000, vr: 'LT', value: SECRETS.overlay },
  { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(16) },
];

const base: Omit<DeidConfig, 'options'> = {
  patientId: 'TRIAL-0001',
  patientName: '0001',
  uidSecret: 'leak-test-secret-0123456789',
};

function findLeaks(output: Uint8Array, skip: readonly string[]): string[] {
  const text = new TextDecoder('latin1').decode(output).toUpperCase();
  return Object.entries(SECRETS)
    .filter(([key]) => !skip.includes(key))
    .filter(([, value]) => text.includes(new TextDecoder('latin1').decode(latin1(value)).toUpperCase()))
    .map(([key]) => key);
}

describe('no identifying string survives in the output bytes', () => {
  const input = buildInstance(specs);

  it('holds every identifying string in the input (the test would notice nothing otherwise)', () => {
    expect(findLeaks(input, [])).toEqual(Object.keys(SECRETS));
  });

  const runs: [string, readonly DeidOption[]][] = [
    ['the Basic Profile', []],
    ['the trial defaults', DEFAULT_TRIAL_OPTIONS],
    [
      'Clean Descriptors, Clean Structured Content and Clean Graphics',
      ['cleanDescriptors', 'cleanStructuredContent', 'cleanGraphics'],
    ],
    ['Modified Dates', ['retainLongitudinalModifiedDates']],
  ];
  for (const [label, options] of runs) {
    it(`under ${label}`, () => {
      const config: DeidConfig = {
        ...base,
        options,
        ...(options.includes('retainLongitudinalModifiedDates') ? { dateShiftDays: -17 } : {}),
      };
      const output = concat(deidentify(readDicom(input, { headerOnly: true }), config), input);
      const skip = options.flatMap((o) => RETAINED_BY[o] ?? []);
      expect(findLeaks(output, skip)).toEqual([]);
      expect(readDicom(output).dataSet.elements.has(0x7fe00010)).toBe(true);
      if (dcmdumpAvailable()) {
        const [r] = dcmdumpFiles([output]);
        expect(r?.status).toBe(0);
        expect(r?.errors).toBe('');
      }
    });
  }
});
