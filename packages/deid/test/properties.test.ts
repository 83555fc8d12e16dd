/**
 * Property tests (fast-check): for arbitrary names, IDs and UIDs the guarantees hold, not only for
 * the hand-picked values of the other tests.
 */
import { readDicom } from '@courier/dicom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deidentify } from '../src/deidentify.js';
import { identityElements } from '../src/identity.js';
import { ALL_DEID_OPTIONS, DEFAULT_TRIAL_OPTIONS } from '../src/options.js';
import { UidMapper } from '../src/uid-map.js';
import { buildInstance } from './build-instance.js';
import { concat } from './concat.js';

const ENGINE_TEXT = JSON.stringify(
  identityElements({ options: ALL_DEID_OPTIONS, patientId: 'P-0001', patientName: '0001', uidSecret: 'x'.repeat(16) }),
).toUpperCase();
const word = fc.stringMatching(/^[A-Z][a-z]{3,11}$/);
const uid = fc
  .array(fc.integer({ min: 0, max: 999_999 }), { minLength: 3, maxLength: 9 })
  .map((parts) => `1.3.6.1.4.1.${parts.join('.')}`);

describe('properties', () => {
  it('every remapped UID is a valid UID: digits and dots, no leading zero, at most 64 characters, under 2.25', () => {
    const mapper = new UidMapper('property-secret-0123456789');
    fc.assert(
      fc.property(uid, (original) => {
        const out = mapper.map(original);
        expect(out).toMatch(/^2\.25\.(0|[1-9]\d*)$/);
        expect(out.length).toBeLessThanOrEqual(64);
        expect(mapper.map(original)).toBe(out);
      }),
      { numRuns: 300 },
    );
  });

  it('no patient, physician or ID string survives, wherever the input repeats it', () => {
    fc.assert(
      fc.property(
        word,
        word,
        word,
        fc.stringMatching(/^[A-Z][A-Z0-9]{5,11}$/),
        uid,
        (family, given, doctor, id, study) => {
          fc.pre(new Set([family, given, doctor]).size === 3);
          // Words the engine itself writes (code meanings, method text) cannot be told apart from a leak.
          fc.pre([family, given, doctor, id].every((w) => !ENGINE_TEXT.includes(w.toUpperCase())));
          const input = buildInstance([
            { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
            { tag: 0x00080018, vr: 'UI', value: `${study}.1` },
            { tag: 0x00080090, vr: 'PN', value: `${doctor}^Ann` },
            { tag: 0x00081030, vr: 'LO', value: `CT ${family}` },
            { tag: 0x0008103e, vr: 'LO', value: `${given} ${id}` },
            { tag: 0x00081140, vr: 'SQ', value: [[{ tag: 0x00081155, vr: 'UI', value: `${study}.2` }]] },
            { tag: 0x00090010, vr: 'LO', value: 'X' },
            { tag: 0x00091001, vr: 'LO', value: family },
            { tag: 0x00100010, vr: 'PN', value: `${family}^${given}` },
            { tag: 0x00100020, vr: 'LO', value: id },
            { tag: 0x0020000d, vr: 'UI', value: study },
            { tag: 0x00204000, vr: 'LT', value: `${doctor} saw ${family}` },
          ]);
          const config = {
            options: [...DEFAULT_TRIAL_OPTIONS, 'cleanDescriptors' as const],
            patientId: 'P-0001',
            patientName: '0001',
            uidSecret: 'property-secret-0123456789',
          };
          const out = new TextDecoder('latin1').decode(concat(deidentify(readDicom(input), config), input));
          for (const s of [family, given, doctor, id, study]) expect(out.includes(s), s).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});
