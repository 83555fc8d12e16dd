import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import {
  DICTIONARY_SOURCE,
  IOD_ALLOWED_OUTPUT,
  parseProbeOutput,
  probeAttributes,
  probeSopClass,
  readAllowedData,
  renderIodAllowed,
} from '../scripts/generate-iod-allowed.js';
import { buildInstance, type Spec } from '../test/build-instance.js';
import { dciodvfyOrSkip } from '../test/dciodvfy.js';
import type { DeidConfig } from './config.js';
import { IDENTITY_TAGS } from './identity.js';
import { iodAllowedTags, isNewerThanIodTables } from './iod-allowed.js';
import { iodAttributeTypes } from './iod-types.js';
import { DEFAULT_TRIAL_OPTIONS } from './options.js';
import { planDeidentification } from './plan-deidentification.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const MR = '1.2.840.10008.5.1.4.1.1.4';
const RT_PLAN = '1.2.840.10008.5.1.4.1.1.481.5';
const RT_STRUCT = '1.2.840.10008.5.1.4.1.1.481.3';
const RT_DOSE = '1.2.840.10008.5.1.4.1.1.481.2';
const SC = '1.2.840.10008.5.1.4.1.1.7';

describe('IOD allowed sets (scripts/generate-iod-allowed.ts)', () => {
  it('are generated from the committed data file (the generated module matches a fresh render)', () => {
    expect(readFileSync(IOD_ALLOWED_OUTPUT, 'utf8')).toBe(renderIodAllowed(readAllowedData()));
  });

  it('record where they come from: tool, version, date, dictionary', () => {
    const data = readAllowedData();
    expect(data.tool).toMatch(/dciodvfy/);
    expect(data.toolVersion).toMatch(/^1\.00\.snapshot\.2022/);
    expect(data.probed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(data.dictionary).toMatch(/2024e/);
  });

  it('parse dciodvfy output: the IOD, dumped tags, unknown tags, flagged tags and module presence', () => {
    const out = parseProbeOutput(
      [
        '(0x0008,0x0400)  ?  - Warning - Unrecognized tag - assuming explicit value representation OK',
        'CTImage',
        'Warning - Attribute is not present in standard DICOM IOD - (0x300a,0x0002) SH RT Plan Label ',
        '\tModule <Patient>',
        '\tModule <MultienergyCTImage> not present',
        "(0x0010,0x0010) PN Patient's Name \t VR=<PN>   VL=<0x000a>  Used=<T> IE=<Patient> <Probe^Value> ",
      ].join('\n'),
    );
    expect(out.iod).toBe('CTImage');
    expect([...out.read]).toEqual(['00100010']);
    expect([...out.unknown]).toEqual(['00080400']);
    expect([...out.flagged]).toEqual(['300a0002']);
    expect(out.modules).toEqual([
      { name: 'Patient', present: true },
      { name: 'MultienergyCTImage', present: false },
    ]);
  });

  it('allow what PS3.3 puts in the IOD and nothing of other IODs', () => {
    const ct = iodAllowedTags(CT)!;
    expect(ct.has(0x00100010)).toBe(true); // Patient's Name, Patient Module
    expect(ct.has(0x7fe00010)).toBe(true); // Pixel Data, Image Pixel
    expect(ct.has(0x00180060)).toBe(true); // KVP, CT Image C.8-3
    expect(ct.has(0x00181030)).toBe(true); // Protocol Name, General Series
    expect(ct.has(0x00189362)).toBe(true); // Multi-energy CT Acquisition Sequence (a conditional module, probed as a variant)
    expect(ct.has(0x300a0002)).toBe(false); // RT Plan Label
    expect(ct.has(0x00541001)).toBe(false); // Units (PET Series)
    expect(ct.has(0x30060020)).toBe(false); // Structure Set ROI Sequence
    const plan = iodAllowedTags(RT_PLAN)!;
    expect(plan.has(0x300a00b0)).toBe(true); // Beam Sequence, RT Beams C.8-47
    expect(plan.has(0x300a0002)).toBe(true); // RT Plan Label
    expect(plan.has(0x7fe00010)).toBe(false); // no pixels in a plan
    expect(iodAllowedTags(RT_STRUCT)!.has(0x30060039)).toBe(true); // ROI Contour Sequence
    expect(iodAllowedTags(RT_DOSE)!.has(0x3004000c)).toBe(true); // Grid Frame Offset Vector (multi-frame dose)
    expect(iodAllowedTags(MR)!.has(0x00180081)).toBe(true); // Echo Time
    // SR root content item (PS3.3 C.17.3): Continuity Of Content, also in IODs newer than the 2008 module lists.
    expect(iodAllowedTags('1.2.840.10008.5.1.4.1.1.88.34')!.has(0x0040a050)).toBe(true); // Comprehensive 3D SR
    expect(iodAllowedTags('1.2.840.10008.5.1.4.1.1.88.34')!.has(0x0040a730)).toBe(true); // Content Sequence
    expect(iodAllowedTags(SC)!.has(0x00280008)).toBe(false); // Number of Frames: SC Image is single-frame
    expect(iodAllowedTags('1.2.3.4')).toBeUndefined();
  });

  it('allow every attribute the module tables of iod-types.ts place in the IOD', () => {
    for (const sop of [CT, MR, RT_PLAN, RT_STRUCT, RT_DOSE]) {
      const allowed = iodAllowedTags(sop)!;
      for (const t of iodAttributeTypes(sop)?.keys() ?? []) {
        if (t >>> 16 > 0x0002) expect(allowed.has(t), t.toString(16)).toBe(true);
      }
    }
  });

  it('name the attributes newer than the tool (PS3.6 2024e additions after 2022)', () => {
    expect(isNewerThanIodTables(0x00080400)).toBe(true); // a 2023+ attribute dciodvfy 2022 does not know
    expect(isNewerThanIodTables(0x00100010)).toBe(false);
    const unknown = readAllowedData().unknownToTool.split(' ');
    expect(unknown.length).toBeGreaterThan(100);
    expect(unknown.length).toBeLessThan(400);
  });

  const bin = dciodvfyOrSkip();
  it.skipIf(bin === undefined)(
    'match a fresh probe of dciodvfy for CT Image and RT Plan (drift test)',
    () => {
      const data = readAllowedData();
      const attributes = probeAttributes(JSON.parse(readFileSync(DICTIONARY_SOURCE, 'utf8')));
      const dir = mkdtempSync(join(tmpdir(), 'courier-iod-drift-'));
      try {
        for (const sop of [CT, RT_PLAN]) {
          const fresh = probeSopClass(bin!, dir, sop, attributes);
          const stored = Object.values(data.iods).find((v) => v.sopClasses.includes(sop))!;
          expect([...fresh.allowed].sort().join(' ')).toBe(stored.allowed);
          expect([...fresh.absentModules].sort()).toEqual(stored.absentModules);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});

const config: DeidConfig = {
  options: DEFAULT_TRIAL_OPTIONS,
  patientId: 'T-1',
  patientName: 'T1',
  uidSecret: 'iod-allowed-0123456789',
  clinicalTrial: { sponsorName: 'ACME', protocolId: 'P1', siteId: 'S1', subjectId: '0001', timePointId: 'BASELINE' },
};

const instance = (sopClass: string, extra: Spec[]) =>
  readDicom(
    buildInstance([
      { tag: 0x00080016, vr: 'UI', value: sopClass },
      { tag: 0x00080018, vr: 'UI', value: '1.2.3.4.5.6' },
      { tag: 0x0020000d, vr: 'UI', value: '1.2.3.4' },
      { tag: 0x0020000e, vr: 'UI', value: '1.2.3.4.5' },
      ...extra,
    ]),
  );

describe('the IOD rule in planDeidentification (PS3.15 E.1.1: not in the table and not in the IOD → removed)', () => {
  const units: Spec = { tag: 0x00541001, vr: 'CS', value: 'BQML' }; // Units: PET Series, not in Table E.1-1
  const planIntent: Spec = { tag: 0x300a000a, vr: 'CS', value: 'CURATIVE' }; // Plan Intent, not in Table E.1-1
  const kvp: Spec = { tag: 0x00180060, vr: 'DS', value: '120' }; // KVP: CT Image
  const rows: Spec = { tag: 0x00280010, vr: 'US', value: [512] };
  const nested = (item: Spec[]): Spec => ({ tag: 0x00081140, vr: 'SQ', value: [item] }); // Referenced Image Sequence

  const cases: {
    what: string;
    sop: string;
    specs: Spec[];
    path: string;
    action: string;
    reason?: string;
    options?: DeidConfig['options'];
  }[] = [
    {
      what: 'Units at the top of a CT',
      sop: CT,
      specs: [units],
      path: '(0054,1001)',
      action: 'X',
      reason: 'NOT_IN_IOD',
    },
    {
      what: 'Plan Intent at the top of a CT',
      sop: CT,
      specs: [planIntent],
      path: '(300A,000A)',
      action: 'X',
      reason: 'NOT_IN_IOD',
    },
    { what: 'Plan Intent in an RT Plan', sop: RT_PLAN, specs: [planIntent], path: '(300A,000A)', action: 'K' },
    { what: 'KVP in a CT', sop: CT, specs: [kvp], path: '(0018,0060)', action: 'K' },
    { what: 'Rows in a CT', sop: CT, specs: [rows], path: '(0028,0010)', action: 'K' },
    { what: 'KVP in an RT Plan', sop: RT_PLAN, specs: [kvp], path: '(0018,0060)', action: 'X', reason: 'NOT_IN_IOD' },
    // Pixel description outside the IOD stays (multi-frame images sent as Secondary Capture).
    {
      what: 'Number of Frames in a Secondary Capture Image (single-frame IOD)',
      sop: SC,
      specs: [{ tag: 0x00280008, vr: 'IS', value: '2' }],
      path: '(0028,0008)',
      action: 'K',
    },
    // Inside sequences the dictionary rule stays: no table says what a sequence item may hold.
    {
      what: 'Units inside a sequence item of a CT',
      sop: CT,
      specs: [nested([units])],
      path: '(0008,1140)[0]/(0054,1001)',
      action: 'K',
    },
    // Unknown SOP Class: nothing says what its IOD holds; the dictionary rule stays.
    { what: 'Units in an unknown SOP Class', sop: '1.2.3.999', specs: [units], path: '(0054,1001)', action: 'K' },
    // A Table E.1-1 row governs its attribute, inside the IOD or not (RT Plan Date X/D in a CT,
    // Basic Profile: Type unknown → D; RT Plan Label D).
    {
      what: 'RT Plan Date (a table row) in a CT',
      sop: CT,
      specs: [{ tag: 0x300a0006, vr: 'DA', value: '20240302' }],
      path: '(300A,0006)',
      action: 'D',
      options: [],
    },
    {
      what: 'RT Plan Label (a table row) in a CT',
      sop: CT,
      specs: [{ tag: 0x300a0002, vr: 'SH', value: 'PLAN' }],
      path: '(300A,0002)',
      action: 'D',
    },
    // Retain Device Identity: Device Serial Number (table row K) stays in a CT.
    {
      what: 'Device Serial Number under Retain Device Identity',
      sop: CT,
      specs: [{ tag: 0x00181000, vr: 'LO', value: 'SN-1' }],
      path: '(0018,1000)',
      action: 'K',
    },
    // Retain Safe Private: a safe private element stays; private tags are not subject to the IOD rule.
    {
      what: 'a safe private element under Retain Safe Private',
      sop: CT,
      specs: [
        { tag: 0x00190010, vr: 'LO', value: 'SIEMENS MR HEADER' },
        { tag: 0x0019100c, vr: 'IS', value: '1000' },
      ],
      path: '(0019,100C)',
      action: 'K',
    },
    {
      what: 'a safe private element without Retain Safe Private',
      sop: CT,
      specs: [
        { tag: 0x00190010, vr: 'LO', value: 'SIEMENS MR HEADER' },
        { tag: 0x0019100c, vr: 'IS', value: '1000' },
      ],
      path: '(0019,100C)',
      action: 'X',
      options: [],
    },
  ];

  it.each(cases)('$what: $action $reason', ({ sop, specs, path, action, reason, options }) => {
    const plan = planDeidentification(instance(sop, specs), options === undefined ? config : { ...config, options });
    const entry = plan.report.log.find((e) => e.path === path);
    expect(entry?.action).toBe(action);
    expect(entry?.reason).toBe(reason);
    const removed = plan.edit.remove?.includes(Number.parseInt(path.slice(-10).replace(/[(),]/g, ''), 16));
    if (!path.includes('[')) expect(removed).toBe(action === 'X');
  });

  it('keeps what the de-identifier writes, even where the source already held it', () => {
    const written: Spec[] = [
      { tag: IDENTITY_TAGS.patientIdentityRemoved, vr: 'CS', value: 'NO' },
      { tag: IDENTITY_TAGS.deidentificationMethod, vr: 'LO', value: 'OTHER TOOL' },
      { tag: IDENTITY_TAGS.longitudinalTemporalInformationModified, vr: 'CS', value: 'UNMODIFIED' },
      { tag: 0x00120010, vr: 'LO', value: 'OTHER SPONSOR' },
    ];
    for (const sop of [CT, RT_PLAN, RT_STRUCT, RT_DOSE, MR]) {
      const plan = planDeidentification(instance(sop, written), config);
      expect(plan.report.log.filter((e) => e.reason === 'NOT_IN_IOD')).toEqual([]);
      const set = new Set(plan.edit.set?.map((e) => e.tag));
      for (const t of [
        IDENTITY_TAGS.patientIdentityRemoved,
        IDENTITY_TAGS.deidentificationMethod,
        IDENTITY_TAGS.deidentificationMethodCodeSequence,
        IDENTITY_TAGS.longitudinalTemporalInformationModified,
        0x00120010, // Clinical Trial Sponsor Name
        0x00120040, // Clinical Trial Subject ID
        0x00120050, // Clinical Trial Time Point ID
      ]) {
        expect(set.has(t), `${sop} ${t.toString(16)}`).toBe(true);
        expect(plan.edit.remove?.includes(t) ?? false).toBe(false);
      }
    }
  });

  it('counts removals outside the IOD with the other removals', () => {
    const without = planDeidentification(instance(CT, [kvp]), config).report.counts.removed;
    const plan = planDeidentification(instance(CT, [kvp, units, planIntent]), config);
    expect(plan.report.counts.removed).toBe(without + 2);
    expect(plan.report.log.filter((e) => e.reason === 'NOT_IN_IOD').map((e) => e.path)).toEqual([
      '(0054,1001)',
      '(300A,000A)',
    ]);
  });
});
