import { ApiError } from '@courier/api';
import { EXPLICIT_VR_BIG_ENDIAN } from '@courier/dicom';
import type { DicomStore, StoredInstance } from '../storage/dicom-store.js';
import { byteRange } from './byte-range.js';
import type { DicomJsonObject } from './dicom-json-model.js';
import type { ResponsePart } from './multipart-writer.js';
import { pixelDataLocation } from './pixel-data-location.js';
import { readStoredHeader } from './stored-header.js';
import type { IndexedInstance } from './study-index.js';

const PIXEL_DATA = 0x7fe00010;
/** PS3.18 8.7.3.3.2: uncompressed bulk data is labelled with Explicit VR Little Endian. */
const OCTET_STREAM = 'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1';

const numberOf = (attributes: DicomJsonObject, key: string, fallback: number): number => {
  const n = Number(attributes[key]?.Value?.[0]);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

function rangePart(store: DicomStore, instance: StoredInstance, start: number, end: number): ResponsePart {
  return {
    contentType: OCTET_STREAM,
    async open() {
      const source = await store.read(instance);
      if (source === null) throw new ApiError('NOT_FOUND', 'the instance is no longer stored');
      return byteRange(source, start, end);
    },
  };
}

/**
 * The parts of a RetrieveFrames answer (PS3.18 10.4.1.1.6) for native pixel data: frame k (1-based)
 * is the k-th run of Rows × Columns × Samples per Pixel × Bits Allocated / 8 bytes of the Pixel Data
 * value (PS3.5 8.1.1), streamed from the store in the requested order. Encapsulated, big endian,
 * deflated and 1-bit pixel data are refused (VALIDATION_FAILED): retrieve the instance instead.
 *
 * @example
 * const parts = frameParts(store, indexed, [1, 2]);
 */
export function frameParts(store: DicomStore, indexed: IndexedInstance, frames: readonly number[]): ResponsePart[] {
  const { pixelData, attributes, transferSyntaxUid, instance } = indexed;
  if (pixelData === undefined || pixelData.length === undefined || transferSyntaxUid === EXPLICIT_VR_BIG_ENDIAN) {
    throw new ApiError('VALIDATION_FAILED', 'frames are offered for native little-endian pixel data only');
  }
  const bits = numberOf(attributes, '00280100', 0);
  const frameSize =
    (numberOf(attributes, '00280010', 0) *
      numberOf(attributes, '00280011', 0) *
      numberOf(attributes, '00280002', 1) *
      bits) /
    8;
  const count = numberOf(attributes, '00280008', 1);
  if (bits % 8 !== 0 || frameSize <= 0 || frameSize * count > pixelData.length) {
    throw new ApiError('VALIDATION_FAILED', 'the pixel data does not hold whole byte-aligned frames');
  }
  return frames.map((k) => {
    if (k < 1 || k > count) throw new ApiError('NOT_FOUND', `no frame ${k} (the instance has ${count})`);
    const start = pixelData.offset + (k - 1) * frameSize;
    return rangePart(store, instance, start, start + frameSize);
  });
}

/**
 * The part of a RetrieveBulkData answer (PS3.18 10.4.1.1.5): the value of a top-level attribute of
 * the stored file, located by a header read (native Pixel Data included), streamed from the store.
 *
 * @example
 * const part = await bulkDataPart(store, indexed, 0x7fe00010);
 */
export async function bulkDataPart(store: DicomStore, indexed: IndexedInstance, t: number): Promise<ResponsePart> {
  const file = await readStoredHeader(store, indexed.instance);
  if (!file.sourceIsFile) throw new ApiError('VALIDATION_FAILED', 'bulk data of a deflated file is not offered');
  if (t === PIXEL_DATA) {
    const where = pixelDataLocation(file);
    if (where === undefined) throw new ApiError('NOT_FOUND', 'the instance has no Pixel Data');
    if (where.length === undefined) {
      throw new ApiError('VALIDATION_FAILED', 'encapsulated Pixel Data is offered as the whole instance only');
    }
    return rangePart(store, indexed.instance, where.offset, where.offset + where.length);
  }
  const element = file.dataSet.elements.get(t);
  if (element === undefined || element.items !== undefined) throw new ApiError('NOT_FOUND', 'no such bulk data');
  return rangePart(store, indexed.instance, element.offset, element.offset + element.length);
}
