// Public surface of @courier/dicom. Internal modules (element loop, header, inflate) are not exported.

export { decodeText, isKnownCharacterSet } from './character-set.js';
export { type CreateOptions, createDicom } from './create-dicom.js';
export type { ByteRange, DataSet, DicomElement, DicomFile, TransferSyntax } from './data-set.js';
export {
  DICOM_EDITION,
  type DictionaryEntry,
  implicitVR,
  lookupTag,
  sopClassName,
  tagForKeyword,
} from './dictionary.js';
export type { DataSetEdit, NewElement, NewValue, OutputPart } from './edit.js';
export { type TextEncoding, textEncodingFor } from './encode-text.js';
export { encodeValue, formatDS, formatIS, type PlainValue, type ValueEncoding } from './encode-value.js';
export { DICOM_ERROR_CODES, DicomError, type DicomErrorCode } from './errors.js';
export { type ReadOptions, readDicom } from './read-dicom.js';
export { readHeader } from './read-header.js';
export {
  elementOf,
  formatTag,
  groupOf,
  isGroupLengthTag,
  isPrivateCreatorTag,
  isPrivateTag,
  type Tag,
  tag,
} from './tag.js';
export {
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  ENCAPSULATED_UNCOMPRESSED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  isStandardTransferSyntax,
  transferSyntaxFromUID,
} from './transfer-syntax.js';
export { isVR, type VR, VR_INFO, type VRInfo } from './value-representation.js';
export {
  getBytes,
  getNumber,
  getNumbers,
  getPrivateCreator,
  getSequence,
  getString,
  getStrings,
} from './values.js';
export { DICOM_WARNING_CODES, type DicomWarning, type DicomWarningCode } from './warnings.js';
export { concatParts, isByteRange, partsLength, type WriteOptions, writeDicom } from './write-dicom.js';
export { COURIER_IMPLEMENTATION_CLASS_UID, COURIER_IMPLEMENTATION_VERSION_NAME } from './write-file-meta.js';
