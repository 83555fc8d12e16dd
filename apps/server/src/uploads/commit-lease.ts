import type { Kysely } from 'kysely';
import type { Clock } from '../context.js';
import type { Database, UploadCommitTable } from '../database/schema.js';
import { ACTIVE_COMMIT_STATES } from './commit-request.js';

/** Thrown inside a commit when its job is no longer this runner's: nothing more may be written. */
export class CommitLeaseLost extends Error {
  override readonly name = 'CommitLeaseLost';
}

/**
 * Claims a commit job for `owner` with a conditional UPDATE: the row changes only if it is queued,
 * or a claim's lease ran out (the Portal instance holding it died or stopped) — the pattern of the
 * mail outbox (mail-sender.ts). Two Portals racing for a row: on PostgreSQL the second UPDATE
 * waits for the first's row lock and re-checks the condition, on SQLite writes are serialised;
 * either way one sees 0 rows. The claimed job is `storing` (a taken-over one starts again from the
 * store, which is idempotent). Returns the claimed row, or undefined.
 *
 * @example
 * const job = await claimCommit(db, uploadId, owner, clock(), config.commitLeaseMs);
 */
export async function claimCommit(
  db: Kysely<Database>,
  uploadId: string,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<UploadCommitTable | undefined> {
  const at = now.toISOString();
  const result = await db
    .updateTable('uploadCommits')
    .set((eb) => ({
      // A claimed job is being stored (again, after a takeover: storing is redone from the start),
      // and no longer `queued`, which any runner may claim.
      state: 'storing' as const,
      stored: 0,
      leaseOwner: owner,
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
      attempts: eb('attempts', '+', 1),
      updatedAt: at,
    }))
    .where('uploadId', '=', uploadId)
    .where((eb) =>
      eb.or([
        eb('state', '=', 'queued'),
        eb.and([eb('state', 'in', ACTIVE_COMMIT_STATES), eb('leaseUntil', '<=', at)]),
      ]),
    )
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  const job = await db.selectFrom('uploadCommits').selectAll().where('uploadId', '=', uploadId).executeTakeFirst();
  return job?.leaseOwner === owner ? job : undefined;
}

/**
 * The lease a runner holds on one claimed commit job. Every write of the job goes through here and
 * is conditional on `lease_owner` still being this runner, so a runner whose lease ran out and was
 * taken over (a long GC pause, a hung store that came back) cannot overwrite the newer owner's
 * progress or finish the commit a second time: it gets {@link CommitLeaseLost} and stops.
 *
 * @example
 * const lease = new CommitLease(db, clock, job.uploadId, owner, config.commitLeaseMs);
 * lease.start(); await lease.progress({ state: 'storing', stored: 500 }); lease.stop();
 */
export class CommitLease {
  #lost = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly db: Kysely<Database>,
    readonly clock: Clock,
    readonly uploadId: string,
    readonly owner: string,
    readonly leaseMs: number,
  ) {}

  /** Renews the lease every third of its length until {@link stop}, independent of the work's pace. */
  start(): void {
    this.#timer = setInterval(
      () => {
        this.progress({}).catch(() => undefined);
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    this.#timer.unref();
  }

  /** Stops renewing; `lost` makes every further check and write fail (the runner is stopping). */
  stop(lost = false): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (lost) this.#lost = true;
  }

  get lost(): boolean {
    return this.#lost;
  }

  /** Throws {@link CommitLeaseLost} once the job is no longer this runner's. */
  check(): void {
    if (this.#lost) throw new CommitLeaseLost(`the commit of ${this.uploadId} is no longer held by this runner`);
  }

  /** Renews the lease and records progress, only while this runner holds the job. */
  async progress(set: { state?: 'storing' | 'verifying' | 'assigning'; stored?: number }): Promise<void> {
    this.check();
    const now = this.clock();
    await this.#updateHeld(this.db, {
      ...set,
      leaseUntil: new Date(now.getTime() + this.leaseMs).toISOString(),
      updatedAt: now.toISOString(),
    });
  }

  /**
   * Settles the job (done or failed) inside the caller's transaction, first thing in it, so that on
   * PostgreSQL the row stays locked until the transaction ends; throws {@link CommitLeaseLost} (and
   * the transaction rolls back) when the job is no longer this runner's.
   */
  async settle(
    trx: Kysely<Database>,
    set: Pick<UploadCommitTable, 'state'> & Partial<Pick<UploadCommitTable, 'stored' | 'errorJson'>>,
  ): Promise<void> {
    this.check();
    const at = this.clock().toISOString();
    await this.#updateHeld(trx, { ...set, leaseOwner: null, leaseUntil: null, updatedAt: at, finishedAt: at });
  }

  /** Updates the job row only while this runner holds it; otherwise marks the lease lost and throws. */
  async #updateHeld(db: Kysely<Database>, set: Partial<UploadCommitTable>): Promise<void> {
    const result = await db
      .updateTable('uploadCommits')
      .set(set)
      .where('uploadId', '=', this.uploadId)
      .where('leaseOwner', '=', this.owner)
      .where('state', 'in', ACTIVE_COMMIT_STATES)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      this.#lost = true;
      this.check();
    }
  }
}
