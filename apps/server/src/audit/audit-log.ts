import type { Kysely } from 'kysely';
import type { Actor } from '../context.js';
import type { Database } from '../database/schema.js';

/** One audit record to append. */
export interface AuditRecord {
  action: string;
  studyId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends to the audit log (the table refuses updates and deletes). Pass the transaction of the
 * change being recorded so the record and the change commit or fail together.
 *
 * @example
 * await appendAudit(trx, now, actor, { action: 'subject.enrolled', studyId, targetType: 'subject', targetId: id });
 */
export async function appendAudit(db: Kysely<Database>, at: Date, actor: Actor, record: AuditRecord): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      at: at.toISOString(),
      userId: actor.userId,
      username: actor.username,
      ip: actor.ip,
      action: record.action,
      studyId: record.studyId ?? null,
      targetType: record.targetType ?? null,
      targetId: record.targetId ?? null,
      detailsJson: JSON.stringify(record.details ?? {}),
    })
    .execute();
}
