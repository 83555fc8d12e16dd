import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateRtSet } from '../test/rt-set.js';
import { blobFileSource } from './browser/file-source.js';
import { scanFiles } from './scan.js';

// Every file must end in a state the user sees: an instance or an ignored file with a reason,
// whatever its bytes. Damaged variants of real generated files (cut, bytes overwritten, bytes
// inserted) must never make the scan throw or hang.
const { files } = generateRtSet({ ctSlices: 1, rtImages: 1 });
const originals = files.map((f) => f.bytes);

const damaged = fc
  .record({
    file: fc.integer({ min: 0, max: originals.length - 1 }),
    kind: fc.constantFrom('cut', 'overwrite', 'insert'),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  })
  .map(({ file, kind, at, bytes }) => {
    const original = originals[file]!;
    const offset = at % original.length;
    if (kind === 'cut') return original.subarray(0, offset);
    if (kind === 'overwrite') {
      const copy = new Uint8Array(original);
      copy.set(bytes.subarray(0, copy.length - offset), offset);
      return copy;
    }
    const out = new Uint8Array(original.length + bytes.length);
    out.set(original.subarray(0, offset));
    out.set(bytes, offset);
    out.set(original.subarray(offset), offset + bytes.length);
    return out;
  });

describe('scanFiles on damaged files', () => {
  it('accounts for every damaged file as an instance or an ignored file with a reason', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(damaged, { minLength: 1, maxLength: 4 }), async (variants) => {
        const sources = variants.map((bytes, i) =>
          blobFileSource(new Blob([bytes as Uint8Array<ArrayBuffer>]), `f${i}`),
        );
        const result = await scanFiles(sources, { prefixBytes: 1024 });
        expect(result.instances.length + result.ignored.length + result.sameFileSkipped).toBe(sources.length);
        for (const i of result.ignored) expect(i.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
