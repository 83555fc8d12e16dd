import type { InstanceRecord } from './instance-record.js';
import type { InstanceReference } from './rt-graph.js';

// The fields that differ from file to file. Everything else of a record (patient, study and series
// attributes, the study/series/class/frame-of-reference UIDs, image type, RT labels…) repeats
// across the files of a series and is kept once, on a shared prototype. A new InstanceRecord field
// whose value differs per file belongs here too, or every record would get a group of its own.
type OwnField = 'path' | 'size' | 'sopInstanceUID' | 'instanceNumber' | 'references';
type SharedFields = Omit<InstanceRecord, Exclude<OwnField, 'references'>>;
type CompactRecordConstructor = new (
  path: string,
  size: number,
  sopInstanceUID: string,
  instanceNumber: number | undefined,
  references: readonly InstanceReference[] | undefined,
) => InstanceRecord;

// Sub-objects shared by content between groups (two groups of one series differ, e.g., by Image Type).
const SHARED_OBJECTS = ['patient', 'study', 'seriesAttributes', 'imageType', 'readerWarnings', 'rt'] as const;
const NO_REFERENCES: readonly InstanceReference[] = Object.freeze([]);

/**
 * Keeps scanned instance records compactly, so that a scan of 100,000 files holds per file little
 * more than its path, size, SOP Instance UID and Instance Number (bench:many-files: ~150 B a file).
 *
 * A compact record is an object with those own fields (and its references when it has any)
 * whose prototype holds the fields its group of records shares — one group per distinct
 * combination of patient, study, series, class, transfer syntax, frame of reference, image type,
 * warnings and RT attributes, in practice one or a few per series. Reading any field works as on a
 * plain record (`record.patient.patientID`, `record.sopClassUID`); the records are read-only data.
 * What does not see prototype fields — structured clone (postMessage), JSON.stringify, object
 * spread — must be given `plainRecord(record)` (see `portableScanResult` for a whole scan).
 * Groups are matched by content (JSON): the table grows with the distinct values, not the files.
 *
 * @example
 * const interner = new RecordInterner();
 * const compact = records.map((r) => interner.record(r)); // same fields, one shared prototype per series
 * postMessage(compact.map(plainRecord));                  // plain copies for structured clone
 */
export class RecordInterner {
  readonly #objects = new Map<string, unknown>();
  readonly #groups = new Map<string, CompactRecordConstructor>();

  /** The canonical copy of a plain JSON value (object or array) equal to this one. */
  value<T>(value: T): T {
    const key = JSON.stringify(value);
    const known = this.#objects.get(key);
    if (known !== undefined) return known as T;
    this.#objects.set(key, value);
    return value;
  }

  /** The compact record of this record (plain or compact): equal in every field. */
  record(record: InstanceRecord): InstanceRecord {
    // for…in also reads the prototype fields of a record that is already compact. Sorted keys:
    // records built in another field order still find their group.
    const keys: string[] = [];
    for (const key in record) if (!isOwnField(key)) keys.push(key);
    const shared: Record<string, unknown> = {};
    for (const key of keys.sort()) {
      const v = (record as unknown as Record<string, unknown>)[key];
      if (v !== undefined) shared[key] = v;
    }
    for (const key of SHARED_OBJECTS) if (shared[key] !== undefined) shared[key] = this.value(shared[key]);
    const groupKey = JSON.stringify(shared);
    let make = this.#groups.get(groupKey);
    if (make === undefined) {
      // The empty reference list lives on the prototype too; a record with references owns its list.
      shared.references = NO_REFERENCES;
      make = compactRecordConstructor(shared as unknown as SharedFields);
      this.#groups.set(groupKey, make);
    }
    const references = record.references.length === 0 ? undefined : record.references;
    const uid = flatCopy(record.sopInstanceUID);
    return new make(record.path, smallInteger(record.size), uid, record.instanceNumber, references);
  }

  /** How many groups (shared prototypes) the records so far have: one or a few per series. */
  get groupCount(): number {
    return this.#groups.size;
  }
}

/**
 * A plain copy of a record — every field an own property — for structured clone (postMessage),
 * JSON or spreading. Sub-objects (patient, study…) are the same objects, not copies.
 *
 * @example
 * worker.postMessage({ records: records.map(plainRecord) });
 */
export function plainRecord(record: InstanceRecord): InstanceRecord {
  const out: Record<string, unknown> = {};
  for (const key in record) {
    const v = (record as unknown as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out as unknown as InstanceRecord;
}

function isOwnField(key: string): key is OwnField {
  return (
    key === 'path' || key === 'size' || key === 'sopInstanceUID' || key === 'instanceNumber' || key === 'references'
  );
}

/**
 * One constructor per group: V8 gives each its own hidden class with exactly the in-object slots
 * the own fields need (56 bytes an instance, against ~160 for a plain 17-field record). A number
 * that fits 31 bits is stored as a small integer; a double (e.g. a size read from stat) would
 * otherwise cost a 16-byte heap box per field.
 */
function compactRecordConstructor(shared: SharedFields): CompactRecordConstructor {
  function CompactRecord(
    this: Record<string, unknown>,
    path: string,
    size: number,
    sopInstanceUID: string,
    instanceNumber: number | undefined,
    references: readonly InstanceReference[] | undefined,
  ): void {
    this.path = path;
    this.size = size;
    this.sopInstanceUID = sopInstanceUID;
    if (instanceNumber !== undefined) this.instanceNumber = smallInteger(instanceNumber);
    if (references !== undefined) this.references = references;
  }
  CompactRecord.prototype = shared;
  return CompactRecord as unknown as CompactRecordConstructor;
}

/**
 * A string of its own. The reader trims the padding of a UID (PS3.5 9.1: odd lengths end in NUL)
 * with String.replace, which gives a slice of the decoded value that keeps the value alive: two
 * strings per file instead of one. JSON.parse always builds a new flat string.
 */
function flatCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

function smallInteger(n: number): number {
  return Number.isInteger(n) && n >= -0x40000000 && n < 0x40000000 ? n | 0 : n;
}
