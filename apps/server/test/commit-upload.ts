import { API_ERROR_STATUS, type ApiErrorCode } from '@courier/api';
import type { Kysely } from 'kysely';
import type { Database } from '../src/database/schema.js';
import type { TestClient, TestResponse } from './portal-harness.js';

/**
 * Follows a commit job through GET …/commit until it is done or failed (at most `timeoutMs`).
 * Returns the last status response.
 *
 * @example
 * const final = await waitForCommit(uploader, id);
 */
export async function waitForCommit(client: TestClient, id: string, timeoutMs = 20_000): Promise<TestResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await client.get(`/api/uploads/${id}/commit`);
    const state = status.body?.commit?.state;
    if (status.status !== 200 || state === 'done' || state === 'failed' || state === undefined) return status;
    if (Date.now() > deadline) throw new Error(`commit of ${id} still ${state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Commits a session the way a client does now that the commit is asynchronous (POST → 202, then
 * the job's status until done or failed), and answers like the synchronous commit did: 200 with
 * the committed session, or the failed job's error code with its HTTP status and body
 * (`{ code, message, details }`); a refusal of the request itself is returned as it came.
 *
 * @example
 * const committed = await commitAndWait(uploader, id, { overwrite: true });
 * expect(committed.status).toBe(200);
 */
export async function commitAndWait(
  client: TestClient,
  id: string,
  body: { overwrite?: boolean } = {},
): Promise<TestResponse> {
  const accepted = await client.post(`/api/uploads/${id}/commit`, body);
  if (accepted.status !== 202) return accepted;
  const final = await waitForCommit(client, id);
  const commit = final.body?.commit;
  if (commit?.state === 'failed') {
    return { status: API_ERROR_STATUS[commit.error.code as ApiErrorCode], body: commit.error, headers: final.headers };
  }
  return client.get(`/api/uploads/${id}`);
}

/**
 * Writes the commit job row a Portal that died mid-commit leaves behind: claimed by `leaseOwner`,
 * in `state`, its lease run out a second before `at`. The actor is the fixture's site uploader.
 *
 * @example
 * await insertAbandonedCommit(portal.context.db, { uploadId: id, userId, at: portal.clock(), total: 4 });
 */
export async function insertAbandonedCommit(
  db: Kysely<Database>,
  job: {
    uploadId: string;
    userId: string;
    at: Date;
    total: number;
    state?: 'storing' | 'verifying';
    leaseOwner?: string;
    attempts?: number;
    stored?: number;
    /** How long before `at` the job was requested and last updated (ms). */
    age?: number;
  },
): Promise<void> {
  const at = job.at.getTime();
  const since = new Date(at - (job.age ?? 0)).toISOString();
  await db
    .insertInto('uploadCommits')
    .values({
      uploadId: job.uploadId,
      state: job.state ?? 'storing',
      overwrite: 1,
      actorJson: JSON.stringify({ userId: job.userId, username: 'site-uploader', ip: null }),
      leaseOwner: job.leaseOwner ?? 'a-portal-that-died',
      leaseUntil: new Date(at - 1000).toISOString(),
      attempts: job.attempts ?? 1,
      stored: job.stored ?? 0,
      total: job.total,
      errorJson: null,
      requestedAt: since,
      updatedAt: since,
      finishedAt: null,
    })
    .execute();
}
