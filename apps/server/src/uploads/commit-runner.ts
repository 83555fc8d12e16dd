import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { ServerConfig } from '../config.js';
import type { Clock } from '../context.js';
import type { Database } from '../database/schema.js';
import type { DicomStore } from '../storage/dicom-store.js';
import { CommitLease, claimCommit } from './commit-lease.js';
import { ACTIVE_COMMIT_STATES } from './commit-request.js';
import { executeCommit } from './upload-commit.js';

/** Commits one Portal instance runs at once (each is mostly waiting for disk or the PACS). */
const RUNNER_CONCURRENCY = 2;

/** The running commit runner of one Portal instance. */
export interface CommitRunner {
  /** The id this instance claims commit jobs with (`lease_owner`). */
  readonly owner: string;
  /**
   * Claims the due jobs up to the runner's capacity and resolves when the ones claimed by this
   * call are finished (tests await it; the timer and `kick` do not).
   */
  runOnce(): Promise<void>;
  /** Looks for work now, without waiting (after a commit request). */
  kick(): void;
  /**
   * Stops the timer and the commits in progress. `release` (the default, a graceful shutdown) hands
   * their jobs back at once so another instance continues; without it the leases run out as if the
   * process had died.
   */
  stop(options?: { release?: boolean }): Promise<void>;
}

/**
 * Starts the commit runner of a Portal instance: every `config.commitIntervalMs` (and when a
 * commit request arrives here) it claims queued commit jobs, and jobs whose lease ran out because
 * the instance that held them died, and runs them (upload-commit.ts `executeCommit`) under a lease
 * of `config.commitLeaseMs`, renewed every third of it. Any number of Portal instances run one
 * over the same database: a job is claimed by exactly one (see `claimCommit`). The timer is
 * unref'd like the mail sender's.
 *
 * @example
 * const runner = startCommitRunner(db, config, store, () => new Date(), app.log);
 * app.addHook('onClose', () => runner.stop());
 */
export function startCommitRunner(
  db: Kysely<Database>,
  config: ServerConfig,
  store: DicomStore,
  clock: Clock,
  log: FastifyBaseLogger,
): CommitRunner {
  const owner = randomUUID();
  const running = new Map<string, { lease?: CommitLease; done?: Promise<void> }>();
  let stopped = false;

  const runJob = async (uploadId: string, entry: { lease?: CommitLease }): Promise<void> => {
    const job = await claimCommit(db, uploadId, owner, clock(), config.commitLeaseMs);
    if (job === undefined) return;
    const lease = new CommitLease(db, clock, uploadId, owner, config.commitLeaseMs);
    entry.lease = lease;
    if (stopped) return;
    lease.start();
    log.info({ uploadId, attempt: job.attempts, state: job.state }, 'upload commit claimed');
    try {
      await executeCommit(db, config, store, clock, job, lease);
    } finally {
      lease.stop();
    }
  };

  const runOnce = async (): Promise<void> => {
    if (stopped) return;
    const free = RUNNER_CONCURRENCY - running.size;
    if (free <= 0) return;
    const at = clock().toISOString();
    const due = await db
      .selectFrom('uploadCommits')
      .select('uploadId')
      .where((eb) =>
        eb.or([
          eb('state', '=', 'queued'),
          eb.and([eb('state', 'in', ACTIVE_COMMIT_STATES), eb('leaseUntil', '<=', at)]),
        ]),
      )
      .orderBy('requestedAt')
      .limit(free)
      .execute();
    const started: Promise<void>[] = [];
    for (const { uploadId } of due) {
      if (stopped || running.has(uploadId) || running.size >= RUNNER_CONCURRENCY) continue;
      const entry: { lease?: CommitLease; done?: Promise<void> } = {};
      running.set(uploadId, entry);
      entry.done = runJob(uploadId, entry)
        .catch((error: unknown) => log.error({ err: error, uploadId }, 'upload commit failed unexpectedly'))
        .finally(() => running.delete(uploadId));
      started.push(entry.done);
    }
    await Promise.all(started);
  };

  const guarded = (): Promise<void> =>
    runOnce().catch((error: unknown) => log.error({ err: error }, 'commit runner pass failed'));
  const timer = setInterval(() => void guarded(), config.commitIntervalMs);
  timer.unref();

  return {
    owner,
    runOnce: guarded,
    kick: () => void guarded(),
    async stop(options = {}) {
      stopped = true;
      clearInterval(timer);
      const release = options.release ?? true;
      const jobs = [...running.values()];
      // The commits in progress write nothing more: each check and write after this throws.
      for (const job of jobs) job.lease?.stop(true);
      if (release && jobs.length > 0) {
        // Hand the jobs back: due for any instance now. Our later writes fail (owner cleared).
        await db
          .updateTable('uploadCommits')
          .set({ leaseOwner: null, leaseUntil: clock().toISOString() })
          .where('leaseOwner', '=', owner)
          .where('state', 'in', ACTIVE_COMMIT_STATES)
          .execute()
          .catch((error: unknown) => log.warn({ err: error }, 'could not release upload commits'));
      }
      // A commit stuck in the store (a hung PACS) is not waited for longer than a moment.
      await Promise.race([
        Promise.allSettled(jobs.map((job) => job.done)),
        new Promise((resolve) => setTimeout(resolve, 1000).unref()),
      ]);
    },
  };
}
