import { readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { rtSet } from '../../../../bench/synthetic/rt-set.js';
import { headerOf, isoDateOfDa, isoTimeOfTm, readStoredHeader } from './stored-header.js';

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe('the stored header of the catalogue', () => {
  it('turns DA into YYYY-MM-DD and TM into HH:MM:SS (PS3.5 6.2), anything else into null', () => {
    expect(isoDateOfDa('20240115')).toBe('2024-01-15');
    expect(isoDateOfDa('2024.01.15')).toBeNull();
    expect(isoDateOfDa('')).toBeNull();
    expect(isoTimeOfTm('101000')).toBe('10:10:00');
    expect(isoTimeOfTm('1010')).toBe('10:10:00');
    expect(isoTimeOfTm('10')).toBe('10:00:00');
    expect(isoTimeOfTm('235959.123456')).toBe('23:59:59');
    expect(isoTimeOfTm('10:10')).toBeNull();
    expect(isoTimeOfTm(undefined)).toBeNull();
  });

  it('reads the same attributes from a stream in small chunks as from the whole file, stopping at the header', async () => {
    const set = rtSet({ slices: 1, rows: 256, columns: 256, seed: 3, patientId: 'P-1' });
    for (const { bytes } of set.files) {
      const whole = headerOf(readDicom(bytes));
      let taken = 0;
      const source = (async function* () {
        for await (const chunk of chunked(bytes, 512)) {
          taken += chunk.length;
          yield chunk;
        }
      })();
      expect(await readStoredHeader(source, bytes.length)).toEqual(whole);
      expect(whole.patientId).toBe('P-1');
      expect(whole.studyDate).toBe('2024-01-15');
      expect(whole.studyTime).toBe('10:10:00');
      expect(whole.modality).not.toBeNull();
      if (whole.modality === 'CT') {
        // A 256×256 16-bit CT slice: the first 64 KiB hold the header, the pixels (128 KiB) are not all read.
        expect(taken).toBeLessThan(bytes.length);
      }
    }
  });

  it('refuses a stream that ends inside the header', async () => {
    const { bytes } = rtSet({ slices: 1, seed: 4 }).files[0]!;
    await expect(readStoredHeader(chunked(bytes.subarray(0, 300), 100), bytes.length)).rejects.toThrow();
  });
});
