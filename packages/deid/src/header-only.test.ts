import { existsSync, readFileSync } from 'node:fs';
import { readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { buildInstance, type Spec } from '../test/build-instance.js';
import { concat } from '../test/concat.js';
import { deidentify } from './deidentify.js';
import { DeidError } from './errors.js';
import { headerOnlyGap } from './header-only.js';

const config = { options: [], patientId: 'P-1', patientName: 'P1', uidSecret: 'header-only-secret-0123' };
const head: Spec[] = [
  { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
  { tag: 0x00080018, vr: 'UI', value: '1.2.3.4' },
  { tag: 0x00100010, vr: 'PN', value: 'Doe^Jane' },
  { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(32) },
];

describe('header-only reads', () => {
  it('are enough when Pixel Data is the last element', () => {
    const file = readDicom(buildInstance(head), { headerOnly: true });
    expect(file.complete).toBe(false);
    expect(headerOnlyGap(file)).toBeUndefined();
  });

  it('need the file size when the bytes read end inside Pixel Data', () => {
    const bytes = buildInstance(head);
    const prefix = readDicom(bytes.subarray(0, bytes.length - 8), { headerOnly: true });
    expect(headerOnlyGap(prefix)).toMatch(/file size is unknown/);
    expect(headerOnlyGap(prefix, bytes.length)).toBeUndefined();
    expect(headerOnlyGap(prefix, bytes.length + 10)).toMatch(/10 bytes follow/);
  });

  it('are refused when private elements follow Pixel Data, and the whole read removes them', () => {
    const bytes = buildInstance([
      ...head,
      { tag: 0x7fe10010, vr: 'LO', value: 'GEMS_Ultrasound_MovieGroup_001' },
      { tag: 0x7fe11001, vr: 'LO', value: 'Doe^Jane' },
    ]);
    const partial = readDicom(bytes, { headerOnly: true });
    expect(headerOnlyGap(partial)).toMatch(/bytes follow Pixel Data/);
    expect(() => deidentify(partial, config)).toThrow(DeidError);
    const out = concat(deidentify(readDicom(bytes), config), bytes);
    expect(new TextDecoder('latin1').decode(out)).not.toContain('Doe');
    expect(readDicom(out).dataSet.elements.has(0x7fe11001)).toBe(false);
  });
});

describe('raw data sets', () => {
  it('come out as Part 10 files whose meta names the new SOP Instance UID', () => {
    const part10 = buildInstance(head);
    const raw = part10.slice(readDicom(part10).dataSetOffset);
    const input = readDicom(raw);
    expect(input.meta.elements.size).toBe(0);
    const out = readDicom(concat(deidentify(input, config), raw));
    expect(out.hasPreamble).toBe(true);
    const text = (ds: typeof out.meta, t: number) => {
      const el = ds.elements.get(t)!;
      return new TextDecoder().decode(out.source.subarray(el.offset, el.offset + el.length)).replace(/\0+$/, '');
    };
    expect(text(out.meta, 0x00020003)).toBe(text(out.dataSet, 0x00080018));
    expect(text(out.dataSet, 0x00080018)).toMatch(/^2\.25\./);
  });
});

describe('deflated files', () => {
  it('are judged on the inflated data set, whatever the file size passed', () => {
    const path = '/usr/lib/python3/dist-packages/pydicom/data/test_files/image_dfl.dcm';
    if (!existsSync(path)) return; // system fixture (python3-pydicom); the corpus test enforces its presence in CI
    const bytes = new Uint8Array(readFileSync(path));
    const file = readDicom(bytes, { headerOnly: true });
    expect(file.sourceIsFile).toBe(false);
    expect(headerOnlyGap(file, bytes.length)).toBeUndefined();
    const out = readDicom(concat(deidentify(file, { ...config, options: [] }, { fileSize: bytes.length }), bytes));
    expect(out.dataSet.elements.has(0x7fe00010)).toBe(true);
  });
});
