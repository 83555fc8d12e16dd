import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEID_ENGINE_VERSION } from './version.js';

describe('engine version', () => {
  it('equals the package version written into De-identification Method', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(DEID_ENGINE_VERSION).toBe(pkg.version);
  });
});
