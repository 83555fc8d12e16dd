import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
type AnyDb = Kysely<any>;

/**
 * Migration 0003: what a slot value shows of its study (recorded at commit from the stored
 * instances): study date, modalities, series and instance counts. Values assigned before have
 * none (null date, empty modalities, zero counts).
 *
 * @example
 * const migrations = { '0003-slot-study-summary': slotStudySummaryMigration() };
 */
export function slotStudySummaryMigration(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.alterTable('slot_values').addColumn('study_date', 'text').execute();
      await db.schema
        .alterTable('slot_values')
        .addColumn('modalities_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema
        .alterTable('slot_values')
        .addColumn('series_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('slot_values')
        .addColumn('instance_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  };
}
