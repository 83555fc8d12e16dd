import {
  type DataSet,
  type DataSetEdit,
  type DicomElement,
  type DicomFile,
  formatTag,
  getNumber,
  isGroupLengthTag,
  isPrivateCreatorTag,
  isPrivateTag,
  lookupTag,
  type NewElement,
  type NewValue,
  sopClassName,
  type Tag,
  type VR,
} from '@courier/dicom';
import { checkConfig } from './check-config.js';
import { type Identifiers, identifierTokens, isCleanText } from './clean-text.js';
import type { DeidConfig } from './config.js';
import { shiftDate, shiftDateTime } from './date-shift.js';
import { dummyValue, TEMPORAL_VRS, TEXT_VRS } from './dummy-value.js';
import { DeidError } from './errors.js';
import { headerOnlyGap } from './header-only.js';
import { identityElements } from './identity.js';
import { iodAllowedTags, PIXEL_DESCRIPTION_TAGS } from './iod-allowed.js';
import { type AttributeType, iodAttributeTypes } from './iod-types.js';
import type { DeidOption } from './options.js';
import { preEncoded, preEncodedElements, uidBytes } from './pre-encode.js';
import { findProfileRow } from './profile.js';
import type { ProfileAction, ProfileRow } from './profile-row.js';
import { type ResolvedAction, resolveCompound, tableAction } from './resolve-action.js';
import { SAFE_PRIVATE_ELEMENTS, safePrivateSet } from './safe-private.js';
import { supplementaryRow } from './supplementary-rules.js';
import { rawText } from './text-value.js';
import { UidMapper } from './uid-map.js';

/**
 * What was done to one element, without its value (the log may leave the machine; values must not).
 * `path` names the element through its sequences, e.g. "(0008,1115)[0]/(0008,1140)[2]/(0008,1155)".
 *
 * @example
 * const entry: DeidLogEntry = { path: '(0010,0010)', action: 'Z' };
 */
export interface DeidLogEntry {
  readonly path: string;
  /** The action applied; 'C-' marks a clean that failed its checks and fell back to the basic action. */
  readonly action: ResolvedAction | 'C-' | 'SET';
  /** Why, where the action is not the element's own Table E.1-1 row: NOT_IN_IOD = outside the SOP Class's IOD. */
  readonly reason?: 'NOT_IN_IOD';
}

/**
 * Something the user should know about a de-identified instance.
 *
 * @example
 * const w: DeidWarning = { code: 'BURNED_IN_ANNOTATION', message: 'Burned In Annotation is YES…' };
 */
export interface DeidWarning {
  readonly code: 'BURNED_IN_ANNOTATION' | 'UNPARSEABLE_DATE' | 'PIXEL_DATA_NOT_CHECKED' | 'OVERLAY_IN_PIXEL_DATA';
  readonly message: string;
  readonly path?: string;
}

/**
 * The outcome of planning: counts per action, the new identifying UIDs (for the upload manifest),
 * warnings and a value-free log of every action.
 *
 * @example
 * plan.report.sopInstanceUid; // '2.25.…'
 */
export interface DeidReport {
  readonly counts: Readonly<Record<'removed' | 'emptied' | 'dummied' | 'cleaned' | 'remapped' | 'kept', number>>;
  readonly sopInstanceUid: string | undefined;
  readonly seriesInstanceUid: string | undefined;
  readonly studyInstanceUid: string | undefined;
  readonly warnings: readonly DeidWarning[];
  readonly log: readonly DeidLogEntry[];
}

/**
 * A planned de-identification: the edits `writeDicom` applies, and the report.
 *
 * @example
 * const { edit, metaEdit, report } = planDeidentification(file, config);
 * const parts = writeDicom(file, edit, { metaEdit });
 */
export interface DeidPlan {
  readonly edit: DataSetEdit;
  readonly metaEdit: DataSetEdit;
  readonly report: DeidReport;
}

/**
 * How the elements of a sequence's items are treated when the sequence itself got D or C:
 * - 'normal': by their own Table E.1-1 row, unknown attributes by the whitelist;
 * - 'dummy' (D on a sequence, e.g. Content Sequence, Verifying Observer Sequence): structure is kept
 *   (an empty Type 1 sequence would be invalid); inside it every text, date and time value without
 *   its own row gets a dummy, every non-well-known UID is remapped;
 * - 'clean' (C on a sequence under Clean Structured Content / Clean Graphics / Clean Descriptors):
 *   as 'dummy' but text values that pass the clean checks (clean-text.ts) are kept.
 */
type Mode = 'normal' | 'dummy' | 'clean';

const SOP_CLASS_UID: Tag = 0x00080016;
const SOP_INSTANCE_UID: Tag = 0x00080018;
const SERIES_INSTANCE_UID: Tag = 0x0020000e;
const STUDY_INSTANCE_UID: Tag = 0x0020000d;
const SPECIFIC_CHARACTER_SET: Tag = 0x00080005;
const BURNED_IN_ANNOTATION: Tag = 0x00280301;
const MEDIA_STORAGE_SOP_INSTANCE_UID: Tag = 0x00020003;
/** Meta elements that name the sending/receiving systems (PS3.10 7.1): removed. */
const META_REMOVED: readonly Tag[] = [0x00020016, 0x00020017, 0x00020018, 0x00020100, 0x00020102];

/**
 * Values that feed the clean checks (clean-text.ts rule 1), collected at every depth: every PN
 * value, the patient's IDs, issuers and accession numbers, the birth date.
 */
const ID_TAGS: ReadonlySet<Tag> = new Set([0x00100020, 0x00101000, 0x00080050, 0x00100021, 0x00400009, 0x00401001]);
const DATE_TAGS: ReadonlySet<Tag> = new Set([0x00100030]);

function collectIdentifiers(file: DicomFile): Identifiers {
  const names: string[] = [];
  const ids: string[] = [];
  const dates: string[] = [];
  const walk = (ds: DataSet): void => {
    for (const [t, el] of ds.elements) {
      if (el.items !== undefined) {
        for (const item of el.items) walk(item);
      } else if (el.vr === 'PN' || lookupTag(t)?.vr === 'PN') names.push(rawText(file, el));
      else if (ID_TAGS.has(t)) ids.push(rawText(file, el));
      else if (DATE_TAGS.has(t)) dates.push(rawText(file, el));
    }
  };
  walk(file.dataSet);
  return identifierTokens({ names, ids, dates });
}

class Planner {
  readonly options: ReadonlySet<DeidOption>;
  readonly uids: UidMapper;
  readonly safe: ReturnType<typeof safePrivateSet>;
  readonly actions: Map<ProfileRow, ProfileAction>;
  readonly counts = { removed: 0, emptied: 0, dummied: 0, cleaned: 0, remapped: 0, kept: 0 };
  readonly warnings: DeidWarning[] = [];
  readonly log: DeidLogEntry[] = [];
  readonly retainUids: boolean;
  /** Types of the top-level attributes in the instance's IOD (PS3.3), when the tables know it. */
  readonly types: ReadonlyMap<number, AttributeType> | undefined;
  /** Top-level attributes the instance's IOD allows (iod-allowed.ts), when Courier knows the SOP Class. */
  readonly allowed: ReadonlySet<number> | undefined;
  /** The attributes identity.ts writes: never removed as outside the IOD. */
  readonly identityTags: ReadonlySet<Tag>;
  #ids: Identifiers | undefined;

  constructor(
    readonly file: DicomFile,
    readonly config: DeidConfig,
    uids: UidMapper,
  ) {
    const shared = perConfig(config);
    this.options = shared.options;
    this.uids = uids;
    this.retainUids = this.options.has('retainUIDs');
    this.safe = shared.safe;
    this.actions = shared.actions;
    const sopClass = file.dataSet.elements.get(SOP_CLASS_UID);
    const sopClassUid = sopClass === undefined ? undefined : rawText(file, sopClass).replace(/[\0 ]+$/, '');
    this.types = sopClassUid === undefined ? undefined : iodAttributeTypes(sopClassUid);
    this.allowed = sopClassUid === undefined ? undefined : iodAllowedTags(sopClassUid);
    this.identityTags = encodedIdentity(config).tags;
  }

  /**
   * PS3.15 E.1.1: attributes neither in Table E.1-1 nor in the IOD are removed. Top level only, and
   * only for SOP Classes with an allowed set (iod-allowed.ts): inside sequences the allowed
   * content depends on the sequence (macros, content items), which no offline table describes,
   * and for an unknown SOP Class nothing says what its IOD holds; there the dictionary rule stays
   * (unlistedAction). What the de-identifier writes itself (identity.ts) and what says how Pixel
   * Data is read (PIXEL_DESCRIPTION_TAGS: files break the IOD there, e.g. Number of Frames in a
   * Secondary Capture) are never removed by this rule.
   */
  outsideIod(ds: DataSet, t: Tag): boolean {
    return (
      this.allowed !== undefined &&
      ds === this.file.dataSet &&
      !this.allowed.has(t) &&
      t !== SPECIFIC_CHARACTER_SET &&
      !this.identityTags.has(t) &&
      !PIXEL_DESCRIPTION_TAGS.has(t)
    );
  }

  /** The Type of a top-level attribute in the IOD; undefined inside sequences or when unknown. */
  typeOf(ds: DataSet, t: Tag): AttributeType | undefined {
    return ds === this.file.dataSet ? this.types?.get(t) : undefined;
  }

  /** The identifying strings of the instance, collected on the first clean check (most plans have none). */
  get ids(): Identifiers {
    this.#ids ??= collectIdentifiers(this.file);
    return this.#ids;
  }

  note(path: string, action: DeidLogEntry['action'], reason?: DeidLogEntry['reason']): void {
    this.log.push(reason === undefined ? { path, action } : { path, action, reason });
    switch (action) {
      case 'X':
        this.counts.removed++;
        break;
      case 'Z':
        this.counts.emptied++;
        break;
      case 'D':
      case 'C-':
        this.counts.dummied++;
        break;
      case 'C':
        this.counts.cleaned++;
        break;
      case 'U':
        this.counts.remapped++;
        break;
      default:
        this.counts.kept++;
    }
  }

  /** Plans the edit of one data set; undefined when nothing changes in it. */
  planDataSet(ds: DataSet, mode: Mode, prefix: string): DataSetEdit | undefined {
    const remove: Tag[] = [];
    const set: NewElement[] = [];
    const items = new Map<Tag, Map<number, DataSetEdit>>();
    const keptPrivateBlocks = new Set<number>(); // (group << 8) | block of kept private elements
    const privateCreators: Tag[] = [];

    for (const [t, el] of ds.elements) {
      const path = `${prefix}${tagText(t)}`;
      if (isGroupLengthTag(t)) {
        // Group lengths (gggg,0000) are retired outside group 0002 (PS3.5 7.2) and would be wrong after edits.
        remove.push(t);
        continue;
      }
      if (isPrivateTag(t)) {
        if (isPrivateCreatorTag(t)) privateCreators.push(t);
        else if (this.keepPrivate(ds, t)) {
          keptPrivateBlocks.add(((t >>> 16) << 8) | ((t >>> 8) & 0xff));
          this.note(path, 'K');
        } else {
          remove.push(t);
          this.note(path, 'X');
        }
        continue;
      }
      const group = t >>> 16;
      if ((group & 0xff00) === 0x5000 || (group & 0xff00) === 0x6000) {
        // Curves (50xx, retired) and overlays (60xx: Overlay Plane PS3.3 C.9.2, Multi-frame Overlay
        // C.9.3, Overlay Activation in presentation states C.11.7): removed whole, under every option.
        // Table E.1-1 gives Overlay Data and Comments X and Curve Data X, and C under Clean Graphics
        // (E.3.3: remove the identifying graphics or else the graphics). Overlay bitmaps and curve
        // data cannot be cleaned without looking at them, and overlay attributes kept without their
        // data would be a broken overlay, so Clean Graphics also removes them; overlays embedded in
        // Pixel Data bits are reported (OVERLAY_IN_PIXEL_DATA).
        remove.push(t);
        this.note(path, 'X');
        continue;
      }
      const row = findProfileRow(t) ?? supplementaryRow(t);
      const vr = effectiveVR(t, el);
      const isSequence = el.items !== undefined;
      let action: ResolvedAction;
      if (row !== undefined) {
        action = resolveCompound(this.tableAction(row), {
          empty: el.length === 0,
          sequence: isSequence,
          type: this.typeOf(ds, t),
        });
      } else if (this.outsideIod(ds, t)) {
        remove.push(t);
        this.note(path, 'X', 'NOT_IN_IOD');
        continue;
      } else {
        action = this.unlistedAction(t, vr, isSequence, mode);
      }
      this.apply(t, el, vr, row, action, mode, path, { remove, set, items });
    }
    // A Private Creator stays only when an element of its block stays (PS3.5 7.8.1).
    for (const t of privateCreators) {
      const block = ((t >>> 16) << 8) | (t & 0xff);
      if (!keptPrivateBlocks.has(block)) {
        remove.push(t);
        this.note(`${prefix}${tagText(t)}`, 'X');
      }
    }
    if (remove.length === 0 && set.length === 0 && items.size === 0) return undefined;
    return {
      ...(remove.length > 0 ? { remove } : {}),
      ...(set.length > 0 ? { set } : {}),
      ...(items.size > 0 ? { items } : {}),
    };
  }

  /** The row's action under the configured options (tableAction), remembered per configuration. */
  tableAction(row: ProfileRow): ProfileAction {
    let action = this.actions.get(row);
    if (action === undefined) {
      action = tableAction(row, this.options);
      // Rows are the table's and the supplementary memo's (stable objects); bounded all the same.
      if (this.actions.size >= TAG_MEMO_LIMIT) this.actions.clear();
      this.actions.set(row, action);
    }
    return action;
  }

  /** Retain Safe Private (PS3.15 E.3.10): kept only if on the safe list, by creator and element. */
  keepPrivate(ds: DataSet, t: Tag): boolean {
    if (!this.options.has('retainSafePrivate')) return false;
    const element = t & 0xffff;
    if (element < 0x1000) return false; // (gggg,0001-00FF) hold no private data elements
    const group = t >>> 16;
    const creatorTag = ((group << 16) | (element >>> 8)) >>> 0;
    const creatorEl = ds.elements.get(creatorTag);
    if (creatorEl === undefined) return false;
    return this.safe.has(group, rawText(this.file, creatorEl), element & 0xff);
  }

  /**
   * Attributes not in Table E.1-1 and not already removed as outside the IOD (outsideIod, top
   * level of known SOP Classes): whitelist thinking. Standard attributes known to the data
   * dictionary (PS3.6) are kept (the table lists every standard attribute that can identify);
   * unknown public tags and the curve and overlay repeating groups (50xx, 60xx; only their data and
   * comments are in the table, but overlays can carry burned-in text and curves patient data) are
   * removed. Inside a D or C sequence, text, dates and non-well-known UIDs are replaced or cleaned.
   */
  unlistedAction(t: Tag, vr: VR, isSequence: boolean, mode: Mode): ResolvedAction {
    if (t === SPECIFIC_CHARACTER_SET) return 'K';
    if (!inDictionary(t)) return 'X';
    if (mode === 'normal' || isSequence) return 'K';
    if (vr === 'UI') return 'U';
    if (TEMPORAL_VRS.has(vr)) return 'D';
    // CS holds coded terms that give a sequence its structure (Graphic Layer and Graphic Type in a
    // Graphic Annotation Sequence, PS3.3 C.10.5; Relationship and Value Type in a Content Sequence,
    // C.17.3): a dummy would break the object, so CS is cleaned (kept only if it passes the checks).
    if (TEXT_VRS.has(vr)) return mode === 'clean' || vr === 'CS' ? 'C' : 'D';
    return 'K';
  }

  apply(
    t: Tag,
    el: DicomElement,
    vr: VR,
    row: ProfileRow | undefined,
    action: ResolvedAction,
    mode: Mode,
    path: string,
    out: { remove: Tag[]; set: NewElement[]; items: Map<Tag, Map<number, DataSetEdit>> },
  ): void {
    if (el.items !== undefined) {
      this.applySequence(t, el, action, mode, path, out);
      return;
    }
    switch (action) {
      case 'X':
        out.remove.push(t);
        this.note(path, 'X');
        return;
      case 'Z':
        out.set.push({ tag: t, vr, value: preEncoded(vr, emptyValue(vr)) });
        this.note(path, 'Z');
        return;
      case 'D':
        if (vr === 'UI') {
          this.applyUid(t, el, path, out);
          return;
        }
        if (el.length === 0 && vr === 'UN') {
          this.note(path, 'K');
          return;
        }
        out.set.push({ tag: t, vr, value: preEncoded(vr, dummyValue(vr)) });
        this.note(path, 'D');
        return;
      case 'U':
        this.applyUid(t, el, path, out);
        return;
      case 'C':
        this.applyClean(t, el, vr, row, mode, path, out);
        return;
      default:
        this.note(path, 'K');
    }
  }

  applyUid(t: Tag, el: DicomElement, path: string, out: { set: NewElement[] }): void {
    if (this.retainUids) {
      // Retain UIDs (PS3.15 E.3.9): no UID changes anywhere, so references stay consistent.
      this.note(path, 'K');
      return;
    }
    const original = rawText(this.file, el);
    if (original === '') {
      this.note(path, 'K');
      return;
    }
    // Most UID values hold one UID (VM 1): mapped without splitting.
    const joined = original.includes('\\')
      ? this.uids.mapAll(original.split('\\')).join('\\')
      : this.uids.map(original);
    // Generated UIDs are valid by construction: handed over as bytes, the writer only copies them.
    if (joined !== original) out.set.push({ tag: t, vr: 'UI', value: uidBytes(joined) });
    this.note(path, 'U');
  }

  /** "C" per attribute class; a value that cannot be cleaned falls back to the basic action. */
  applyClean(
    t: Tag,
    el: DicomElement,
    vr: VR,
    row: ProfileRow | undefined,
    mode: Mode,
    path: string,
    out: { remove: Tag[]; set: NewElement[]; items: Map<Tag, Map<number, DataSetEdit>> },
  ): void {
    const value = rawText(this.file, el);
    if (el.length === 0) {
      this.note(path, 'C');
      return;
    }
    const modifiedDates = this.options.has('retainLongitudinalModifiedDates');
    if (vr === 'DA' || vr === 'DT') {
      const days = this.config.dateShiftDays ?? 0;
      const shifted = modifiedDates ? (vr === 'DA' ? shiftDate(value, days) : shiftDateTime(value, days)) : undefined;
      if (shifted !== undefined) {
        out.set.push({ tag: t, vr, value: shifted });
        this.note(path, 'C');
        return;
      }
      if (modifiedDates) {
        this.warnings.push({ code: 'UNPARSEABLE_DATE', message: 'a date could not be shifted and was replaced', path });
      }
    } else if (vr === 'TM' && modifiedDates) {
      this.note(path, 'C'); // a time of day is kept with whole-day shifts (date-shift.ts)
      return;
    } else if (vr === 'SH' && t === 0x00080201 && modifiedDates) {
      this.note(path, 'C'); // Timezone Offset From UTC: no date in it
      return;
    } else if (TEXT_VRS.has(vr) && vr !== 'PN' && vr !== 'UR' && isCleanText(value, this.ids)) {
      this.note(path, 'C');
      return;
    }
    // Fallback: the Basic Profile's action (PS3.15 E.3.5: what cannot be cleaned is removed).
    const basic =
      row === undefined
        ? mode === 'normal'
          ? 'X'
          : 'D'
        : resolveCompound(row.basic, {
            empty: false,
            sequence: false,
            // Top-level elements (a path without an item index) have a Type in the IOD.
            type: path.includes('[') ? undefined : this.types?.get(t),
          });
    if (basic === 'X') {
      out.remove.push(t);
      this.note(path, 'X');
    } else if (basic === 'Z') {
      out.set.push({ tag: t, vr, value: preEncoded(vr, emptyValue(vr)) });
      this.note(path, 'Z');
    } else if (basic === 'U') {
      this.applyUid(t, el, path, out);
    } else {
      out.set.push({ tag: t, vr, value: preEncoded(vr, dummyValue(vr)) });
      this.note(path, 'C-');
    }
  }

  applySequence(
    t: Tag,
    el: DicomElement,
    action: ResolvedAction,
    mode: Mode,
    path: string,
    out: { remove: Tag[]; set: NewElement[]; items: Map<Tag, Map<number, DataSetEdit>> },
  ): void {
    if (action === 'X') {
      out.remove.push(t);
      this.note(path, 'X');
      return;
    }
    if (action === 'Z') {
      out.set.push({ tag: t, vr: 'SQ', value: [] });
      this.note(path, 'Z');
      return;
    }
    // K, U, U*, D, C: keep the items and de-identify inside them (every depth, PS3.15 E.1.1).
    const inner: Mode = action === 'D' ? 'dummy' : action === 'C' ? (mode === 'dummy' ? 'dummy' : 'clean') : mode;
    this.note(path, action === 'D' ? 'D' : action === 'C' ? 'C' : 'K');
    const itemEdits = new Map<number, DataSetEdit>();
    el.items?.forEach((item, i) => {
      const e = this.planDataSet(item, inner, `${path}[${i}]/`);
      if (e !== undefined) itemEdits.set(i, e);
    });
    if (itemEdits.size > 0) out.items.set(t, itemEdits);
  }
}

/** The VR to write with: the stream's, or the dictionary's when the stream said UN (PS3.5 6.2.2). */
function effectiveVR(t: Tag, el: DicomElement): VR {
  if (el.vr !== 'UN') return el.vr;
  const entry = lookupTag(t);
  return entry !== undefined && entry.vr !== 'SQ' ? entry.vr : 'UN';
}

function emptyValue(vr: VR): NewValue {
  switch (vr) {
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'FL':
    case 'FD':
    case 'SV':
    case 'UV':
    case 'AT':
      return [];
    case 'OB':
    case 'OW':
    case 'OF':
    case 'OD':
    case 'OL':
    case 'OV':
    case 'UN':
      return new Uint8Array(0);
    default:
      return '';
  }
}

/**
 * Options of planDeidentification.
 *
 * @example
 * const uids = new UidMapper(config.uidSecret); // one per study: memoises repeated UIDs
 * planDeidentification(file, config, { uids, fileSize: blob.size });
 */
export interface PlanOptions {
  /** A shared mapper for a batch (memo of Study/Series/Frame of Reference UIDs). */
  readonly uids?: UidMapper;
  /** Size of the whole file, for a header-only read of a prefix (defaults to `file.fileSize`). */
  readonly fileSize?: number;
}

/**
 * Plans the de-identification of one instance per PS3.15 Annex E: the Basic Application Level
 * Confidentiality Profile with the configured options, applied to every data set at every depth;
 * then the identity written in (identity.ts). Nothing is written: the plan is data (an edit of the
 * data set and one of the File Meta Information) that `writeDicom` applies, so it can be logged
 * and tested. Read the file header-only (`readDicom(bytes, { headerOnly: true })`): Pixel Data is
 * never looked at and is passed through by reference.
 *
 * Throws DeidError DEID_INVALID_CONFIG when checkConfig finds a problem, and DEID_INCOMPLETE_INPUT
 * when a header-only read may have missed elements after Pixel Data (see header-only.ts).
 *
 * @example
 * const file = readDicom(bytes, { headerOnly: true });
 * const { edit, metaEdit, report } = planDeidentification(file, config);
 */
export function planDeidentification(file: DicomFile, config: DeidConfig, options: PlanOptions = {}): DeidPlan {
  // Checked once per configuration object (DeidConfig is read-only): a batch shares one.
  if (!checkedConfigs.has(config)) {
    const problems = checkConfig(config);
    if (problems.length > 0) {
      throw new DeidError('DEID_INVALID_CONFIG', problems.map((p) => p.message).join(' '));
    }
    checkedConfigs.add(config);
  }
  const gap = headerOnlyGap(file, options.fileSize);
  if (gap !== undefined) {
    throw new DeidError('DEID_INCOMPLETE_INPUT', `${gap}; read the whole file (pixels are still not decoded)`);
  }
  const mapper = options.uids ?? new UidMapper(config.uidSecret, (uid) => sopClassName(uid) !== undefined);
  const planner = new Planner(file, config, mapper);
  const planned = planner.planDataSet(file.dataSet, 'normal', '') ?? {};

  // Identity written in, replacing whatever the walk decided for these tags.
  const { elements: identity, tags: identityTags } = encodedIdentity(config);
  const remove = (planned.remove ?? []).filter((t) => !identityTags.has(t));
  const set = [...(planned.set ?? []).filter((e) => !identityTags.has(e.tag)), ...identity];
  for (const e of identity) planner.note(tagText(e.tag), 'SET');
  const edit: DataSetEdit = { remove, set, ...(planned.items !== undefined ? { items: planned.items } : {}) };

  const top = file.dataSet.elements;
  const newUid = (t: Tag): string | undefined => {
    const fromSet = set.find((e) => e.tag === t);
    if (fromSet !== undefined) {
      const v = fromSet.value;
      if (typeof v === 'string') return v;
      return v instanceof Uint8Array ? asciiText(v) : undefined;
    }
    const el = top.get(t);
    return el === undefined ? undefined : rawText(file, el);
  };
  const sopInstanceUid = newUid(SOP_INSTANCE_UID);
  const metaSet: NewElement[] = [];
  const metaRemove = META_REMOVED.filter((t) => file.meta.elements.has(t));
  if (file.meta.elements.has(MEDIA_STORAGE_SOP_INSTANCE_UID)) {
    // PS3.10 7.1: Media Storage SOP Instance UID equals the SOP Instance UID.
    const metaUid = rawText(file, file.meta.elements.get(MEDIA_STORAGE_SOP_INSTANCE_UID)!);
    const mapped = sopInstanceUid ?? (planner.retainUids ? metaUid : mapper.map(metaUid));
    metaSet.push({ tag: MEDIA_STORAGE_SOP_INSTANCE_UID, vr: 'UI', value: mapped });
  }
  const metaEdit: DataSetEdit = { ...(metaRemove.length > 0 ? { remove: metaRemove } : {}), set: metaSet };

  const burned = top.get(BURNED_IN_ANNOTATION);
  if (burned !== undefined && rawText(file, burned).toUpperCase() === 'YES') {
    planner.warnings.push({
      code: 'BURNED_IN_ANNOTATION',
      message:
        'Burned In Annotation is YES: the pixel data may show identifying text, and Courier does not clean pixel data.',
    });
  }
  const embedded = embeddedOverlayGroups(file);
  if (embedded.length > 0) {
    planner.warnings.push({
      code: 'OVERLAY_IN_PIXEL_DATA',
      message:
        `Overlay ${embedded.map((g) => g.toString(16).toUpperCase()).join(', ')} is embedded in unused bits of Pixel Data ` +
        '(retired, PS3.5 8.1.2): its attributes are removed, but the bits stay in the pixel values, which Courier does not change.',
    });
  }
  return {
    edit,
    metaEdit,
    report: {
      counts: planner.counts,
      sopInstanceUid,
      seriesInstanceUid: newUid(SERIES_INSTANCE_UID),
      studyInstanceUid: newUid(STUDY_INSTANCE_UID),
      warnings: planner.warnings,
      log: planner.log,
    },
  };
}

/** A UID value given as bytes (ASCII), trailing NUL padding removed; a loop, as spreading a typed array into fromCharCode is slow. */
function asciiText(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  let text = '';
  for (let i = 0; i < end; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

const OVERLAY_DATA_ELEMENT = 0x3000;
const OVERLAY_BITS_ALLOCATED_ELEMENT = 0x0100;
const OVERLAY_BIT_POSITION_ELEMENT = 0x0102;

/**
 * Overlay groups (60xx) whose bitmap lives in the unused high bits of Pixel Data rather than in
 * Overlay Data (60xx,3000): retired since 2004 (PS3.5 8.1.2, PS3.3 C.9.2.1.1), still found in old
 * files. Removing the 60xx attributes hides them from viewers; the bits themselves stay.
 */
function embeddedOverlayGroups(file: DicomFile): number[] {
  const groups = new Set<number>();
  const withData = new Set<number>();
  for (const t of file.dataSet.elements.keys()) {
    const group = t >>> 16;
    if ((group & 0xff00) !== 0x6000 || (group & 1) === 1) continue;
    const element = t & 0xffff;
    if (element === OVERLAY_DATA_ELEMENT) withData.add(group);
    else if (element === OVERLAY_BITS_ALLOCATED_ELEMENT || element === OVERLAY_BIT_POSITION_ELEMENT) {
      // Overlay Bits Allocated 1 and Bit Position 0 are what a separate Overlay Data has (C.9.2.1.1).
      const value = getNumber(file, file.dataSet, t);
      if (value !== undefined && value !== (element === OVERLAY_BITS_ALLOCATED_ELEMENT ? 1 : 0)) groups.add(group);
    }
  }
  return [...groups].filter((g) => !withData.has(g)).sort((a, b) => a - b);
}

const checkedConfigs = new WeakSet<DeidConfig>();
const identityByConfig = new WeakMap<DeidConfig, { elements: NewElement[]; tags: ReadonlySet<Tag> }>();

/** The identity elements of a configuration (and their tags), encoded once per configuration object. */
function encodedIdentity(config: DeidConfig): { elements: NewElement[]; tags: ReadonlySet<Tag> } {
  let known = identityByConfig.get(config);
  if (known === undefined) {
    const elements = preEncodedElements(identityElements(config));
    known = { elements, tags: new Set(elements.map((e) => e.tag)) };
    identityByConfig.set(config, known);
  }
  return known;
}

interface ConfigShared {
  readonly options: ReadonlySet<DeidOption>;
  readonly safe: ReturnType<typeof safePrivateSet>;
  /** Table action of each row under the options, filled as rows are met (a series meets the same rows). */
  readonly actions: Map<ProfileRow, ProfileAction>;
}
const configShared = new WeakMap<DeidConfig, ConfigShared>();

/** What every file of one configuration shares (the option set, the safe-private index, row actions), built once. */
function perConfig(config: DeidConfig): ConfigShared {
  let known = configShared.get(config);
  if (known === undefined) {
    known = {
      options: new Set(config.options),
      safe: safePrivateSet(config.safePrivate ?? SAFE_PRIVATE_ELEMENTS),
      actions: new Map(),
    };
    configShared.set(config, known);
  }
  return known;
}

// Per-tag memos: the same few hundred tags recur in every file of a series.
const TAG_MEMO_LIMIT = 8192;
const tagTexts = new Map<Tag, string>();
const dictionaryTags = new Map<Tag, boolean>();

/** "(gggg,eeee)", remembered. */
function tagText(t: Tag): string {
  let text = tagTexts.get(t);
  if (text === undefined) {
    text = formatTag(t);
    if (tagTexts.size < TAG_MEMO_LIMIT) tagTexts.set(t, text);
  }
  return text;
}

/** Whether PS3.6 knows the tag, remembered. */
function inDictionary(t: Tag): boolean {
  let known = dictionaryTags.get(t);
  if (known === undefined) {
    known = lookupTag(t) !== undefined;
    if (dictionaryTags.size < TAG_MEMO_LIMIT) dictionaryTags.set(t, known);
  }
  return known;
}
