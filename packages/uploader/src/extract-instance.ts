import { type DataSet, type DicomFile, getNumber, getSequence, getString, getStrings } from '@courier/dicom';
import { extractReferences } from './extract-references.js';
import type {
  InstanceRecord,
  PatientAttributes,
  RtAttributes,
  SeriesAttributes,
  StudyAttributes,
} from './instance-record.js';

// PS3.6 tags read here; each group of them is a module of PS3.3 cited where it is read.
// biome-ignore format: a table of tags
const T = {
  mediaStorageSopClassUID: 0x00020002, mediaStorageSopInstanceUID: 0x00020003, transferSyntaxUID: 0x00020010,
  imageType: 0x00080008, sopClassUID: 0x00080016, sopInstanceUID: 0x00080018, studyDate: 0x00080020,
  seriesDate: 0x00080021, studyTime: 0x00080030, seriesTime: 0x00080031, accessionNumber: 0x00080050,
  modality: 0x00080060, manufacturer: 0x00080070, studyDescription: 0x00081030, seriesDescription: 0x0008103e,
  manufacturerModelName: 0x00081090, patientName: 0x00100010, patientID: 0x00100020, birthDate: 0x00100030,
  sex: 0x00100040, bodyPartExamined: 0x00180015, studyInstanceUID: 0x0020000d, seriesInstanceUID: 0x0020000e,
  studyID: 0x00200010, seriesNumber: 0x00200011, instanceNumber: 0x00200013, frameOfReferenceUID: 0x00200052,
  burnedInAnnotation: 0x00280301, encryptedAttributesSequence: 0x04000500,
  rtImageLabel: 0x30020002, rtImageName: 0x30020003,
  doseUnits: 0x30040002, doseType: 0x30040004, doseSummationType: 0x3004000a,
  structureSetLabel: 0x30060002, structureSetName: 0x30060004, structureSetRoiSequence: 0x30060020, roiName: 0x30060026,
  planLabel: 0x300a0002, planName: 0x300a0003, planIntent: 0x300a000a, fractionGroupSequence: 0x300a0070,
  beamSequence: 0x300a00b0, ionBeamSequence: 0x300a03a2,
  approvalStatus: 0x300e0002, reviewDate: 0x300e0004, reviewTime: 0x300e0005, reviewerName: 0x300e0008,
} as const;

const RT = '1.2.840.10008.5.1.4.1.1.481.';

/**
 * The identifying UIDs of a file, from the data set with the File Meta Information as fallback.
 *
 * @example
 * const id: InstanceIdentity = { sopClassUID: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUID: '1.2.3.4' };
 */
export interface InstanceIdentity {
  readonly sopClassUID?: string;
  readonly sopInstanceUID?: string;
  readonly studyInstanceUID?: string;
  readonly seriesInstanceUID?: string;
}

/**
 * The UIDs that place a file in a study. SOP Class/Instance UID come from the data set (PS3.3
 * C.12.1) or, when absent there, from Media Storage SOP Class/Instance UID (0002,0002/0003, PS3.10 7.1).
 *
 * @example
 * identityOf(file).seriesInstanceUID; // '1.2.826.0.1.3680043.8.498.1'
 */
export function identityOf(file: DicomFile): InstanceIdentity {
  const ds = file.dataSet;
  const out: { -readonly [K in keyof InstanceIdentity]: InstanceIdentity[K] } = {};
  const sopClassUID = text(file, ds, T.sopClassUID) ?? text(file, file.meta, T.mediaStorageSopClassUID);
  const sopInstanceUID = text(file, ds, T.sopInstanceUID) ?? text(file, file.meta, T.mediaStorageSopInstanceUID);
  const studyInstanceUID = text(file, ds, T.studyInstanceUID);
  const seriesInstanceUID = text(file, ds, T.seriesInstanceUID);
  if (sopClassUID !== undefined) out.sopClassUID = sopClassUID;
  if (sopInstanceUID !== undefined) out.sopInstanceUID = sopInstanceUID;
  if (studyInstanceUID !== undefined) out.studyInstanceUID = studyInstanceUID;
  if (seriesInstanceUID !== undefined) out.seriesInstanceUID = seriesInstanceUID;
  return out;
}

/**
 * Everything the Uploader keeps of a parsed file, as plain values (the DicomFile can then be
 * dropped). The identity must be complete (the scanner checks it first).
 *
 * @example
 * const record = extractInstance(file, identity as Required<InstanceIdentity>, { path, size });
 */
export function extractInstance(
  file: DicomFile,
  identity: Required<InstanceIdentity>,
  where: { readonly path: string; readonly size: number },
): InstanceRecord {
  const ds = file.dataSet;
  const s = (t: number): string | undefined => text(file, ds, t);
  const modality = s(T.modality);
  const instanceNumber = getNumber(file, ds, T.instanceNumber);
  const frameOfReferenceUID = s(T.frameOfReferenceUID);
  const burnedInAnnotation = s(T.burnedInAnnotation)?.toUpperCase();
  const imageType = getStrings(file, ds, T.imageType).map((v) => v.toUpperCase());
  const readerWarnings = [...new Set(file.warnings.map((w) => w.code))].sort();
  const rt = identity.sopClassUID.startsWith(RT) ? rtAttributes(file, ds, identity.sopClassUID) : undefined;
  return {
    path: where.path,
    size: where.size,
    ...identity,
    transferSyntaxUID: text(file, file.meta, T.transferSyntaxUID) ?? '',
    ...(modality === undefined ? {} : { modality }),
    ...(instanceNumber === undefined ? {} : { instanceNumber }),
    ...(frameOfReferenceUID === undefined ? {} : { frameOfReferenceUID }),
    // Patient Module, PS3.3 C.7.1.1.
    patient: defined<PatientAttributes>({
      patientID: s(T.patientID),
      patientName: s(T.patientName),
      birthDate: s(T.birthDate),
      sex: s(T.sex)?.toUpperCase(),
    }),
    // General Study Module, PS3.3 C.7.2.1.
    study: defined<StudyAttributes>({
      studyDate: s(T.studyDate),
      studyTime: s(T.studyTime),
      studyDescription: s(T.studyDescription),
      studyID: s(T.studyID),
      accessionNumber: s(T.accessionNumber),
    }),
    // General Series C.7.3.1, General Equipment C.7.5.1.
    seriesAttributes: defined<SeriesAttributes>({
      seriesNumber: getNumber(file, ds, T.seriesNumber),
      seriesDescription: s(T.seriesDescription),
      seriesDate: s(T.seriesDate),
      seriesTime: s(T.seriesTime),
      bodyPartExamined: s(T.bodyPartExamined),
      manufacturer: s(T.manufacturer),
      manufacturerModelName: s(T.manufacturerModelName),
    }),
    ...(burnedInAnnotation === undefined ? {} : { burnedInAnnotation }),
    ...(imageType.length === 0 ? {} : { imageType }),
    // Encrypted Attributes Sequence, PS3.3 C.12.1.1.4.1: its content cannot be inspected here.
    hasEncryptedAttributes: ds.elements.has(T.encryptedAttributesSequence),
    ...(readerWarnings.length === 0 ? {} : { readerWarnings }),
    ...(rt === undefined ? {} : { rt }),
    references: extractReferences(file, identity.sopClassUID),
  };
}

/** RT Image C.8.8.2, RT Dose C.8.8.3, Structure Set C.8.8.5, RT General Plan C.8.8.9, Approval C.8.8.16. */
function rtAttributes(file: DicomFile, ds: DataSet, sopClassUID: string): RtAttributes {
  const s = (t: number): string | undefined => text(file, ds, t);
  const approval = {
    approvalStatus: s(T.approvalStatus)?.toUpperCase(),
    reviewerName: s(T.reviewerName),
    reviewDate: s(T.reviewDate),
    reviewTime: s(T.reviewTime),
  };
  switch (sopClassUID) {
    case `${RT}3`:
      return defined<RtAttributes>({
        label: s(T.structureSetLabel),
        name: s(T.structureSetName),
        roiNames: getSequence(ds, T.structureSetRoiSequence).map((roi) => text(file, roi, T.roiName) ?? ''),
        ...approval,
      });
    case `${RT}5`:
    case `${RT}8`: {
      const beams = ds.elements.has(T.ionBeamSequence)
        ? getSequence(ds, T.ionBeamSequence)
        : getSequence(ds, T.beamSequence);
      return defined<RtAttributes>({
        label: s(T.planLabel),
        name: s(T.planName),
        planIntent: s(T.planIntent),
        numberOfBeams: beams.length,
        numberOfFractionGroups: getSequence(ds, T.fractionGroupSequence).length,
        ...approval,
      });
    }
    case `${RT}2`:
      return defined<RtAttributes>({
        doseType: s(T.doseType),
        doseSummationType: s(T.doseSummationType),
        doseUnits: s(T.doseUnits),
        ...approval,
      });
    case `${RT}1`:
      return defined<RtAttributes>({ label: s(T.rtImageLabel), name: s(T.rtImageName), ...approval });
    default:
      return defined<RtAttributes>(approval);
  }
}

/** A trimmed text value; undefined when absent or empty. */
function text(file: DicomFile, ds: DataSet, t: number): string | undefined {
  const value = getString(file, ds, t)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Drops undefined fields so records compare and serialise cleanly. */
function defined<T extends object>(fields: { [K in keyof T]: T[K] | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out as T;
}
