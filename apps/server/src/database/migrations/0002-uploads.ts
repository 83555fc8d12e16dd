import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
type AnyDb = Kysely<any>;

/**
 * Migration 0002: upload sessions and their manifest instances. Sizes are `bigint` because a
 * single instance (an enhanced multi-frame object) can exceed 2 GiB.
 *
 * @example
 * const migrations = { '0002-uploads': uploadsMigration() };
 */
export function uploadsMigration(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('upload_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('study_id', 'text', (c) => c.notNull().references('studies.id'))
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
        .addColumn('scheduled_event_id', 'text', (c) => c.notNull().references('scheduled_events.id'))
        .addColumn('slot_definition_id', 'text', (c) => c.notNull().references('slot_definitions.id'))
        .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('study_instance_uid', 'text')
        .execute();
      await db.schema
        .createIndex('upload_sessions_status')
        .on('upload_sessions')
        .columns(['status', 'expires_at'])
        .execute();

      await db.schema
        .createTable('upload_instances')
        .addColumn('upload_id', 'text', (c) => c.notNull().references('upload_sessions.id'))
        .addColumn('sop_instance_uid', 'text', (c) => c.notNull())
        .addColumn('sop_class_uid', 'text', (c) => c.notNull())
        .addColumn('series_instance_uid', 'text', (c) => c.notNull())
        .addColumn('modality', 'text')
        .addColumn('expected_size', 'bigint', (c) => c.notNull())
        .addColumn('expected_sha256', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('stored_size', 'bigint')
        .addColumn('stored_sha256', 'text')
        .addColumn('received_at', 'text')
        .addPrimaryKeyConstraint('upload_instances_pk', ['upload_id', 'sop_instance_uid'])
        .execute();
    },
  };
}
