import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { part10 } from '../test/dicom-builder.js';
import { hasPydicomFiles, PYDICOM_TEST_FILES } from '../test/system-fixtures.js';
import { extractInstance, type InstanceIdentity, identityOf } from './extract-instance.js';

async function extract(name: string) {
  const bytes = new Uint8Array(await readFile(join(PYDICOM_TEST_FILES, name)));
  const file = readDicom(bytes, { headerOnly: true });
  const identity = identityOf(file) as Required<InstanceIdentity>;
  return extractInstance(file, identity, { path: name, size: bytes.length });
}

describe.runIf(hasPydicomFiles())('extractInstance on pydicom test files', () => {
  it("reads rtstruct.dcm's label, ROI names and its image series reference by Series Instance UID", async () => {
    const r = await extract('rtstruct.dcm');
    expect(r.modality).toBe('RTSTRUCT');
    expect(r.rt).toMatchObject({ label: 'sep30', roiNames: ['patient', 'Isocenter 1', 'Isocenter 2'] });
    expect(r.references).toEqual([
      {
        kind: 'structure-set-image',
        studyInstanceUID: '1.2.826.0.1.3680043.8.498.2010020400001.2.1',
        seriesInstanceUID: '1.2.826.0.1.3680043.8.498.2010020400001.2.1.1',
      },
    ]);
  });

  it("reads rtplan.dcm's approval, beams and fraction groups, and its structure set and plan references", async () => {
    const r = await extract('rtplan.dcm');
    expect(r.rt).toMatchObject({
      label: 'Plan1',
      approvalStatus: 'UNAPPROVED',
      numberOfBeams: 1,
      numberOfFractionGroups: 1,
    });
    expect(r.references).toEqual([
      {
        kind: 'plan-structure-set',
        sopClassUID: '1.2.840.10008.5.1.4.1.1.481.3',
        sopInstanceUID: '1.2.333.444.55.6.7777.88888',
      },
      {
        kind: 'plan-plan',
        sopClassUID: '1.2.840.10008.5.1.4.1.1.481.5',
        sopInstanceUID: '1.9.999.999.99.9.9999.9999.20030903145128',
      },
    ]);
  });

  it("reads rtdose.dcm's dose type and summation type and its plan reference", async () => {
    const r = await extract('rtdose.dcm');
    expect(r.rt).toMatchObject({ doseType: 'PHYSICAL', doseSummationType: 'BEAM', doseUnits: 'RELATIVE' });
    expect(r.references).toEqual([
      expect.objectContaining({ kind: 'dose-plan', sopInstanceUID: '1.2.123.456.78.9.0123.4567.89012345678901' }),
    ]);
  });

  it('reads the patient, study and series attributes of CT_small.dcm', async () => {
    const r = await extract('CT_small.dcm');
    expect(r).toMatchObject({
      modality: 'CT',
      transferSyntaxUID: '1.2.840.10008.1.2.1',
      patient: { patientName: 'CompressedSamples^CT1', patientID: '1CT1', sex: 'O' },
      seriesAttributes: { manufacturer: 'GE MEDICAL SYSTEMS' },
      hasEncryptedAttributes: false,
    });
    expect(r.frameOfReferenceUID).toMatch(/^1\.3\.6\.1\.4\.1\.5962/);
    expect(r.rt).toBeUndefined();
  });

  it('keeps the reader warnings of a file without File Meta Information (ExplVR_BigEndNoMeta.dcm)', async () => {
    expect((await extract('ExplVR_BigEndNoMeta.dcm')).readerWarnings).toContain('DICOM_NO_META');
    expect((await extract('CT_small.dcm')).readerWarnings).toBeUndefined();
  });

  it("reads a segmentation's references to its source image series (liver_1frame.dcm)", async () => {
    const r = await extract('liver_1frame.dcm');
    expect(r.modality).toBe('SEG');
    expect(r.references.length).toBeGreaterThan(0);
    expect(r.references.every((ref) => ref.kind === 'segmentation-image' && ref.seriesInstanceUID !== undefined)).toBe(
      true,
    );
  });
});

describe('extractInstance on generated files', () => {
  it('records Burned In Annotation, Image Type and an Encrypted Attributes Sequence', () => {
    const bytes = part10('1.2.840.10008.5.1.4.1.1.7', '9.1', [
      [0x0008, 0x0008, 'CS', ['DERIVED', 'SECONDARY', 'screenshot']],
      [0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.7'],
      [0x0008, 0x0018, 'UI', '9.1'],
      [0x0008, 0x0060, 'CS', 'OT'],
      [0x0020, 0x000d, 'UI', '9'],
      [0x0020, 0x000e, 'UI', '9.0'],
      [0x0028, 0x0301, 'CS', 'yes'],
      [0x0400, 0x0500, 'SQ', [[[0x0400, 0x0510, 'UI', '1.2.840.10008.1.2.1']]]],
    ]);
    const file = readDicom(bytes, { headerOnly: true });
    const r = extractInstance(file, identityOf(file) as Required<InstanceIdentity>, {
      path: 'sc',
      size: bytes.length,
    });
    expect(r).toMatchObject({
      burnedInAnnotation: 'YES',
      imageType: ['DERIVED', 'SECONDARY', 'SCREENSHOT'],
      hasEncryptedAttributes: true,
    });
  });

  it('falls back to the File Meta Information for SOP Class and Instance UID', () => {
    const bytes = part10('1.2.840.10008.5.1.4.1.1.2', '7.7.7', [[0x0020, 0x000d, 'UI', '7']]);
    expect(identityOf(readDicom(bytes))).toEqual({
      sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
      sopInstanceUID: '7.7.7',
      studyInstanceUID: '7',
    });
  });
});
