import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
type AnyDb = Kysely<any>;

/**
 * Migration 0005: mail notifications and the CDISC ODM mapping.
 *
 * - `users.email`: where a user's own notifications go (null: none).
 * - `notification_settings`: one row per study (absent = off, the default).
 * - `mail_outbox`: one row per mail and recipient, written in the transaction of the change it
 *   reports; `dedupe_key` is unique so the same event is never queued twice (two Portals scanning
 *   for failed uploads at once); `lease_owner`/`lease_until` let one sender claim a row with a
 *   conditional UPDATE.
 * - `odm_studies`, `odm_study_events`, `odm_items`: the ODM OIDs an import mapped to Courier's
 *   event and slot definitions, so a re-import updates instead of duplicating and an export writes
 *   the OIDs the EDC knows (ODM 1.3.2 §3.1 StudyOID, §3.1.1.3 StudyEventOID, ItemOID…).
 *
 * @example
 * const migrations = { '0005-notifications-odm': notificationsOdmMigration() };
 */
export function notificationsOdmMigration(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.alterTable('users').addColumn('email', 'text').execute();

      await db.schema
        .createTable('notification_settings')
        .addColumn('study_id', 'text', (c) => c.primaryKey().references('studies.id'))
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('recipients_json', 'text', (c) => c.notNull())
        .addColumn('events_json', 'text', (c) => c.notNull())
        .addColumn('notify_uploader', 'integer', (c) => c.notNull())
        .addColumn('enabled_since', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();

      await db.schema
        .createTable('mail_outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('study_id', 'text', (c) => c.notNull().references('studies.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('upload_id', 'text')
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('text_body', 'text', (c) => c.notNull())
        .addColumn('html_body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .execute();
      await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('mail_outbox_study').on('mail_outbox').columns(['study_id', 'created_at']).execute();
      await db.schema.createIndex('mail_outbox_upload').on('mail_outbox').columns(['upload_id', 'kind']).execute();

      await db.schema
        .createTable('odm_studies')
        .addColumn('study_id', 'text', (c) => c.primaryKey().references('studies.id'))
        .addColumn('study_oid', 'text', (c) => c.notNull())
        .addColumn('metadata_version_oid', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('odm_study_events')
        .addColumn('event_definition_id', 'text', (c) => c.primaryKey().references('event_definitions.id'))
        .addColumn('study_id', 'text', (c) => c.notNull().references('studies.id'))
        .addColumn('study_event_oid', 'text', (c) => c.notNull())
        .addUniqueConstraint('odm_study_events_oid', ['study_id', 'study_event_oid'])
        .execute();

      await db.schema
        .createTable('odm_items')
        .addColumn('slot_definition_id', 'text', (c) => c.primaryKey().references('slot_definitions.id'))
        .addColumn('event_definition_id', 'text', (c) => c.notNull().references('event_definitions.id'))
        .addColumn('form_oid', 'text', (c) => c.notNull())
        .addColumn('item_group_oid', 'text', (c) => c.notNull())
        .addColumn('item_oid', 'text', (c) => c.notNull())
        .addUniqueConstraint('odm_items_oid', ['event_definition_id', 'item_oid'])
        .execute();
    },
  };
}
