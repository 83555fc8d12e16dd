import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseBackend } from './dialect.js';
import { postgresBackend } from './postgres/postgres-backend.js';
import { sqliteBackend } from './sqlite/sqlite-backend.js';

/** Where the database lives: a PostgreSQL URL, or a SQLite file in the data folder. */
export interface DatabaseLocation {
  databaseUrl: string | undefined;
  dataDir: string;
}

/** PostgreSQL int8 (type OID 20: COUNT, bigserial) as a JavaScript number, for this pool only. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Creates the client the configuration asks for and wraps it: `postgres://` or `postgresql://`
 * URLs open a pg Pool; otherwise `<dataDir>/courier.sqlite` is opened (created if new).
 *
 * @example
 * const backend = openDatabase({ databaseUrl: undefined, dataDir: './data' });
 */
export function openDatabase(location: DatabaseLocation, options: { searchPath?: string } = {}): DatabaseBackend {
  if (location.databaseUrl !== undefined && /^postgres(ql)?:\/\//.test(location.databaseUrl)) {
    const pool = new pg.Pool({
      connectionString: location.databaseUrl,
      types,
      ...(options.searchPath === undefined ? {} : { options: `-c search_path=${options.searchPath}` }),
    });
    return postgresBackend(pool);
  }
  if (location.databaseUrl !== undefined) {
    throw new RangeError(`DATABASE_URL must start with postgres:// (or be unset for SQLite)`);
  }
  mkdirSync(location.dataDir, { recursive: true });
  return sqliteBackend(new BetterSqlite3(join(location.dataDir, 'courier.sqlite')));
}
