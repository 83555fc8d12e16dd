import type { InstanceRecord } from './instance-record.js';

// Fields whose values repeat across the files of a series or study (one copy is enough).
const SHARED_STRINGS = [
  'sopClassUID',
  'studyInstanceUID',
  'seriesInstanceUID',
  'transferSyntaxUID',
  'modality',
  'frameOfReferenceUID',
  'burnedInAnnotation',
] as const;
const SHARED_OBJECTS = ['patient', 'study', 'seriesAttributes', 'imageType', 'readerWarnings', 'rt'] as const;

/**
 * Shares the values that repeat between instance records — the patient, study and series
 * attributes, UIDs of the study, series, class and frame of reference, image type, empty
 * reference lists — so that a scan of 100,000 files keeps one copy of each instead of one per
 * file. The records are read-only plain data, so sharing is invisible to their users. Values are
 * matched by content (JSON); the tables grow with the number of distinct values, not of files.
 *
 * @example
 * const interner = new RecordInterner();
 * const compact = records.map((r) => interner.record(r)); // equal fields now share one object
 */
export class RecordInterner {
  readonly #strings = new Map<string, string>();
  readonly #objects = new Map<string, unknown>();

  /** The canonical copy of a string. */
  string(value: string): string {
    const known = this.#strings.get(value);
    if (known !== undefined) return known;
    this.#strings.set(value, value);
    return value;
  }

  /** The canonical copy of a plain JSON value (object or array) equal to this one. */
  value<T>(value: T): T {
    const key = JSON.stringify(value);
    const known = this.#objects.get(key);
    if (known !== undefined) return known as T;
    this.#objects.set(key, value);
    return value;
  }

  /** The record with its repeating fields replaced by their canonical copies (a new object). */
  record(record: InstanceRecord): InstanceRecord {
    const out: Record<string, unknown> = { ...record };
    for (const key of SHARED_STRINGS) {
      const v = out[key];
      if (typeof v === 'string') out[key] = this.string(v);
    }
    for (const key of SHARED_OBJECTS) if (out[key] !== undefined) out[key] = this.value(out[key]);
    // References point at other instances (unique UIDs), except the often empty list itself.
    if (record.references.length === 0) out.references = this.value(record.references);
    return out as unknown as InstanceRecord;
  }
}
