/**
 * A throw-away Portal for benchmarks, in its own process so that the client's RSS measured by the
 * parent is the client's alone: buildApp on 127.0.0.1 with SQLite and the file-system store in a
 * temp folder, the demo seed, an API token of the seeded uploader and the "Planning CT" slot of
 * subject S01-001. Sends `{ baseUrl, token, slot }` to the parent over IPC; on "stop" it closes,
 * deletes its folder and sends its own peak RSS.
 *
 *   fork('bench/support/portal-child.ts', [], { execArgv: ['--import', 'tsx', '--conditions=source'] })
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiToken, listEventSlots, listSubjectEvents, listSubjects, login } from '@courier/api';
import { buildApp, DEFAULT_CONFIG, seedDemoIfEmpty } from '@courier/server';
import { PortalClient } from '@courier/uploader';

let peak = process.memoryUsage.rss();
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 50).unref();

const dataDir = await mkdtemp(join(tmpdir(), 'courier-bench-portal-'));
const portal = await buildApp({
  ...DEFAULT_CONFIG,
  port: 0,
  dataDir,
  databaseUrl: undefined,
  // Errors only (an internal server error shows its cause on the bench's output).
  logLevel: 'error',
  demo: false,
});
const seed = (await seedDemoIfEmpty(portal.context))!;
await portal.app.listen({ port: 0, host: '127.0.0.1' });
const baseUrl = `http://127.0.0.1:${(portal.app.server.address() as AddressInfo).port}`;
const session = new PortalClient({ baseUrl, auth: { kind: 'cookies', jar: new Map() } });
const password = seed.credentials.find((c) => c.username === 'uploader')!.password;
const me = await session.call(login, { body: { username: 'uploader', password } });
if (session.auth.kind === 'cookies') session.auth.csrfToken = me.csrfToken ?? undefined;
const token = (await session.call(createApiToken, { body: { name: 'bench' } })).token;
const client = new PortalClient({ baseUrl, auth: { kind: 'token', token } });
const studyId = seed.studyId;
const subject = (await client.call(listSubjects, { params: { studyId }, query: { q: 'S01-001', offset: 0, limit: 1 } }))
  .items[0]!;
const event = (await client.call(listSubjectEvents, { params: { studyId, subjectId: subject.id } })).find(
  (e) => e.name === 'Planning',
)!;
const slots = await client.call(listEventSlots, { params: { studyId, subjectId: subject.id, eventId: event.id } });
const slotDefinitionId = slots.find((s) => s.label === 'Planning CT')!.slotDefinitionId;
process.send?.({ baseUrl, token, slot: { studyId, subjectId: subject.id, eventId: event.id, slotDefinitionId } });

process.on('message', async (message) => {
  if (message !== 'stop') return;
  await portal.app.close().catch(() => {});
  // A commit still writing (the client gave up waiting) must not keep the folder or crash the stop.
  await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 }).catch((e: unknown) =>
    console.error(`could not delete ${dataDir}: ${String(e)}`),
  );
  process.send?.({ peakRss: Math.max(peak, process.memoryUsage.rss()) }, () => process.exit(0));
});
