import { readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { buildInstance, type Spec } from '../test/build-instance.js';
import type { DeidConfig } from './config.js';
import { DEFAULT_TRIAL_OPTIONS } from './options.js';
import { planDeidentification } from './plan-deidentification.js';
import { remapUid } from './uid-map.js';

const SECRET = 'test-secret-0123456789';
const config: DeidConfig = {
  options: DEFAULT_TRIAL_OPTIONS,
  patientId: 'STUDY1-0007',
  patientName: '0007',
  uidSecret: SECRET,
  clinicalTrial: { sponsorName: 'ACME', protocolId: 'STUDY1', subjectId: '0007' },
};

const base: Spec[] = [
  { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
  { tag: 0x00080018, vr: 'UI', value: '1.2.3.4.5.6' },
  { tag: 0x00080020, vr: 'DA', value: '20240301' },
  { tag: 0x00080050, vr: 'SH', value: 'ACC123' },
  { tag: 0x00080090, vr: 'PN', value: 'House^Gregory' },
  { tag: 0x0008103e, vr: 'LO', value: 'CT THORAX' },
  {
    tag: 0x00081140,
    vr: 'SQ',
    value: [
      [
        { tag: 0x00081150, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
        { tag: 0x00081155, vr: 'UI', value: '1.2.3.4.5.7' },
      ],
    ],
  },
  { tag: 0x00090010, vr: 'LO', value: 'ACME PRIVATE' },
  { tag: 0x00091001, vr: 'LO', value: 'Doe^Jane' },
  { tag: 0x00100010, vr: 'PN', value: 'Doe^Jane' },
  { tag: 0x00100020, vr: 'LO', value: 'PID-42' },
  { tag: 0x00100030, vr: 'DA', value: '19700102' },
  { tag: 0x00100040, vr: 'CS', value: 'F' },
  { tag: 0x0020000d, vr: 'UI', value: '1.2.3.4' },
  { tag: 0x0020000e, vr: 'UI', value: '1.2.3.4.5' },
  { tag: 0x00280010, vr: 'US', value: [2] },
  { tag: 0x60000010, vr: 'US', value: [2] },
];

describe('planning the de-identification of one instance', () => {
  const file = readDicom(buildInstance(base));
  const plan = planDeidentification(file, config);
  // Text and UID values may be handed to the writer pre-encoded (pre-encode.ts): read them back as text.
  const asText = (v: unknown) =>
    v instanceof Uint8Array ? new TextDecoder('latin1').decode(v).replace(/[\0 ]+$/, '') : v;
  const setOf = (t: number) => asText(plan.edit.set?.find((e) => e.tag === t)?.value);

  it('writes the pseudonym, Patient Identity Removed and the method with its CID 7050 codes', () => {
    expect(setOf(0x00100010)).toBe('0007');
    expect(setOf(0x00100020)).toBe('STUDY1-0007');
    expect(setOf(0x00120062)).toBe('YES');
    expect(setOf(0x00120063)).toMatch(/^Courier \d+\.\d+\.\d+ PS3\.15/);
    const codes = (setOf(0x00120064) as unknown as { tag: number; value: unknown }[][]).map((item) =>
      asText(item[0]?.value),
    );
    expect(codes).toEqual(['113100', '113106', '113108', '113109', '113111']);
    expect(setOf(0x00280303)).toBe('UNMODIFIED');
    expect(setOf(0x00120010)).toBe('ACME');
    expect(setOf(0x00120021)).toBe(''); // Type 2 Protocol Name written empty
  });

  it('remaps UIDs with the keyed hash at the top level and inside sequences, never SOP Class UIDs', () => {
    expect(setOf(0x00080018)).toBe(remapUid(SECRET, '1.2.3.4.5.6'));
    expect(setOf(0x0020000d)).toBe(remapUid(SECRET, '1.2.3.4'));
    expect(setOf(0x00080016)).toBeUndefined();
    const item = plan.edit.items?.get(0x00081140)?.get(0);
    expect(item?.set?.map((e) => ({ ...e, value: asText(e.value) }))).toEqual([
      { tag: 0x00081155, vr: 'UI', value: remapUid(SECRET, '1.2.3.4.5.7') },
    ]);
    expect(plan.metaEdit.set).toEqual([{ tag: 0x00020003, vr: 'UI', value: remapUid(SECRET, '1.2.3.4.5.6') }]);
    expect(plan.metaEdit.remove).toEqual([0x00020016]);
    expect(plan.report.sopInstanceUid).toBe(remapUid(SECRET, '1.2.3.4.5.6'));
  });

  it('applies the table with the trial options: full dates kept, names emptied, private and overlays removed', () => {
    expect(setOf(0x00080020)).toBeUndefined(); // Study Date K (full dates)
    expect(plan.edit.remove).not.toContain(0x00080020);
    expect(setOf(0x00080050)).toBe(''); // Accession Number Z
    expect(setOf(0x00080090)).toBe(''); // Referring Physician Z
    expect(setOf(0x00100030)).toBe(''); // Birth Date Z
    expect(plan.edit.remove).toEqual(expect.arrayContaining([0x0008103e, 0x00090010, 0x00091001, 0x60000010]));
    expect(plan.edit.remove).not.toContain(0x00280010);
    expect(setOf(0x00100040)).toBeUndefined(); // Sex kept (patient characteristics)
  });

  it('logs actions by tag path without any value', () => {
    expect(plan.report.log).toContainEqual({ path: '(0008,1140)[0]/(0008,1155)', action: 'U' });
    expect(JSON.stringify(plan.report)).not.toMatch(/Doe|Jane|PID-42|ACC123|House|1\.2\.3\.4/);
  });

  it('refuses an incomplete configuration', () => {
    expect(() => planDeidentification(file, { ...config, uidSecret: '' })).toThrow(/UID secret/);
  });
});

describe('private elements', () => {
  const specs: Spec[] = [
    { tag: 0x00080018, vr: 'UI', value: '1.2.3.9' },
    { tag: 0x00190010, vr: 'LO', value: 'ACME_UNKNOWN' },
    { tag: 0x00190011, vr: 'LO', value: 'SIEMENS MR HEADER' },
    { tag: 0x00191001, vr: 'LO', value: 'Doe^Jane' }, // ACME block: removed
    { tag: 0x0019110c, vr: 'IS', value: '1000' }, // SIEMENS MR HEADER B_value (block 11): safe
    { tag: 0x00191108, vr: 'CS', value: 'IMAGE NUM 4' }, // same block, not on the list
    { tag: 0x00100010, vr: 'PN', value: 'Doe^Jane' },
  ];
  const file = readDicom(buildInstance(specs));

  it('keeps only safe-listed elements with their Private Creator under Retain Safe Private', () => {
    const plan = planDeidentification(file, { ...config, options: ['retainSafePrivate'] });
    expect([...(plan.edit.remove ?? [])].sort()).toEqual([0x00190010, 0x00191001, 0x00191108]);
  });

  it('removes every private element and creator without the option', () => {
    const plan = planDeidentification(file, { ...config, options: [] });
    expect(plan.edit.remove).toEqual(
      expect.arrayContaining([0x00190010, 0x00190011, 0x00191001, 0x0019110c, 0x00191108]),
    );
  });
});

describe('clean descriptors', () => {
  it('drop a description naming a person found anywhere in the instance, keep a clinical one', () => {
    const file = readDicom(
      buildInstance([
        { tag: 0x00080018, vr: 'UI', value: '1.2.3.10' },
        { tag: 0x00081030, vr: 'LO', value: 'CT THORAX W/O CONTRAST' }, // Study Description: clean
        { tag: 0x0008103e, vr: 'LO', value: 'per Fairweather' }, // names the nested requesting physician
        { tag: 0x00400275, vr: 'SQ', value: [[{ tag: 0x00321032, vr: 'PN', value: 'Fairweather^Tom' }]] },
      ]),
    );
    const plan = planDeidentification(file, { ...config, options: ['cleanDescriptors'] });
    expect(plan.edit.remove).toContain(0x0008103e);
    expect(plan.edit.remove).not.toContain(0x00081030);
    expect(plan.edit.set?.some((e) => e.tag === 0x00081030)).toBe(false);
  });
});
