import { DICTIONARY_ROWS } from './dictionary.generated.js';
import { nameFromKeyword } from './dictionary-name.js';
import { SOP_CLASS_ROWS } from './sop-classes.generated.js';
import { elementOf, isPrivateCreatorTag, isPrivateTag, type Tag } from './tag.js';
import { isVR, type VR } from './value-representation.js';

/** The edition of the DICOM standard the generated tables come from. */
export const DICOM_EDITION = '2024e';

/**
 * One data element of the PS3.6 data dictionary.
 *
 * @example
 * lookupTag(tag(0x0028, 0x0106)); // { keyword: 'SmallestImagePixelValue', vr: 'US', vrs: ['US', 'SS'], ... }
 */
export interface DictionaryEntry {
  /** The tag; for a repeating group the tag asked for (e.g. (6002,3000)), not the pattern. */
  readonly tag: Tag;
  readonly keyword: string;
  readonly name: string;
  /** The VR to use when the stream does not say (implicit VR): the first of `vrs`, "UN" when none. */
  readonly vr: VR;
  /** Every VR the standard allows ("OB or OW" → ['OB', 'OW']); empty for items and delimiters. */
  readonly vrs: readonly VR[];
  /** Value Multiplicity as written in PS3.6 ("1", "1-n", "2-2n", ...). */
  readonly vm: string;
  readonly retired: boolean;
}

interface Row {
  readonly keyword: string;
  readonly name: string;
  readonly vrs: readonly VR[];
  readonly vm: string;
  readonly retired: boolean;
}

/** A repeating-group row: matches when `(t & mask) === value` (PS3.5 7.6, PS3.6 "xx" notation). */
interface PatternRow extends Row {
  readonly mask: number;
  readonly value: number;
}

interface Tables {
  readonly byTag: Map<Tag, Row>;
  readonly patterns: PatternRow[];
  readonly byKeyword: Map<string, Tag>;
}

let tables: Tables | undefined;

/** Parses the generated rows once, on first use (5,000 strings: about a millisecond). */
function load(): Tables {
  if (tables) return tables;
  const byTag = new Map<Tag, Row>();
  const patterns: PatternRow[] = [];
  const byKeyword = new Map<string, Tag>();
  for (const line of DICTIONARY_ROWS) {
    const [hex = '', vrField = '', vm = '', retired = '', keyword = '', name = ''] = line.split('|');
    const vrs = vrField === '' ? [] : vrField.split('/').filter(isVR);
    const row: Row = {
      keyword,
      name: name === '' ? nameFromKeyword(keyword) : name,
      vrs,
      vm,
      retired: retired === 'R',
    };
    if (hex.includes('X')) {
      const mask = Number.parseInt(hex.replace(/[0-9A-F]/g, 'F').replace(/X/g, '0'), 16) >>> 0;
      const value = Number.parseInt(hex.replace(/X/g, '0'), 16) >>> 0;
      patterns.push({ ...row, mask, value });
      // Keywords of repeating groups name the first group (e.g. OverlayData → (6000,3000)).
      byKeyword.set(keyword, value);
    } else {
      const t = Number.parseInt(hex, 16) >>> 0;
      byTag.set(t, row);
      byKeyword.set(keyword, t);
    }
  }
  tables = { byTag, patterns, byKeyword };
  return tables;
}

function entry(t: Tag, row: Row): DictionaryEntry {
  return {
    tag: t,
    keyword: row.keyword,
    name: row.name,
    vr: row.vrs[0] ?? 'UN',
    vrs: row.vrs,
    vm: row.vm,
    retired: row.retired,
  };
}

const GROUP_LENGTH: Row = { keyword: 'GenericGroupLength', name: 'Group Length', vrs: ['UL'], vm: '1', retired: true };
const PRIVATE_CREATOR: Row = {
  keyword: 'PrivateCreator',
  name: 'Private Creator',
  vrs: ['LO'],
  vm: '1',
  retired: false,
};

/**
 * Looks a tag up in the PS3.6 dictionary, including repeating groups ((50xx,eeee) curves,
 * (60xx,eeee) overlays: even groups only, PS3.5 7.6), group length elements (gggg,0000) and
 * private creators (gggg,00xx) of odd groups (PS3.5 7.8.1). Other private tags are unknown.
 *
 * @example
 * lookupTag(tag(0x0010, 0x0010))?.keyword; // 'PatientName'
 * lookupTag(tag(0x6002, 0x3000))?.keyword; // 'OverlayData'
 */
export function lookupTag(t: Tag): DictionaryEntry | undefined {
  if (isPrivateTag(t)) {
    return isPrivateCreatorTag(t) ? entry(t, PRIVATE_CREATOR) : undefined;
  }
  const { byTag, patterns } = load();
  const row = byTag.get(t);
  if (row) return entry(t, row);
  for (const p of patterns) {
    if ((t & p.mask) >>> 0 === p.value) return entry(t, p);
  }
  if (elementOf(t) === 0) return entry(t, GROUP_LENGTH);
  return undefined;
}

/**
 * The tag of a dictionary keyword; for a repeating group, the tag in its first group.
 *
 * @example
 * tagForKeyword('StudyInstanceUID'); // 0x0020000D
 */
export function tagForKeyword(keyword: string): Tag | undefined {
  return load().byKeyword.get(keyword);
}

/**
 * The VR to assume for a tag when the stream carries none (implicit VR, PS3.5 A.1): the
 * dictionary's first VR, "UN" when the tag is unknown or private.
 *
 * @example
 * implicitVR(tag(0x0010, 0x0010)); // 'PN'
 */
export function implicitVR(t: Tag): VR {
  // Called once per element of every implicit VR file: look the row up without building an entry.
  if (!isPrivateTag(t)) {
    const row = load().byTag.get(t);
    if (row) return row.vrs[0] ?? 'UN';
  }
  return lookupTag(t)?.vr ?? 'UN';
}

let sopClasses: Map<string, string> | undefined;

/**
 * The name of a SOP Class UID (PS3.4 Annex B, PS3.6 Table A-1).
 *
 * @example
 * sopClassName('1.2.840.10008.5.1.4.1.1.481.3'); // 'RT Structure Set Storage'
 */
export function sopClassName(uid: string): string | undefined {
  if (!sopClasses) {
    sopClasses = new Map();
    for (const line of SOP_CLASS_ROWS) {
      const bar = line.indexOf('|');
      sopClasses.set(line.slice(0, bar), line.slice(bar + 1));
    }
  }
  return sopClasses.get(uid);
}
