import { type DicomFile, getNumber, getString, readHeader, tag } from '@courier/dicom';

/** What the catalogue keeps of one stored instance's header (study- and series-level attributes). */
export interface StoredHeader {
  /** Patient ID (0010,0020): the subject's pseudonym once de-identified. */
  patientId: string;
  /** Study Date (0008,0020) as YYYY-MM-DD, or null. */
  studyDate: string | null;
  /** Study Time (0008,0030) as HH:MM:SS, or null. */
  studyTime: string | null;
  /** Study Description (0008,1030), '' when absent. */
  studyDescription: string;
  /** Series Number (0020,0011), or null. */
  seriesNumber: number | null;
  /** Modality (0008,0060), or null. */
  modality: string | null;
  /** Series Description (0008,103E), '' when absent. */
  seriesDescription: string;
  /**
   * Series Date (0008,0021) as YYYY-MM-DD; when absent (it is Type 3, PS3.3 C.7.3.1) the
   * Acquisition Date (0008,0022), else the Content Date (0008,0023); or null.
   */
  seriesDate: string | null;
  /** Series Time (0008,0031), else Acquisition Time (0008,0032), else Content Time (0008,0033), as HH:MM:SS; or null. */
  seriesTime: string | null;
}

const TAGS = {
  patientId: tag(0x0010, 0x0020),
  studyDate: tag(0x0008, 0x0020),
  seriesDate: tag(0x0008, 0x0021),
  acquisitionDate: tag(0x0008, 0x0022),
  contentDate: tag(0x0008, 0x0023),
  studyTime: tag(0x0008, 0x0030),
  seriesTime: tag(0x0008, 0x0031),
  acquisitionTime: tag(0x0008, 0x0032),
  contentTime: tag(0x0008, 0x0033),
  modality: tag(0x0008, 0x0060),
  studyDescription: tag(0x0008, 0x1030),
  seriesDescription: tag(0x0008, 0x103e),
  seriesNumber: tag(0x0020, 0x0011),
};

/** DA (PS3.5 6.2): YYYYMMDD → YYYY-MM-DD; anything else (empty, a range, the old ACR-NEMA form) → null. */
export function isoDateOfDa(da: string | undefined): string | null {
  return da !== undefined && /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` : null;
}

/**
 * TM (PS3.5 6.2): HHMMSS.FFFFFF with minutes and seconds optional → HH:MM:SS (missing parts 00,
 * fractions dropped); anything else → null.
 *
 * @example
 * isoTimeOfTm('0930'); // '09:30:00'
 */
export function isoTimeOfTm(tm: string | undefined): string | null {
  const match = tm === undefined ? null : /^(\d{2})(\d{2})?(\d{2})?(\.\d{1,6})?$/.exec(tm.trim());
  if (match === null) return null;
  return `${match[1]}:${match[2] ?? '00'}:${match[3] ?? '00'}`;
}

function firstOf(values: (string | null)[]): string | null {
  return values.find((v) => v !== null) ?? null;
}

/**
 * The catalogue's attributes of a parsed header.
 *
 * @example
 * const header = headerOf(readDicom(bytes, { headerOnly: true }));
 */
export function headerOf(file: DicomFile): StoredHeader {
  const ds = file.dataSet;
  const text = (t: number): string => {
    try {
      return getString(file, ds, t) ?? '';
    } catch {
      return '';
    }
  };
  let seriesNumber: number | null = null;
  try {
    const value = getNumber(file, ds, TAGS.seriesNumber);
    seriesNumber = value !== undefined && Number.isInteger(value) ? value : null;
  } catch {
    seriesNumber = null;
  }
  return {
    patientId: text(TAGS.patientId),
    studyDate: isoDateOfDa(text(TAGS.studyDate)),
    studyTime: isoTimeOfTm(text(TAGS.studyTime)),
    studyDescription: text(TAGS.studyDescription),
    seriesNumber,
    modality: text(TAGS.modality) || null,
    seriesDescription: text(TAGS.seriesDescription),
    seriesDate: firstOf([TAGS.seriesDate, TAGS.acquisitionDate, TAGS.contentDate].map((t) => isoDateOfDa(text(t)))),
    seriesTime: firstOf([TAGS.seriesTime, TAGS.acquisitionTime, TAGS.contentTime].map((t) => isoTimeOfTm(text(t)))),
  };
}

/**
 * Reads the header of a stored instance from its byte stream, taking chunks only until the header
 * is complete (readHeader of @courier/dicom stops before Pixel Data), then stops the stream: a CT
 * slice costs its first few KiB, never its pixels.
 *
 * @example
 * const header = await readStoredHeader(createReadStream(path), size);
 */
export async function readStoredHeader(source: AsyncIterable<Uint8Array>, size: number): Promise<StoredHeader> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  let need = Math.min(size, 64 * 1024);
  for await (const chunk of source) {
    chunks.push(chunk);
    length += chunk.length;
    if (length < need && length < size) continue;
    const prefix = Buffer.concat(chunks, length);
    const result = readHeader(prefix, size);
    if ('file' in result) return headerOf(result.file);
    need = result.needBytes;
  }
  const result = readHeader(Buffer.concat(chunks, length), length);
  if ('file' in result) return headerOf(result.file);
  throw new RangeError('the stored instance ended before its header did');
}
