/**
 * Property: editing a file gives exactly the file built from the edited element list.
 * For random data sets (nested sequences, short and long values, both byte orders) and random
 * edits (remove, replace, insert, edits inside items two levels deep):
 *   writeDicom(readDicom(createDicom(E)), edit)  ===  createDicom(apply(E, edit))   byte for byte.
 * createDicom writes defined lengths everywhere, which the writer keeps, so the two must agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDifference } from '../test/byte-builder.js';
import { createDicom } from './create-dicom.js';
import type { DataSetEdit, NewElement } from './edit.js';
import { readDicom } from './read-dicom.js';
import { tag } from './tag.js';
import { concatParts, writeDicom } from './write-dicom.js';

const SOP: NewElement[] = [
  { tag: tag(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
  { tag: tag(0x0008, 0x0018), vr: 'UI', value: '2.25.42' },
];
const RESERVED = new Set([0x00080005, 0x00080016, 0x00080018]);

const anyTag = fc
  .tuple(
    fc.constantFrom(0x0008, 0x0010, 0x0018, 0x0020, 0x0028, 0x0040, 0x3006, 0x0009),
    fc.integer({ min: 1, max: 0xffff }),
  )
  .map(([g, e]) => tag(g, e))
  .filter((t) => !RESERVED.has(t));

function leafArbOf(tagArb: fc.Arbitrary<number>): fc.Arbitrary<NewElement> {
  return fc.oneof(
    fc.record({ tag: tagArb, vr: fc.constant('LO' as const), value: fc.stringMatching(/^[A-Za-z0-9 .^-]{0,64}$/) }),
    fc.record({ tag: tagArb, vr: fc.constant('CS' as const), value: fc.stringMatching(/^[A-Z0-9_ ]{0,16}$/) }),
    fc.record({
      tag: tagArb,
      vr: fc.constant('UI' as const),
      value: fc.stringMatching(/^[1-9]\d{0,5}(\.[1-9]\d{0,5}){0,5}$/),
    }),
    fc.record({
      tag: tagArb,
      vr: fc.constant('US' as const),
      value: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 4 }),
    }),
    fc.record({
      tag: tagArb,
      vr: fc.constant('FD' as const),
      value: fc.array(fc.double({ noNaN: true }), { maxLength: 3 }),
    }),
    fc.record({
      tag: tagArb,
      vr: fc.constant('DS' as const),
      value: fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 3 }),
    }),
    // Long enough, sometimes, to be referenced as a range instead of copied (copyBelow is 256).
    fc.record({ tag: tagArb, vr: fc.constant('OB' as const), value: fc.uint8Array({ maxLength: 700 }) }),
  );
}

/** Tags for leaves and for sequences: any tag in explicit VR; in implicit VR the reader needs the dictionary to agree. */
interface Tags {
  readonly leaf: fc.Arbitrary<NewElement>;
  readonly sequence: fc.Arbitrary<number>;
}

const EXPLICIT_TAGS: Tags = { leaf: leafArbOf(anyTag), sequence: anyTag };
// Implicit VR: leaves in a private group the dictionary does not know (read as UN bytes), sequences
// under tags the dictionary lists as SQ (PS3.5 7.1.3: the reader has no VR to go by).
const IMPLICIT_TAGS: Tags = {
  leaf: leafArbOf(fc.integer({ min: 0x1000, max: 0x10ff }).map((e) => tag(0x0009, e))),
  sequence: fc.constantFrom(0x00081115, 0x00081140, 0x00081199, 0x0040a730, 0x30060039, 0x300a00b0),
};

function dataSetArb(depth: number, tags: Tags): fc.Arbitrary<NewElement[]> {
  const element: fc.Arbitrary<NewElement> =
    depth >= 2
      ? tags.leaf
      : fc.oneof(
          { weight: 4, arbitrary: tags.leaf },
          {
            weight: 1,
            arbitrary: fc.record({
              tag: tags.sequence,
              vr: fc.constant('SQ' as const),
              value: fc.array(dataSetArb(depth + 1, tags), { maxLength: 3 }),
            }),
          },
        );
  return fc.uniqueArray(element, { selector: (el) => el.tag, maxLength: depth === 0 ? 12 : 4 });
}

const itemsOf = (el: NewElement): readonly (readonly NewElement[])[] => el.value as readonly (readonly NewElement[])[];

/** A random edit of `elements`: removals, sets (new or replacing), and one item edit per chosen sequence. */
function editArb(elements: readonly NewElement[], depth: number, tags: Tags): fc.Arbitrary<DataSetEdit> {
  const sequences = elements.filter((el) => el.vr === 'SQ' && itemsOf(el).length > 0);
  const itemEdits: fc.Arbitrary<[number, number, DataSetEdit][]> =
    depth < 2 && sequences.length > 0
      ? fc
          .subarray(sequences, { maxLength: Math.min(2, sequences.length) })
          .chain((chosen) =>
            fc.tuple(
              ...chosen.map((seq) =>
                fc
                  .integer({ min: 0, max: itemsOf(seq).length - 1 })
                  .chain((i) =>
                    editArb(itemsOf(seq)[i]!, depth + 1, tags).map((e): [number, number, DataSetEdit] => [
                      seq.tag,
                      i,
                      e,
                    ]),
                  ),
              ),
            ),
          )
      : fc.constant([]);
  return fc
    .record({
      remove: fc.subarray(elements.map((el) => el.tag)),
      set: fc.uniqueArray(tags.leaf, { selector: (el) => el.tag, maxLength: 3 }),
      items: itemEdits,
    })
    .map(({ remove, set, items }) => {
      const kept = set.filter((el) => !remove.includes(el.tag));
      const touched = new Set([...remove, ...kept.map((el) => el.tag)]);
      const free = items.filter(([t]) => !touched.has(t));
      return {
        remove,
        set: kept,
        items: new Map(free.map(([t, i, e]) => [t, new Map([[i, e]])])),
      };
    });
}

/** The model: the element list with the edit applied. */
function apply(elements: readonly NewElement[], edit: DataSetEdit): NewElement[] {
  const removed = new Set(edit.remove ?? []);
  const set = new Map((edit.set ?? []).map((el) => [el.tag, el]));
  const kept = elements
    .filter((el) => !removed.has(el.tag) && !set.has(el.tag))
    .map((el) => {
      const byIndex = edit.items?.get(el.tag);
      if (byIndex === undefined) return el;
      return { ...el, value: itemsOf(el).map((item, i) => (byIndex.has(i) ? apply(item, byIndex.get(i)!) : item)) };
    });
  return [...kept, ...set.values()];
}

describe('writeDicom against the edited element list', () => {
  it.each([
    ['Explicit VR Little Endian', '1.2.840.10008.1.2.1', EXPLICIT_TAGS],
    ['Explicit VR Big Endian', '1.2.840.10008.1.2.2', EXPLICIT_TAGS],
    ['Implicit VR Little Endian', '1.2.840.10008.1.2', IMPLICIT_TAGS],
  ] as const)('writes exactly the file createDicom builds from the edited list (%s)', (_name, uid, tags) => {
    const scenario = dataSetArb(0, tags).chain((elements) =>
      editArb(elements, 0, tags).map((edit) => ({ elements, edit })),
    );
    fc.assert(
      fc.property(scenario, ({ elements, edit }) => {
        const source = createDicom([...SOP, ...elements], { transferSyntaxUID: uid });
        const written = concatParts(writeDicom(readDicom(source), edit), source);
        const expected = createDicom([...SOP, ...apply(elements, edit)], { transferSyntaxUID: uid });
        expect(firstDifference(written, expected)).toBe(-1);
      }),
      { numRuns: 150 },
    );
  });
});
