import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { ServerConfig } from '../config.js';
import type { Clock } from '../context.js';
import type { Database } from '../database/schema.js';
import { enqueueFailedUploads } from './enqueue.js';
import { DEFAULT_SENDER_POLICY, deliverDueMail, type SenderPolicy } from './mail-sender.js';
import { type MailTransport, smtpTransport } from './mail-transport.js';

/** The running sender of one Portal. */
export interface MailSender {
  /** The id this Portal claims outbox rows with. */
  readonly owner: string;
  /** One pass now: queue mails of failed uploads, deliver what is due (skipped while a pass runs). */
  runOnce(): Promise<void>;
  /** Stops the timer, waits for a running pass and closes the transport. */
  stop(): Promise<void>;
}

/**
 * Starts the background sender: every `config.mailIntervalMs` it queues the mails of uploads that
 * failed for good and delivers the due outbox rows over SMTP. The timer is unref'd like
 * housekeeping's, so it never keeps the process alive; passes never overlap. Without
 * `config.smtpUrl` mails are still queued and stay pending (admins see them) until one is set.
 * Any number of Portals may run one over the same database (see deliverDueMail's claim).
 *
 * @example
 * const sender = startMailSender(db, config, () => new Date(), app.log);
 * app.addHook('onClose', () => sender.stop());
 */
export function startMailSender(
  db: Kysely<Database>,
  config: ServerConfig,
  clock: Clock,
  log: FastifyBaseLogger,
  options: { transport?: MailTransport; policy?: SenderPolicy } = {},
): MailSender {
  const owner = randomUUID();
  const transport = options.transport ?? (config.smtpUrl === undefined ? undefined : smtpTransport(config.smtpUrl));
  let running: Promise<void> | null = null;
  const pass = async () => {
    await enqueueFailedUploads(db, config, clock());
    if (transport === undefined) return;
    const result = await deliverDueMail(db, transport, clock(), {
      from: config.mailFrom,
      owner,
      clock,
      policy: options.policy ?? DEFAULT_SENDER_POLICY,
    });
    if (result.retrying + result.failed > 0) log.warn(result, 'mail delivery failed; see the outbox');
  };
  const runOnce = (): Promise<void> => {
    if (running !== null) return running;
    running = pass()
      .catch((error: unknown) => log.error({ err: error }, 'mail sender pass failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void runOnce(), config.mailIntervalMs);
  timer.unref();
  return {
    owner,
    runOnce,
    async stop() {
      clearInterval(timer);
      if (running !== null) await running;
      transport?.close();
    },
  };
}
