import type BetterSqlite3 from 'better-sqlite3';
import { CamelCasePlugin, Kysely, SqliteDialect } from 'kysely';
import type { DatabaseBackend } from '../dialect.js';
import type { Database } from '../schema.js';

/**
 * Wraps an open better-sqlite3 connection. Turns on foreign keys (off by default in SQLite), WAL
 * (readers do not block the writer) and a busy timeout so concurrent requests wait instead of failing.
 *
 * @example
 * const backend = sqliteBackend(new BetterSqlite3('/srv/courier/courier.sqlite'));
 */
export function sqliteBackend(client: BetterSqlite3.Database): DatabaseBackend {
  client.pragma('foreign_keys = ON');
  client.pragma('journal_mode = WAL');
  client.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: client }),
    plugins: [new CamelCasePlugin()],
  });
  return {
    dialect: 'sqlite',
    db,
    close: () => db.destroy(),
  };
}
