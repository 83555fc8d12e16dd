import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';

describe('openDatabase', () => {
  it('opens a SQLite file in the data folder when DATABASE_URL is unset, creating the folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'courier-open-'));
    try {
      const dataDir = join(root, 'nested', 'data');
      const backend = openDatabase({ databaseUrl: undefined, dataDir });
      expect(backend.dialect).toBe('sqlite');
      await backend.close();
      expect(existsSync(join(dataDir, 'courier.sqlite'))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('selects PostgreSQL for a postgres:// URL without connecting yet', async () => {
    const backend = openDatabase({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', dataDir: '/nonexistent' });
    expect(backend.dialect).toBe('postgres');
    await backend.close();
  });

  it('refuses any other URL instead of silently using SQLite', () => {
    expect(() => openDatabase({ databaseUrl: 'mysql://x', dataDir: '/tmp' })).toThrow(/postgres/);
  });
});
