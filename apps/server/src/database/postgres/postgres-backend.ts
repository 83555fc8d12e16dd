import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { DatabaseBackend } from '../dialect.js';
import type { Database } from '../schema.js';

/**
 * Wraps a ready pg Pool (the caller chooses connection string, pool size and search_path).
 *
 * @example
 * const backend = postgresBackend(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 */
export function postgresBackend(pool: pg.Pool): DatabaseBackend {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  return {
    dialect: 'postgres',
    db,
    close: () => db.destroy(),
  };
}
