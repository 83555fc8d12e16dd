import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, MailOutboxTable } from '../database/schema.js';
import type { MailTransport } from './mail-transport.js';

/** How the sender retries. */
export interface SenderPolicy {
  /** Delay after the first failed attempt; doubled after each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** After this many attempts a mail is marked failed and left for an admin to see. */
  maxAttempts: number;
  /** How long a claimed mail is reserved for the sender that claimed it. */
  leaseMs: number;
  /** Mails claimed per pass. */
  batchSize: number;
}

/** 30 s, 1, 2, 4 … minutes up to an hour between attempts; 12 attempts ≈ 5 hours before giving up. */
export const DEFAULT_SENDER_POLICY: SenderPolicy = {
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  maxAttempts: 12,
  leaseMs: 5 * 60_000,
  batchSize: 20,
};

/**
 * Exponential backoff: the delay before attempt `attempts + 1` after `attempts` failures.
 *
 * @example
 * retryDelay(1, DEFAULT_SENDER_POLICY); // 30_000
 * retryDelay(3, DEFAULT_SENDER_POLICY); // 120_000
 */
export function retryDelay(attempts: number, policy: SenderPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

/** What one pass did. */
export interface DeliveryResult {
  sent: number;
  retrying: number;
  failed: number;
}

/** An SMTP reply in 5xx is a permanent refusal (RFC 5321 4.2.1): retrying would not help. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' ? `${code}: ${message}` : message).slice(0, 500);
}

/**
 * Claims one due mail for this sender with a conditional UPDATE: the row changes only if it is
 * still pending and due, or its previous claim's lease ran out (a sender that died mid-send).
 * Two Portals racing for a row: on PostgreSQL the second UPDATE waits for the first's row lock
 * and re-checks the condition, on SQLite writes are serialised; either way one sees 0 rows.
 */
async function claim(db: Kysely<Database>, id: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .updateTable('mailOutbox')
    .set((eb) => ({
      status: 'sending',
      leaseOwner: owner,
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('nextAttemptAt', '<=', at)]),
        eb.and([eb('status', '=', 'sending'), eb('leaseUntil', '<=', at)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * One pass of the sender: claims the due mails (oldest first) and delivers each through the
 * transport. Sent → `sent`; a failure → `pending` again after {@link retryDelay}, with the error
 * kept in `last_error`; a permanent SMTP refusal or the last allowed attempt → `failed`. Only
 * the claiming sender may settle a row (its lease owner id), so a slow sender whose lease ran out
 * and was taken over cannot overwrite the newer outcome.
 *
 * Delivery is at least once: a Portal that dies after the server accepted a mail and before the
 * row is marked sent delivers it again after the lease; the Message-ID (the row id) is the same.
 *
 * @example
 * const { sent } = await deliverDueMail(db, transport, new Date(), { from: config.mailFrom });
 */
export async function deliverDueMail(
  db: Kysely<Database>,
  transport: MailTransport,
  now: Date,
  options: { from: string; owner?: string; policy?: SenderPolicy; clock?: () => Date },
): Promise<DeliveryResult> {
  const policy = options.policy ?? DEFAULT_SENDER_POLICY;
  const owner = options.owner ?? randomUUID();
  const clock = options.clock ?? (() => now);
  const at = now.toISOString();
  const due = await db
    .selectFrom('mailOutbox')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('nextAttemptAt', '<=', at)]),
        eb.and([eb('status', '=', 'sending'), eb('leaseUntil', '<=', at)]),
      ]),
    )
    .orderBy('nextAttemptAt')
    .orderBy('createdAt')
    .limit(policy.batchSize)
    .execute();
  const result: DeliveryResult = { sent: 0, retrying: 0, failed: 0 };
  for (const { id } of due) {
    if (!(await claim(db, id, owner, now, policy.leaseMs))) continue;
    const row = (await db
      .selectFrom('mailOutbox')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()) as MailOutboxTable;
    const settle = db.updateTable('mailOutbox').where('id', '=', id).where('leaseOwner', '=', owner);
    try {
      await transport.send({
        from: options.from,
        to: row.recipient,
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody,
        messageId: `<${row.id}@courier>`,
      });
      await settle
        .set({ status: 'sent', sentAt: clock().toISOString(), leaseOwner: null, leaseUntil: null, lastError: null })
        .execute();
      result.sent++;
    } catch (error) {
      const giveUp = isPermanent(error) || row.attempts >= policy.maxAttempts;
      const failedAt = clock();
      await settle
        .set({
          status: giveUp ? 'failed' : 'pending',
          nextAttemptAt: new Date(failedAt.getTime() + retryDelay(row.attempts, policy)).toISOString(),
          leaseOwner: null,
          leaseUntil: null,
          lastError: describe(error),
        })
        .execute();
      if (giveUp) result.failed++;
      else result.retrying++;
    }
  }
  return result;
}
