/**
 * Table-driven test of PS3.15 Table E.1-1: for every one of the 621 rows, under the Basic Profile
 * and under each option whose column names an action for the row, an instance carrying the
 * attribute at the top level and nested inside a sequence is de-identified, written, read back,
 * and the attribute must show the action. Expectations come from the standard JSON directly
 * (data/confidentiality_profile_attributes.json), not from the generated table the engine uses.
 */
import { readFileSync } from 'node:fs';
import { type DataSet, type DicomFile, lookupTag, readDicom, type VR } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import type { DeidConfig } from '../src/config.js';
import { deidentify } from '../src/deidentify.js';
import { iodAttributeTypes } from '../src/iod-types.js';
import { DEID_OPTIONS, type DeidOption } from '../src/options.js';
import { remapUid } from '../src/uid-map.js';
import { buildInstance, type Spec } from './build-instance.js';
import { concat } from './concat.js';

interface SourceRow {
  name: string;
  tag: string;
  basicProfile: string;
  [column: string]: string;
}
const rows = JSON.parse(
  readFileSync(new URL('../data/confidentiality_profile_attributes.json', import.meta.url), 'utf8'),
) as SourceRow[];

const SECRET = 'table-test-secret-0123456789';
const SHIFT = 10;
/** The carrier sequence holding the nested copies: Beam Sequence, not in Table E.1-1, so kept and walked. */
const CARRIER = 0x300a00b0;
/** Written by the engine at the top level whatever the table says (identity.ts). */
const IDENTITY = new Set([0x00100010, 0x00100020, 0x00120062, 0x00120063, 0x00120064, 0x00280303]);

/** A concrete tag for each row: "x" digits become 0 (e.g. (60xx,3000) → (6000,3000)); private → (0009,1001). */
function concreteTag(row: SourceRow): number | undefined {
  if (/GGGG/i.test(row.tag)) return 0x00091001;
  if (row.tag === '(50XX,XXXX)') return 0x50003000; // Curve Data
  const hex = row.tag.replace(/[(),]/g, '').replace(/X/gi, '0');
  const t = Number.parseInt(hex, 16);
  if (t >>> 16 === 0 || t >>> 16 === 2) return undefined; // command/meta group: never in a data set
  return t;
}

/** Letters only, so the clean checks see no digits, dates or names in it. */
function letters(t: number): string {
  return `V${t
    .toString(16)
    .padStart(8, '0')
    .replace(/[0-9a-f]/g, (c) => String.fromCharCode(65 + Number.parseInt(c, 16)))}`;
}

function vrOf(t: number): VR {
  if (t === 0x00091001) return 'LO';
  if (t === 0x50003000) return 'OB';
  return lookupTag(t)?.vr ?? 'UN';
}

function original(t: number, vr: VR): Spec['value'] {
  switch (vr) {
    case 'DA':
      return '20240301';
    case 'TM':
      return '101500';
    case 'DT':
      return '20240301101500';
    case 'AS':
      return '042Y';
    case 'IS':
      return '42';
    case 'DS':
      return '4.2';
    case 'UI':
      return `1.2.999.${t}`;
    case 'UR':
      return `http://site.example/${letters(t)}`;
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'FL':
    case 'FD':
      return [42];
    case 'AT':
      return [0x00100010];
    case 'SQ':
      return [[{ tag: 0x00080100, vr: 'SH', value: 'CODEX' }]];
    case 'OB':
    case 'OW':
    case 'OF':
    case 'OD':
    case 'OL':
    case 'OV':
    case 'UN':
    case 'SV':
    case 'UV':
      return Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    default:
      return letters(t);
  }
}

interface Case {
  row: SourceRow;
  tag: number;
  vr: VR;
}
const cases: Case[] = [];
for (const row of rows) {
  const t = concreteTag(row);
  if (t === undefined) continue;
  cases.push({ row, tag: t, vr: vrOf(t) });
}

function specsFor(list: readonly Case[]): Spec[] {
  const elements: Spec[] = list.map((c) => ({ tag: c.tag, vr: c.vr, value: original(c.tag, c.vr) }));
  const creator: Spec = { tag: 0x00090010, vr: 'LO', value: 'ACME PRIVATE' };
  return [
    { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.481.5' }, // RT Plan Storage
    ...elements.filter((e) => e.tag !== 0x00080016),
    creator,
    { tag: CARRIER, vr: 'SQ', value: [[...elements.filter((e) => e.tag !== 0x00080016), creator]] },
  ];
}

/** Types in the RT Plan IOD (the test instance's SOP Class), for the top level. */
const RT_PLAN_TYPES = iodAttributeTypes('1.2.840.10008.5.1.4.1.1.481.5');

/**
 * The action the standard asks for: the option's column if it names one, else the basic one;
 * compounds by the attribute's Type in the IOD where known (PS3.15 E.1.1: "X unless Z/D is
 * required to maintain IOD conformance"), else as documented for an unknown Type.
 */
function expectedAction(row: SourceRow, option: DeidOption | undefined, vr: VR, type?: string): string {
  const column = option === undefined ? undefined : DEID_OPTIONS[option].column;
  const a = (column !== undefined ? row[column] : undefined) ?? row.basicProfile;
  if (type !== undefined && ['X/Z', 'X/D', 'Z/D', 'X/Z/D'].includes(a)) {
    const byType: Record<string, Record<string, string>> = {
      'X/Z': { '1': 'Z', '2': 'Z', '3': 'X' },
      'X/D': { '1': 'D', '2': 'D', '3': 'X' },
      'Z/D': { '1': 'D', '2': 'Z', '3': 'Z' },
      'X/Z/D': { '1': 'D', '2': 'Z', '3': 'X' },
    };
    return byType[a]![type]!;
  }
  if (a === 'X/Z') return 'Z';
  if (a === 'X/D' || a === 'Z/D' || a === 'X/Z/D') return 'D';
  if (a === 'X/Z/U*') return vr === 'SQ' ? 'U*' : 'Z';
  return a;
}

function bytesOf(file: DicomFile, ds: DataSet, t: number): Uint8Array | undefined {
  const el = ds.elements.get(t);
  return el === undefined ? undefined : file.source.subarray(el.offset, el.offset + el.length);
}
const text = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : new TextDecoder('latin1').decode(b).replace(/[\0 ]+$/, '');

function check(
  c: Case,
  option: DeidOption | undefined,
  file: DicomFile,
  ds: DataSet,
  inFile: DicomFile,
  inDs: DataSet,
  where: string,
): void {
  const label = `${c.row.tag} ${c.row.name} [${option ?? 'basic'}] ${where}`;
  const out = bytesOf(file, ds, c.tag);
  const el = ds.elements.get(c.tag);
  const orig = original(c.tag, c.vr);
  const origText = typeof orig === 'string' ? orig : undefined;
  const type = where === 'top level' ? RT_PLAN_TYPES?.get(c.tag) : undefined;
  let action = expectedAction(c.row, option, c.vr, type);
  // Whitelist and graphics rules (plan-deidentification.ts): overlays and curves cannot be
  // cleaned (bitmaps), so "C" there falls back to the basic X; private elements are kept only
  // when on the safe list (ACME PRIVATE is not).
  if (action === 'C' && (c.tag >>> 24 === 0x50 || c.tag >>> 24 === 0x60 || c.tag === 0x00091001)) action = 'X';
  // Names, URLs and binary values cannot be cleaned: the basic action applies (PS3.15 E.3.5).
  const binary = typeof orig !== 'string' && c.vr !== 'SQ';
  if (action === 'C' && (c.vr === 'PN' || c.vr === 'UR' || binary))
    action = expectedAction(c.row, undefined, c.vr, type);
  switch (action) {
    case 'X':
      expect(el, label).toBeUndefined();
      return;
    case 'Z':
      expect(el, label).toBeDefined();
      expect(el?.items?.length ?? 0, label).toBe(0);
      expect(el?.length, label).toBe(0);
      return;
    case 'K':
      expect(el, label).toBeDefined();
      if (c.vr === 'SQ') expect(el?.items?.length, label).toBe(1);
      else expect(out, label).toEqual(bytesOf(inFile, inDs, c.tag));
      return;
    case 'U':
      expect(text(out), label).toBe(c.vr === 'UI' ? remapUid(SECRET, origText ?? '') : text(out));
      if (c.vr === 'UI') expect(text(out), label).not.toBe(origText);
      return;
    case 'U*':
      expect(el?.items?.length, label).toBe(1);
      return;
    case 'D':
      expect(el, label).toBeDefined();
      if (c.vr === 'SQ') {
        expect(el?.items?.length, label).toBe(1); // kept with dummy content
      } else {
        expect(el?.length, label).toBeGreaterThan(0);
        if (origText !== undefined) expect(text(out), label).not.toBe(origText);
      }
      return;
    case 'C': {
      expect(el, label).toBeDefined();
      if (c.vr === 'SQ') {
        expect(el?.items?.length, label).toBe(1);
      } else if (option === 'retainLongitudinalModifiedDates' && c.vr === 'DA') {
        expect(text(out), label).toBe('20240311');
      } else if (option === 'retainLongitudinalModifiedDates' && c.vr === 'DT') {
        expect(text(out), label).toBe('20240311101500');
      } else {
        expect(text(out), label).toBe(origText); // clean text passes the checks and is kept
      }
      return;
    }
    default:
      throw new Error(`unexpected action ${action} for ${label}`);
  }
}

const configs: (DeidOption | undefined)[] = [
  undefined,
  ...(Object.keys(DEID_OPTIONS) as DeidOption[]).filter((o) => DEID_OPTIONS[o].column !== undefined),
];

describe('PS3.15 Table E.1-1, row by row', () => {
  it('covers every row except the two command-group UIDs and the meta group', () => {
    expect(rows).toHaveLength(621);
    expect(cases).toHaveLength(618); // (0002,0003) is checked in the meta test
  });

  for (const option of configs) {
    const column = option === undefined ? undefined : DEID_OPTIONS[option].column;
    const relevant =
      option === undefined ? cases : cases.filter((c) => column !== undefined && c.row[column] !== undefined);
    it(`applies ${option ?? 'the Basic Profile'} to its ${relevant.length} rows at the top level and inside a sequence`, () => {
      const config: DeidConfig = {
        options: option === undefined ? [] : [option],
        patientId: 'PSEUDO-1',
        patientName: 'PSEUDO',
        uidSecret: SECRET,
        ...(option === 'retainLongitudinalModifiedDates' ? { dateShiftDays: SHIFT } : {}),
      };
      const input = buildInstance(specsFor(relevant));
      const file = readDicom(input);
      const out = readDicom(concat(deidentify(file, config), input));
      const nested = out.dataSet.elements.get(CARRIER)?.items?.[0];
      const inNested = file.dataSet.elements.get(CARRIER)!.items![0]!;
      expect(nested, 'carrier sequence item').toBeDefined();
      for (const c of relevant) {
        if (!IDENTITY.has(c.tag)) check(c, option, out, out.dataSet, file, file.dataSet, 'top level');
        check(c, option, out, nested!, file, inNested, 'in a sequence');
      }
    });
  }
});
