import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configPath, portalKey, readConfig, writeConfig } from './config-file.js';

describe('the CLI config file', () => {
  it('is written readable by its owner only, even over an existing looser file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'courier-config-'));
    try {
      const path = join(dir, 'sub', 'config.json');
      await writeConfig(path, { tokens: {} });
      await writeFile(path, '{}', { mode: 0o644 });
      await writeConfig(path, { portal: 'http://p', tokens: { 'http://p': 'courier_pat_x' } });
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await readConfig(path)).toEqual({ portal: 'http://p', tokens: { 'http://p': 'courier_pat_x' } });
      expect(await readConfig(join(dir, 'absent.json'))).toEqual({ tokens: {} });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lives where COURIER_CONFIG or XDG_CONFIG_HOME says', () => {
    expect(configPath({ COURIER_CONFIG: '/x/c.json' })).toBe('/x/c.json');
    expect(configPath({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/courier/config.json');
  });

  it('keys tokens by the Portal origin', () => {
    expect(portalKey('https://Portal.example.org/')).toBe('https://portal.example.org');
    expect(portalKey('http://127.0.0.1:8080/api')).toBe('http://127.0.0.1:8080');
  });
});
