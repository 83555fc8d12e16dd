import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseBackend } from '../src/database/dialect.js';
import { openDatabase } from '../src/database/open-database.js';

/**
 * Where a test's database lives. With DATABASE_URL=postgres://… set, every call makes a fresh
 * schema in that database (dropped by `cleanup`); otherwise a SQLite file in a new temp folder.
 */
export interface TestDatabase {
  /** Which backend the suite runs on, for suite names. */
  readonly name: 'sqlite' | 'postgres';
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** search_path for PostgreSQL (the fresh schema). */
  readonly searchPath: string | undefined;
  /** Opens a backend on this database (call as often as needed; each must be closed). */
  open(): DatabaseBackend;
  /** Drops the schema / deletes the folder. */
  cleanup(): Promise<void>;
}

/** The backend the test run uses: PostgreSQL when DATABASE_URL is set, else SQLite. */
export const TEST_BACKEND: 'sqlite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

/**
 * Creates an empty database for one test file.
 *
 * @example
 * const database = await createTestDatabase();
 * const backend = database.open();
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'courier-server-test-'));
  const databaseUrl = process.env.DATABASE_URL || undefined;
  let searchPath: string | undefined;
  if (databaseUrl !== undefined) {
    searchPath = `courier_test_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`CREATE SCHEMA ${searchPath}`);
    await client.end();
  }
  return {
    name: databaseUrl === undefined ? 'sqlite' : 'postgres',
    dataDir,
    databaseUrl,
    searchPath,
    open: () => openDatabase({ databaseUrl, dataDir }, searchPath === undefined ? {} : { searchPath }),
    async cleanup() {
      if (databaseUrl !== undefined && searchPath !== undefined) {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA ${searchPath} CASCADE`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
