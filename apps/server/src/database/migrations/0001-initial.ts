import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

// The first schema: studies, sites, users and roles, subjects, events and slots, sessions, API
// tokens and the audit log. Only portable column types (text, integer) are used, so one migration
// serves SQLite and PostgreSQL; the two differences (auto-increment ids and the triggers that
// make the audit log append-only) are chosen by dialect.

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
type AnyDb = Kysely<any>;

function withSerialId<T extends string>(table: CreateTableBuilder<T>, dialect: DialectName): CreateTableBuilder<T> {
  return dialect === 'sqlite'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'bigserial', (c) => c.primaryKey());
}

async function appendOnly(db: AnyDb, dialect: DialectName, table: string): Promise<void> {
  if (dialect === 'sqlite') {
    for (const operation of ['UPDATE', 'DELETE']) {
      await sql
        .raw(
          `CREATE TRIGGER ${table}_no_${operation.toLowerCase()} BEFORE ${operation} ON ${table} ` +
            `BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
        )
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `CREATE FUNCTION ${table}_append_only() RETURNS trigger LANGUAGE plpgsql AS ` +
        `$$ BEGIN RAISE EXCEPTION '${table} is append-only'; END $$`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} ` +
        `FOR EACH ROW EXECUTE FUNCTION ${table}_append_only()`,
    )
    .execute(db);
}

/**
 * Migration 0001 for one dialect.
 *
 * @example
 * const migrations = { '0001-initial': initialMigration('sqlite') };
 */
export function initialMigration(dialect: DialectName): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('studies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('identifier', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sponsor', 'text', (c) => c.notNull())
        .addColumn('protocol_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('deid_json', 'text', (c) => c.notNull())
        .addColumn('date_handling', 'text', (c) => c.notNull())
        .addColumn('uid_secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sites')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('study_id', 'text', (c) => c.notNull().references('studies.id'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addUniqueConstraint('sites_study_code', ['study_id', 'code'])
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('system_admin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('memberships')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('study_id', 'text', (c) => c.notNull().references('studies.id'))
        .addColumn('site_id', 'text', (c) => c.references('sites.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('memberships_user').on('memberships').columns(['user_id', 'study_id']).execute();

      await db.schema
        .createTable('subjects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('study_id', 'text', (c) => c.notNull().references('studies.id'))
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('pseudonym', 'text', (c) => c.notNull())
        .addColumn('sex', 'text', (c) => c.notNull())
        .addColumn('birth_date', 'text')
        .addColumn('birth_year', 'integer', (c) => c.notNull())
        .addColumn('enrolment_date', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('date_offset_days', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('subjects_study_label', ['study_id', 'label'])
        .addUniqueConstraint('subjects_study_pseudonym', ['study_id', 'pseudonym'])
        .execute();
      await db.schema.createIndex('subjects_site').on('subjects').columns(['study_id', 'site_id', 'label']).execute();

      await db.schema
        .createTable('event_definitions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('study_id', 'text', (c) => c.notNull().references('studies.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('repeating', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addUniqueConstraint('event_definitions_study_name', ['study_id', 'name'])
        .execute();

      await db.schema
        .createTable('slot_definitions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_definition_id', 'text', (c) => c.notNull().references('event_definitions.id'))
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('modalities_json', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addUniqueConstraint('slot_definitions_event_label', ['event_definition_id', 'label'])
        .execute();

      await db.schema
        .createTable('scheduled_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
        .addColumn('event_definition_id', 'text', (c) => c.notNull().references('event_definitions.id'))
        .addColumn('occurrence', 'integer', (c) => c.notNull())
        .addColumn('date', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('scheduled_events_occurrence', ['subject_id', 'event_definition_id', 'occurrence'])
        .execute();

      await db.schema
        .createTable('slot_values')
        .addColumn('scheduled_event_id', 'text', (c) => c.notNull().references('scheduled_events.id'))
        .addColumn('slot_definition_id', 'text', (c) => c.notNull().references('slot_definitions.id'))
        .addColumn('study_instance_uid', 'text', (c) => c.notNull())
        .addColumn('assigned_at', 'text', (c) => c.notNull())
        .addColumn('assigned_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('upload_id', 'text')
        .addPrimaryKeyConstraint('slot_values_pk', ['scheduled_event_id', 'slot_definition_id'])
        .execute();

      await withSerialId(db.schema.createTable('slot_history'), dialect)
        .addColumn('scheduled_event_id', 'text', (c) => c.notNull().references('scheduled_events.id'))
        .addColumn('slot_definition_id', 'text', (c) => c.notNull().references('slot_definitions.id'))
        .addColumn('study_instance_uid', 'text', (c) => c.notNull())
        .addColumn('assigned_at', 'text', (c) => c.notNull())
        .addColumn('assigned_by', 'text', (c) => c.notNull())
        .addColumn('upload_id', 'text')
        .addColumn('replaced_at', 'text', (c) => c.notNull())
        .addColumn('replaced_by', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('active_study_id', 'text', (c) => c.references('studies.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .execute();
      await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();

      await withSerialId(db.schema.createTable('audit_log'), dialect)
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('username', 'text')
        .addColumn('ip', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('study_id', 'text')
        .addColumn('target_type', 'text')
        .addColumn('target_id', 'text')
        .addColumn('details_json', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_action_at').on('audit_log').columns(['action', 'at']).execute();
      await db.schema.createIndex('audit_log_study').on('audit_log').columns(['study_id', 'id']).execute();
      await appendOnly(db, dialect, 'audit_log');
    },
  };
}
