import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The SQL dialects the Portal runs on; the same migrations and queries serve both. */
export type DialectName = 'sqlite' | 'postgres';

/**
 * The database seam: a ready Kysely instance over a client the caller created, plus how to close it.
 * One implementation per folder (sqlite/, postgres/), as kysely does for its own dialects.
 *
 * @example
 * const backend = sqliteBackend(new BetterSqlite3(':memory:'));
 * await migrateToLatest(backend);
 * await backend.db.selectFrom('users').selectAll().execute();
 * await backend.close();
 */
export interface DatabaseBackend {
  readonly dialect: DialectName;
  /** Queries in camelCase; columns are snake_case. */
  readonly db: Kysely<Database>;
  /** Closes the client handed in. */
  close(): Promise<void>;
}

/**
 * Converts a COUNT(*) result, which PostgreSQL returns as a bigint string and SQLite as a number.
 *
 * @example
 * const total = countValue((await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
 */
export function countValue(value: string | number | bigint): number {
  return Number(value);
}
