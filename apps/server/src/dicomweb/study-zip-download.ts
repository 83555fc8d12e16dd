import { Readable } from 'node:stream';
import { ApiError, downloadSeriesZip, downloadStudyZip } from '@courier/api';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { can, loadStudyAccess } from '../access/study-access.js';
import { appendAudit } from '../audit/audit-log.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import { route } from '../http/route.js';
import type { StudyIndexCache } from './study-index.js';
import { type ZipMember, zipLength, zipStream } from './zip-stream.js';

/** Keeps a path segment to letters, digits, dot, dash and underscore (no `/`, no `..` tricks). */
const segment = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';

interface Assignment {
  subjectId: string;
  siteId: string;
  pseudonym: string;
}

/**
 * Checks a download in one Courier study: the UID must be assigned to a slot of a subject of this
 * study whose site the caller may view (else NOT_FOUND, as if absent), and the caller needs
 * `download` there (else FORBIDDEN). A non-member gets FORBIDDEN from loadStudyAccess.
 */
async function authorise(
  context: AppContext,
  principal: Principal,
  studyId: string,
  studyInstanceUid: string,
): Promise<Assignment> {
  const access = await loadStudyAccess(context.db, principal, studyId);
  const rows = await context.db
    .selectFrom('slotValues as v')
    .innerJoin('scheduledEvents as e', 'e.id', 'v.scheduledEventId')
    .innerJoin('subjects as s', 's.id', 'e.subjectId')
    .select(['s.id as subjectId', 's.siteId', 's.pseudonym'])
    .where('s.studyId', '=', studyId)
    .where('v.studyInstanceUid', '=', studyInstanceUid)
    .execute();
  const visible = rows.filter((row) => can(access, 'view', row.siteId));
  if (visible.length === 0) throw new ApiError('NOT_FOUND', 'no such study in a slot you may see');
  const allowed = visible.find((row) => can(access, 'download', row.siteId));
  if (allowed === undefined) throw new ApiError('FORBIDDEN', 'download is not allowed here');
  return allowed;
}

/**
 * Builds the members of a study or series zip: `<pseudonym>/<Study UID>/<Series Number>-<Modality>-<Series UID>/<SOP UID>.dcm`
 * (issue 11: names from the pseudonym and UIDs only, never an original identity).
 */
async function members(
  context: AppContext,
  indexes: StudyIndexCache,
  pseudonym: string,
  studyInstanceUid: string,
  seriesInstanceUid: string | undefined,
): Promise<ZipMember[]> {
  // No version: the store is listed afresh, so sizes (and the Content-Length built from them) are current.
  const index = await indexes.get(studyInstanceUid);
  const chosen = index.instances.filter(
    (i) => seriesInstanceUid === undefined || i.instance.seriesInstanceUid === seriesInstanceUid,
  );
  if (chosen.length === 0) throw new ApiError('NOT_FOUND', 'no stored instances');
  return chosen.map(({ instance, attributes }) => {
    const number = attributes['00200011']?.Value?.[0] ?? 0;
    const modality = attributes['00080060']?.Value?.[0] ?? 'OT';
    const series = `${segment(String(number))}-${segment(String(modality))}-${instance.seriesInstanceUid}`;
    return {
      name: `${segment(pseudonym)}/${studyInstanceUid}/${series}/${instance.sopInstanceUid}.dcm`,
      size: instance.size,
      async open() {
        const source = await context.store.read(instance);
        if (source === null) throw new Error(`instance ${instance.sopInstanceUid} is no longer stored`);
        return source;
      },
    };
  });
}

async function send(
  context: AppContext,
  indexes: StudyIndexCache,
  principal: Principal,
  reply: FastifyReply,
  params: { studyId: string; studyInstanceUid: string; seriesInstanceUid?: string },
): Promise<Readable> {
  const now = context.clock();
  const assignment = await authorise(context, principal, params.studyId, params.studyInstanceUid);
  const list = await members(context, indexes, assignment.pseudonym, params.studyInstanceUid, params.seriesInstanceUid);
  const options = { modified: now };
  const length = zipLength(list, options);
  // One record per download, written before the first byte leaves (issue 11: logged in the audit log).
  await appendAudit(context.db, now, actorOf(principal), {
    action: 'dicom.downloaded',
    studyId: params.studyId,
    targetType: 'subject',
    targetId: assignment.subjectId,
    details: {
      studyInstanceUid: params.studyInstanceUid,
      seriesInstanceUid: params.seriesInstanceUid ?? null,
      instances: list.length,
      bytes: length,
    },
  });
  const fileName = `${segment(assignment.pseudonym)}_${params.seriesInstanceUid ?? params.studyInstanceUid}.zip`;
  reply.header('content-type', 'application/zip');
  reply.header('content-length', String(length));
  reply.header('content-disposition', `attachment; filename="${fileName}"`);
  return Readable.from(zipStream(list, options));
}

/**
 * The zip downloads of issue 11 (`downloadStudyZip`, `downloadSeriesZip`): streamed, capability
 * `download` with site scope, one audit record `dicom.downloaded` per download.
 *
 * @example
 * registerZipDownloads(app, context, indexes);
 */
export function registerZipDownloads(app: FastifyInstance, context: AppContext, indexes: StudyIndexCache): void {
  route(app, context, downloadStudyZip, async (principal, { params, reply }) =>
    send(context, indexes, principal, reply, params),
  );
  route(app, context, downloadSeriesZip, async (principal, { params, reply }) =>
    send(context, indexes, principal, reply, params),
  );
}
