import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKEND, type TestDatabase } from '../../test/test-database.js';
import type { DatabaseBackend } from './dialect.js';
import { migrateToLatest } from './migrate.js';

describe(`migrations on ${TEST_BACKEND}`, () => {
  let database: TestDatabase;
  let backend: DatabaseBackend;
  beforeAll(async () => {
    database = await createTestDatabase();
    backend = database.open();
  });
  afterAll(async () => {
    await backend.close();
    await database.cleanup();
  });

  it('create every table on an empty database and do nothing the second time', async () => {
    const first = await migrateToLatest(backend);
    expect(first.results?.map((r) => [r.migrationName, r.status])).toEqual([
      ['0001-initial', 'Success'],
      ['0002-uploads', 'Success'],
      ['0003-slot-study-summary', 'Success'],
      ['0004-stored-studies-slot-history', 'Success'],
      ['0005-notifications-odm', 'Success'],
      ['0006-upload-commits', 'Success'],
    ]);
    const second = await migrateToLatest(backend);
    expect(second.results).toEqual([]);
    const tables = (await backend.db.introspection.getTables()).map((t) => t.name);
    for (const table of ['studies', 'sites', 'users', 'memberships', 'subjects', 'event_definitions']) {
      expect(tables).toContain(table);
    }
    for (const table of ['slot_definitions', 'scheduled_events', 'slot_values', 'slot_history', 'sessions']) {
      expect(tables).toContain(table);
    }
    expect(tables).toContain('api_tokens');
    expect(tables).toContain('audit_log');
    expect(tables).toContain('upload_sessions');
    expect(tables).toContain('upload_instances');
    expect(tables).toContain('upload_commits');
    expect(tables).toContain('stored_studies');
    expect(tables).toContain('stored_series');
    for (const table of ['notification_settings', 'mail_outbox', 'odm_studies', 'odm_study_events', 'odm_items']) {
      expect(tables).toContain(table);
    }
  });

  it('make the audit log append-only: inserts work, updates and deletes are refused', async () => {
    const db = backend.db;
    const row = await db
      .insertInto('auditLog')
      .values({ at: new Date().toISOString(), action: 'test.append', detailsJson: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(row.id).toBeTypeOf('number');
    await expect(db.updateTable('auditLog').set({ action: 'tampered' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('auditLog').execute()).rejects.toThrow(/append-only/);
    const count = await db
      .selectFrom('auditLog')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('enforce foreign keys (a site of an unknown study is refused)', async () => {
    await expect(
      backend.db
        .insertInto('sites')
        .values({ id: crypto.randomUUID(), studyId: crypto.randomUUID(), code: 'X', name: 'X' })
        .execute(),
    ).rejects.toThrow(/foreign key/i);
  });
});
