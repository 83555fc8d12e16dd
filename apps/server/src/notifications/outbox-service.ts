import type { OutboxMail, OutboxQuery, Page } from '@courier/api';
import type { Kysely } from 'kysely';
import { countValue } from '../database/dialect.js';
import type { Database, MailOutboxTable } from '../database/schema.js';

/** @example const mail: OutboxMail = toOutboxMail(row); */
export function toOutboxMail(row: MailOutboxTable): OutboxMail {
  return {
    id: row.id,
    kind: row.kind,
    recipient: row.recipient,
    subject: row.subject,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  };
}

/**
 * A page of a study's outbox, newest first.
 *
 * @example
 * const page = await listOutbox(db, studyId, { status: 'failed', offset: 0, limit: 50 });
 */
export async function listOutbox(db: Kysely<Database>, studyId: string, query: OutboxQuery): Promise<Page<OutboxMail>> {
  let base = db.selectFrom('mailOutbox').where('studyId', '=', studyId);
  if (query.status !== undefined) base = base.where('status', '=', query.status);
  const total = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('createdAt', 'desc')
    .orderBy('id')
    .offset(query.offset)
    .limit(query.limit)
    .execute();
  return { items: rows.map(toOutboxMail), total: countValue(total.n), offset: query.offset, limit: query.limit };
}
