import { describe, expect, it } from 'vitest';
import { ManifestSchema, Uid } from './uploads.js';

describe('Uid', () => {
  it('accepts UIDs as PS3.5 9.1 defines them', () => {
    for (const uid of ['1.2.840.10008.5.1.4.1.1.2', '2.25.0', `2.25.${'9'.repeat(58)}`]) {
      expect(Uid.safeParse(uid).success, uid).toBe(true);
    }
  });

  it('refuses leading zeros, empty components, other characters and more than 64 characters', () => {
    for (const uid of ['1.02.3', '1..2', '1.2.', '1.2a', '../../etc', '1', `2.25.${'9'.repeat(60)}`]) {
      expect(Uid.safeParse(uid).success, uid).toBe(false);
    }
  });
});

describe('ManifestSchema', () => {
  const instance = {
    sopInstanceUid: '1.2.3.1',
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    seriesInstanceUid: '1.2.3',
    size: 1000,
  };

  it('accepts a manifest of distinct instances', () => {
    const parsed = ManifestSchema.safeParse({
      studyInstanceUid: '1.2',
      instances: [instance, { ...instance, sopInstanceUid: '1.2.3.2', sha256: 'a'.repeat(64) }],
    });
    expect(parsed.success).toBe(true);
  });

  it('refuses a SOP Instance UID listed twice and an empty manifest', () => {
    expect(ManifestSchema.safeParse({ studyInstanceUid: '1.2', instances: [instance, instance] }).success).toBe(false);
    expect(ManifestSchema.safeParse({ studyInstanceUid: '1.2', instances: [] }).success).toBe(false);
  });
});
