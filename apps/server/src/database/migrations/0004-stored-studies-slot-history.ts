import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
type AnyDb = Kysely<any>;

/**
 * Migration 0004 (slot management, issue 11):
 *
 * - `stored_studies` / `stored_series`: the catalogue of DICOM studies in the store per subject,
 *   written at commit from the headers of the stored instances, so "Assign Existing" can list what
 *   earlier uploads brought without asking the store. Keyed by subject and Study Instance UID.
 * - `slot_history.action` and `.reason`: how a value left its slot (`replaced` by an upload or an
 *   assignment, or `cleared`) and why (required for a clear). Earlier rows were all replacements.
 *
 * @example
 * const migrations = { '0004-stored-studies-slot-history': storedStudiesMigration() };
 */
export function storedStudiesMigration(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('stored_studies')
        .addColumn('study_id', 'text', (c) => c.notNull().references('studies.id'))
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
        .addColumn('study_instance_uid', 'text', (c) => c.notNull())
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('study_date', 'text')
        .addColumn('study_time', 'text')
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('modalities_json', 'text', (c) => c.notNull())
        .addColumn('series_count', 'integer', (c) => c.notNull())
        .addColumn('instance_count', 'integer', (c) => c.notNull())
        .addColumn('first_upload_id', 'text')
        .addColumn('last_upload_id', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('stored_studies_pk', ['subject_id', 'study_instance_uid'])
        .execute();
      await db.schema
        .createTable('stored_series')
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
        .addColumn('study_instance_uid', 'text', (c) => c.notNull())
        .addColumn('series_instance_uid', 'text', (c) => c.notNull())
        .addColumn('series_number', 'integer')
        .addColumn('modality', 'text')
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('instance_count', 'integer', (c) => c.notNull())
        .addColumn('series_date', 'text')
        .addColumn('series_time', 'text')
        .addColumn('upload_id', 'text')
        .addPrimaryKeyConstraint('stored_series_pk', ['subject_id', 'study_instance_uid', 'series_instance_uid'])
        .execute();
      await db.schema
        .alterTable('slot_history')
        .addColumn('action', 'text', (c) => c.notNull().defaultTo('replaced'))
        .execute();
      await db.schema.alterTable('slot_history').addColumn('reason', 'text').execute();
    },
  };
}
