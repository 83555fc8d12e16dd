import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
type AnyDb = Kysely<any>;

/**
 * Migration 0006: asynchronous, leased upload commits.
 *
 * `upload_commits` holds one commit job per upload session (the primary key is the session, so a
 * repeated commit request finds the job instead of starting a second one). A Portal instance's
 * commit runner claims a due job with a conditional UPDATE of `lease_owner`/`lease_until` (the
 * pattern of `mail_outbox`, migration 0005) and renews the lease while it stores, verifies and
 * assigns; when a Portal dies mid-commit the lease runs out and another instance claims the job.
 * `stored`/`total` are the progress the client polls; `error_json` is the ApiError of a failed job;
 * `actor_json` is who asked (user, name, address), for the audit records the runner writes later.
 *
 * @example
 * const migrations = { '0006-upload-commits': uploadCommitsMigration() };
 */
export function uploadCommitsMigration(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('upload_commits')
        .addColumn('upload_id', 'text', (c) => c.primaryKey().references('upload_sessions.id'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('overwrite', 'integer', (c) => c.notNull())
        .addColumn('actor_json', 'text', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('stored', 'integer', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('error_json', 'text')
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema
        .createIndex('upload_commits_due')
        .on('upload_commits')
        .columns(['state', 'lease_until'])
        .execute();
    },
  };
}
