import { type Migration, type MigrationResultSet, Migrator } from 'kysely';
import type { DatabaseBackend, DialectName } from './dialect.js';
import { initialMigration } from './migrations/0001-initial.js';
import { uploadsMigration } from './migrations/0002-uploads.js';
import { slotStudySummaryMigration } from './migrations/0003-slot-study-summary.js';
import { storedStudiesMigration } from './migrations/0004-stored-studies-slot-history.js';
import { notificationsOdmMigration } from './migrations/0005-notifications-odm.js';
import { uploadCommitsMigration } from './migrations/0006-upload-commits.js';

/** The migrations in order; names sort by their number and are never renamed. */
function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-uploads': uploadsMigration(),
    '0003-slot-study-summary': slotStudySummaryMigration(),
    '0004-stored-studies-slot-history': storedStudiesMigration(),
    '0005-notifications-odm': notificationsOdmMigration(),
    '0006-upload-commits': uploadCommitsMigration(),
  };
}

/**
 * Brings the schema to the latest migration (each migration runs in a transaction on PostgreSQL;
 * kysely's migration lock keeps two starting Portals from racing). Throws on the first failure.
 *
 * @example
 * await migrateToLatest(backend);
 */
export async function migrateToLatest(backend: DatabaseBackend): Promise<MigrationResultSet> {
  const list = migrations(backend.dialect);
  const migrator = new Migrator({
    db: backend.db.withoutPlugins(),
    provider: { getMigrations: async () => list },
  });
  const result = await migrator.migrateToLatest();
  if (result.error !== undefined) {
    throw new Error(`database migration failed: ${String(result.error)}`, { cause: result.error });
  }
  return result;
}
