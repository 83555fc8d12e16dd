import type { DicomWarningCode } from '@courier/dicom';
import type { RtInstanceInput } from './rt-graph.js';

/**
 * What the scanner keeps of one DICOM file: where it is, its identity, and the header attributes the
 * series table, the Details popup, the sanity checks and the RT graph need, as plain values. The
 * parsed DicomFile and its bytes are dropped after extraction so memory stays flat in the number of
 * files. Strings are decoded with the Specific Character Set and trimmed; absent or empty → undefined.
 *
 * @example
 * const ct: InstanceRecord = { path: 'CT/1.dcm', size: 526_000, sopClassUID: '1.2.840.10008.5.1.4.1.1.2', ... };
 */
export interface InstanceRecord extends RtInstanceInput {
  /** The file's path as the file source names it; for a zip member "archive.zip/member/path". */
  readonly path: string;
  readonly size: number;
  readonly sopClassUID: string;
  readonly sopInstanceUID: string;
  readonly studyInstanceUID: string;
  readonly seriesInstanceUID: string;
  /** Transfer Syntax UID (0002,0010); empty for a raw data set without File Meta Information. */
  readonly transferSyntaxUID: string;
  readonly modality?: string;
  readonly instanceNumber?: number;
  readonly patient: PatientAttributes;
  readonly study: StudyAttributes;
  readonly seriesAttributes: SeriesAttributes;
  /** Burned In Annotation (0028,0301), upper-cased: "YES" / "NO". */
  readonly burnedInAnnotation?: string;
  /** Image Type (0008,0008) values, e.g. ["DERIVED", "SECONDARY", "SCREENSHOT"]. */
  readonly imageType?: readonly string[];
  /** True when Encrypted Attributes Sequence (0400,0500) is present (PS3.15 E.1.1 / PS3.3 C.12.1.1.4.1). */
  readonly hasEncryptedAttributes: boolean;
  /** Codes of the reader's warnings for this file (packages/dicom warnings.ts), when there were any. */
  readonly readerWarnings?: readonly DicomWarningCode[];
  /** RT-specific labels and counts; set for RTSTRUCT, RTPLAN, RTDOSE and RTIMAGE. */
  readonly rt?: RtAttributes;
}

/**
 * Patient module attributes (PS3.3 C.7.1.1).
 *
 * @example
 * const p: PatientAttributes = { patientID: 'PID-001', patientName: 'DOE^JANE', birthDate: '19610407', sex: 'F' };
 */
export interface PatientAttributes {
  readonly patientID?: string;
  readonly patientName?: string;
  /** Patient's Birth Date (0010,0030), DA "YYYYMMDD" as stored. */
  readonly birthDate?: string;
  /** Patient's Sex (0010,0040): "M", "F" or "O". */
  readonly sex?: string;
}

/**
 * General Study module attributes (PS3.3 C.7.2.1).
 *
 * @example
 * const s: StudyAttributes = { studyDate: '20260302', studyDescription: 'RT PLANNING' };
 */
export interface StudyAttributes {
  readonly studyDate?: string;
  readonly studyTime?: string;
  readonly studyDescription?: string;
  readonly studyID?: string;
  readonly accessionNumber?: string;
}

/**
 * General Series and General Equipment attributes (PS3.3 C.7.3.1, C.7.5.1).
 *
 * @example
 * const s: SeriesAttributes = { seriesNumber: 2, seriesDescription: 'Pelvis 3mm', bodyPartExamined: 'PELVIS' };
 */
export interface SeriesAttributes {
  readonly seriesNumber?: number;
  readonly seriesDescription?: string;
  readonly seriesDate?: string;
  readonly seriesTime?: string;
  readonly bodyPartExamined?: string;
  readonly manufacturer?: string;
  readonly manufacturerModelName?: string;
}

/**
 * RT attributes shown in the Details popup (PS3.3 C.8.8).
 *
 * @example
 * const plan: RtAttributes = { label: 'PELVIS VMAT', approvalStatus: 'APPROVED', numberOfBeams: 2, numberOfFractionGroups: 1 };
 */
export interface RtAttributes {
  /** Structure Set Label (3006,0002) / RT Plan Label (300A,0002) / RT Image Label (3002,0002). */
  readonly label?: string;
  /** Structure Set Name (3006,0004) / RT Plan Name (300A,0003) / RT Image Name (3002,0003). */
  readonly name?: string;
  /** ROI Name (3006,0026) of each item of Structure Set ROI Sequence (3006,0020). */
  readonly roiNames?: readonly string[];
  /** Approval Status (300E,0002): APPROVED, UNAPPROVED or REJECTED (PS3.3 C.8.8.16). */
  readonly approvalStatus?: string;
  /** Reviewer Name (300E,0008), Review Date (300E,0004), Review Time (300E,0005). */
  readonly reviewerName?: string;
  readonly reviewDate?: string;
  readonly reviewTime?: string;
  /** Plan Intent (300A,000A). */
  readonly planIntent?: string;
  /** Items of Beam Sequence (300A,00B0) or Ion Beam Sequence (300A,03A2). */
  readonly numberOfBeams?: number;
  /** Items of Fraction Group Sequence (300A,0070). */
  readonly numberOfFractionGroups?: number;
  /** Dose Type (3004,0004), Dose Summation Type (3004,000A), Dose Units (3004,0002). */
  readonly doseType?: string;
  readonly doseSummationType?: string;
  readonly doseUnits?: string;
}
