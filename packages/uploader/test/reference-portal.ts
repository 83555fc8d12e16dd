import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CommitError, CommitState, Manifest, SlotParameters, UploadSession } from '@courier/api';
import { getString, readDicom } from '@courier/dicom';

/**
 * A minimal in-memory implementation of the upload-session contract (open, manifest, status,
 * STOW-RS batch, commit; Bearer tokens) on a real loopback socket, for the engine's scenario tests
 * while the Portal's batch and commit endpoints are being written (apps/cli/test runs the same
 * engine against the real Portal for what exists). It parses the multipart body strictly and
 * records every part it receives, so tests can assert that nothing was sent twice.
 */
export interface ReferencePortal {
  readonly baseUrl: string;
  /** Tokens the portal accepts; remove one to expire the "session" mid-upload. */
  readonly tokens: Set<string>;
  /** SOP Instance UIDs of every part received, in order, duplicates included. */
  readonly received: string[];
  /** Most batch requests handled at the same time. */
  maxInFlight: number;
  /** Stored bytes per SOP Instance UID. */
  readonly stored: Map<string, Uint8Array>;
  /** Set to corrupt what the portal stores (to test verification). */
  corrupt: ((uid: string, bytes: Uint8Array) => Uint8Array) | undefined;
  readonly sessions: Map<string, { session: UploadSession; manifest: Manifest | null }>;
  /** Status requests a commit job stays `storing` for before it is done (default 0: done at once). */
  commitPolls: number;
  /** Set to make the commit job fail with this error. */
  commitFailure: CommitError | undefined;
  /** Commit status requests (GET …/commit) answered, 401s included. */
  commitStatusRequests: number;
  /** Called before each commit status request is answered (e.g. to expire the token mid-poll). */
  onCommitPoll: ((poll: number) => void) | undefined;
  close(): Promise<void>;
}

/** Slot parameters of the reference portal's one slot. */
export function referenceSlot(limits: Partial<SlotParameters['limits']> = {}): SlotParameters {
  const id = () => randomUUID();
  return {
    studyId: id(),
    studyIdentifier: 'REF-01',
    siteId: id(),
    subjectId: id(),
    subjectLabel: 'R-001',
    pseudonym: 'REF01-R001',
    sex: 'F',
    birthDate: null,
    birthYear: 1960,
    eventId: id(),
    eventName: 'Planning',
    eventOccurrence: 1,
    slotDefinitionId: id(),
    slotLabel: 'Planning CT',
    expectedModalities: [],
    deid: { profile: 'basic', options: ['retainPatientCharacteristics', 'retainDeviceIdentity'] },
    dateHandling: 'shift',
    dateOffsetDays: -100,
    uidSecret: 'reference-portal-secret-0123456789',
    clinicalTrial: {
      ClinicalTrialSponsorName: 'Ref sponsor',
      ClinicalTrialProtocolID: 'REF-P',
      ClinicalTrialProtocolName: 'Reference',
      ClinicalTrialSiteID: 'A',
      ClinicalTrialSiteName: 'Site A',
      ClinicalTrialSubjectID: 'R-001',
      ClinicalTrialTimePointID: 'Planning',
      ClinicalTrialTimePointDescription: 'Planning: Planning CT',
    },
    currentValue: null,
    limits: { maxBatchBytes: 32 * 1024 * 1024, maxBatchInstances: 500, maxManifestInstances: 100_000, ...limits },
  };
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function parts(body: Buffer, contentType: string): Buffer[] {
  const boundary = /boundary=([^;\s]+)/.exec(contentType)?.[1];
  if (boundary === undefined || !/type="application\/dicom"/.test(contentType)) throw new Error('not STOW-RS');
  const delimiter = Buffer.from(`--${boundary}`);
  const out: Buffer[] = [];
  let at = body.indexOf(delimiter);
  for (;;) {
    const after = at + delimiter.length;
    if (body.subarray(after, after + 2).toString() === '--') return out;
    const headerEnd = body.indexOf('\r\n\r\n', after);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd);
    if (headerEnd < 0 || next < 0) throw new Error('truncated multipart body');
    out.push(body.subarray(headerEnd + 4, next));
    at = next + 2;
  }
}

/**
 * Starts the reference portal on 127.0.0.1:0 with one token.
 *
 * @example
 * const ref = await startReferencePortal('tok'); new PortalClient({ baseUrl: ref.baseUrl, auth: { kind: 'token', token: 'tok' } });
 */
export async function startReferencePortal(
  token: string,
  slot: SlotParameters = referenceSlot(),
): Promise<ReferencePortal> {
  const tokens = new Set([token]);
  const received: string[] = [];
  const stored = new Map<string, Uint8Array>();
  const sessions: ReferencePortal['sessions'] = new Map();
  let inFlight = 0;
  const commitAdvance = new Map<string, () => void>();
  const view = (id: string): UploadSession => {
    const entry = sessions.get(id)!;
    const instances = (entry.manifest?.instances ?? []).map((i) => {
      const bytes = stored.get(i.sopInstanceUid);
      return {
        sopInstanceUid: i.sopInstanceUid,
        seriesInstanceUid: i.seriesInstanceUid,
        size: bytes?.length ?? i.size,
        state: bytes === undefined ? ('pending' as const) : ('stored' as const),
        reason: null,
        storedSha256: bytes === undefined ? null : createHash('sha256').update(bytes).digest('hex'),
      };
    });
    const stateCount = (s: string) => instances.filter((i) => i.state === s).length;
    entry.session = {
      ...entry.session,
      manifest:
        entry.manifest === null
          ? null
          : {
              studyInstanceUid: entry.manifest.studyInstanceUid,
              instanceCount: instances.length,
              totalBytes: entry.manifest.instances.reduce((n, i) => n + i.size, 0),
            },
      counts: { pending: stateCount('pending'), stored: stateCount('stored'), rejected: 0 },
      instances,
    };
    return entry.session;
  };
  const portal: ReferencePortal = {
    baseUrl: '',
    tokens,
    received,
    maxInFlight: 0,
    stored,
    corrupt: undefined,
    sessions,
    commitPolls: 0,
    commitFailure: undefined,
    commitStatusRequests: 0,
    onCommitPoll: undefined,
    close: async () => {},
  };
  const commitStatus = (id: string) => {
    const { session } = sessions.get(id)!;
    return { uploadId: id, status: session.status, commit: session.commit };
  };
  const server: Server = createServer(async (req, res) => {
    try {
      const [path = '', search = ''] = (req.url ?? '').split('?');
      if (req.method === 'GET' && /\/commit$/.test(path)) {
        portal.commitStatusRequests++;
        portal.onCommitPoll?.(portal.commitStatusRequests);
      }
      const auth = req.headers.authorization?.replace(/^Bearer /, '');
      if (auth === undefined || !tokens.has(auth)) {
        await bodyOf(req).catch(() => undefined);
        json(res, 401, { code: 'SESSION_EXPIRED', message: 'the session has expired; log in again' });
        return;
      }
      const url = path;
      const match = /^\/api\/uploads\/([^/]+)(\/manifest|\/instances|\/commit|\/receipts)?$/.exec(url);
      if (req.method === 'POST' && url === '/api/uploads') {
        await bodyOf(req);
        const id = randomUUID();
        const now = new Date().toISOString();
        sessions.set(id, {
          manifest: null,
          session: {
            id,
            status: 'open',
            createdAt: now,
            createdBy: 'ref',
            expiresAt: now,
            slot,
            manifest: null,
            counts: { pending: 0, stored: 0, rejected: 0 },
            commit: null,
            instances: [],
          },
        });
        json(res, 201, view(id));
        return;
      }
      const entry = match ? sessions.get(match[1]!) : undefined;
      if (match === null || entry === undefined) {
        json(res, 404, { code: 'NOT_FOUND', message: 'not found' });
        return;
      }
      const id = match[1]!;
      if (req.method === 'GET' && match[2] === undefined) {
        json(res, 200, view(id));
      } else if (req.method === 'PUT' && match[2] === '/manifest') {
        entry.manifest = JSON.parse((await bodyOf(req)).toString('utf8')) as Manifest;
        json(res, 200, view(id));
      } else if (req.method === 'POST' && match[2] === '/instances') {
        inFlight++;
        portal.maxInFlight = Math.max(portal.maxInFlight, inFlight);
        const body = await bodyOf(req).finally(() => {
          inFlight--;
        });
        const declared = Number(req.headers['content-length']);
        if (declared !== body.length) throw new Error(`content-length ${declared} but ${body.length} bytes`);
        if (body.length > slot.limits.maxBatchBytes) {
          json(res, 413, { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' });
          return;
        }
        const results = parts(body, req.headers['content-type'] ?? '').map((part) => {
          const file = readDicom(new Uint8Array(part));
          const uid = getString(file, file.dataSet, 0x00080018) ?? '';
          received.push(uid);
          const bytes = portal.corrupt ? portal.corrupt(uid, new Uint8Array(part)) : new Uint8Array(part);
          stored.set(uid, bytes);
          return {
            sopInstanceUid: uid,
            state: 'stored',
            reason: null,
            size: part.length,
            sha256: createHash('sha256').update(part).digest('hex'),
          };
        });
        json(res, 200, { instances: results });
      } else if (req.method === 'POST' && match[2] === '/commit') {
        await bodyOf(req);
        const session = view(id);
        if (session.counts.pending > 0) {
          json(res, 409, { code: 'UPLOAD_INCOMPLETE', message: 'instances are missing' });
          return;
        }
        // Like the Portal: a running or finished job is answered, not started again.
        if (session.commit === null || session.commit.state === 'failed') {
          const now = new Date().toISOString();
          const total = session.instances.length;
          const commit: CommitState = {
            state: 'storing',
            overwrite: false,
            stored: 0,
            total,
            attempts: 1,
            requestedAt: now,
            updatedAt: now,
            finishedAt: null,
            error: null,
          };
          entry.session = { ...session, commit };
          let polls = 0;
          const advance = () => {
            const current = entry.session.commit!;
            if (portal.commitFailure !== undefined) {
              entry.session.commit = { ...current, state: 'failed', error: portal.commitFailure, finishedAt: now };
            } else if (polls >= portal.commitPolls) {
              entry.session = {
                ...entry.session,
                status: 'committed',
                commit: { ...current, state: 'done', stored: total, finishedAt: now },
              };
            } else {
              entry.session.commit = { ...current, stored: Math.floor((total * polls) / portal.commitPolls) };
            }
            polls++;
          };
          advance();
          commitAdvance.set(id, advance);
        }
        json(res, 202, commitStatus(id));
      } else if (req.method === 'GET' && match[2] === '/commit') {
        const state = entry.session.commit?.state;
        if (state !== 'done' && state !== 'failed') commitAdvance.get(id)?.();
        json(res, 200, commitStatus(id));
      } else if (req.method === 'GET' && match[2] === '/receipts') {
        const query = new URLSearchParams(search);
        const offset = Number(query.get('offset') ?? 0);
        const limit = Number(query.get('limit') ?? 1000);
        const all = [...view(id).instances].sort((a, b) => (a.sopInstanceUid < b.sopInstanceUid ? -1 : 1));
        json(res, 200, { items: all.slice(offset, offset + limit), total: all.length, offset, limit });
      } else {
        json(res, 404, { code: 'NOT_FOUND', message: 'not found' });
      }
    } catch (error) {
      json(res, 400, { code: 'VALIDATION_FAILED', message: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(portal, {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
