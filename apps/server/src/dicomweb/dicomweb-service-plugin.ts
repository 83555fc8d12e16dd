import { Readable } from 'node:stream';
import {
  ApiError,
  DICOM_JSON_MEDIA_TYPE,
  DICOMWEB_ROOT,
  retrieveBulkData,
  retrieveFrames,
  retrieveInstance,
  retrieveInstanceMetadata,
  retrieveSeries,
  retrieveSeriesMetadata,
  retrieveStudy,
  retrieveStudyMetadata,
  retrieveWadoUri,
  searchSeries,
  searchSeriesInstances,
  searchStudies,
  searchStudyInstances,
} from '@courier/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import { route } from '../http/route.js';
import type { StoredInstance } from '../storage/dicom-store.js';
import {
  requireInstancesAcceptable,
  requireMetadataAcceptable,
  requireOctetStreamAcceptable,
  requireWadoUriSyntax,
} from './accept-negotiation.js';
import type { DicomJsonObject } from './dicom-json-model.js';
import { bulkDataPart, frameParts } from './frame-parts.js';
import { instanceMetadata, instanceUrl } from './instance-metadata.js';
import { multipartBody, newBoundary, type ResponsePart } from './multipart-writer.js';
import { matchesKey, parseQidoQuery } from './qido-query.js';
import { searchInstanceRecords, searchSeriesRecords, searchStudyRecords } from './qido-search.js';
import { type IndexedInstance, type StudyIndex, StudyIndexCache } from './study-index.js';
import { registerZipDownloads } from './study-zip-download.js';
import { listVisibleStudies, requireVisibleStudy } from './visible-studies.js';

/** The service root as the client reached it, for Retrieve URLs and BulkDataURIs. */
function serviceRoot(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${DICOMWEB_ROOT}`;
}

function sendJson(reply: FastifyReply, value: unknown): string {
  reply.header('content-type', DICOM_JSON_MEDIA_TYPE);
  return JSON.stringify(value);
}

/** The instances of an index below a series / SOP Instance UID; NOT_FOUND when none. */
function select(index: StudyIndex, seriesInstanceUid?: string, sopInstanceUid?: string): IndexedInstance[] {
  const found = index.instances.filter(
    (i) =>
      (seriesInstanceUid === undefined || i.instance.seriesInstanceUid === seriesInstanceUid) &&
      (sopInstanceUid === undefined || i.instance.sopInstanceUid === sopInstanceUid),
  );
  if (found.length === 0) throw new ApiError('NOT_FOUND', 'no such instance in this study');
  return found;
}

/** Header reads ahead of the one being written: hides file latency, keeps at most this many documents in memory. */
const METADATA_READ_AHEAD = 8;

/** Streams a JSON array of metadata objects in instance order, reading a few headers ahead. */
async function* metadataArray(
  context: AppContext,
  first: DicomJsonObject,
  rest: readonly StoredInstance[],
  root: string,
): AsyncGenerator<string, void, undefined> {
  yield `[${JSON.stringify(first)}`;
  const pending: Promise<DicomJsonObject>[] = [];
  let next = 0;
  const fill = () => {
    while (pending.length < METADATA_READ_AHEAD && next < rest.length) {
      const read = instanceMetadata(context.store, rest[next++]!, root);
      // A read failing while earlier documents are written is reported when its turn comes.
      read.catch(() => {});
      pending.push(read);
    }
  };
  fill();
  while (pending.length > 0) {
    const json = await pending.shift()!;
    fill();
    yield `,${JSON.stringify(json)}`;
  }
  yield ']';
}

/**
 * The Portal's own DICOMweb service (PS3.18) under /dicomweb: QIDO-RS search (10.6), WADO-RS
 * retrieve of instances, metadata, frames and bulk data (10.4) and WADO-URI (9), over the studies
 * assigned to slots the caller may view (visible-studies.ts). Anything else answers 404. Not to be
 * confused with storage/dicomweb/, the client the Portal uses to store into a PACS. Also registers
 * the zip downloads of assigned studies (study-zip-download.ts), which share the study index.
 *
 * @example
 * await app.register(dicomwebServicePlugin, { context });
 */
export async function dicomwebServicePlugin(app: FastifyInstance, options: { context: AppContext }): Promise<void> {
  const { context } = options;
  const { db, store } = context;
  const indexes = new StudyIndexCache(store);
  registerZipDownloads(app, context, indexes);

  async function visibleIndex(principal: Principal, studyInstanceUid: string): Promise<StudyIndex> {
    const { version } = await requireVisibleStudy(db, principal, studyInstanceUid);
    return indexes.get(studyInstanceUid, version);
  }

  // QIDO-RS (PS3.18 10.6). No match answers 200 with [] (CP-2473 replaces the former 204).
  route(app, context, searchStudies, async (principal, { query, request, reply }) => {
    const search = parseQidoQuery(query);
    let visible = await listVisibleStudies(db, principal);
    // A Study Instance UID key narrows the studies before any header is read.
    const byUid = search.matches.find((m) => m.key === '0020000D' && m.value !== '');
    if (byUid !== undefined) {
      visible = visible.filter((v) => matchesKey({ vr: 'UI', Value: [v.studyInstanceUid] }, byUid));
    }
    const loaded: StudyIndex[] = [];
    for (const study of visible) loaded.push(await indexes.get(study.studyInstanceUid, study.version));
    return sendJson(reply, searchStudyRecords(loaded, search, serviceRoot(request)));
  });

  route(app, context, searchSeries, async (principal, { params, query, request, reply }) => {
    const index = await visibleIndex(principal, params.studyInstanceUid);
    return sendJson(reply, searchSeriesRecords(index, parseQidoQuery(query), serviceRoot(request)));
  });

  route(app, context, searchStudyInstances, async (principal, { params, query, request, reply }) => {
    const index = await visibleIndex(principal, params.studyInstanceUid);
    return sendJson(reply, searchInstanceRecords(index, parseQidoQuery(query), serviceRoot(request)));
  });

  route(app, context, searchSeriesInstances, async (principal, { params, query, request, reply }) => {
    const index = await visibleIndex(principal, params.studyInstanceUid);
    const search = parseQidoQuery(query);
    return sendJson(reply, searchInstanceRecords(index, search, serviceRoot(request), params.seriesInstanceUid));
  });

  // WADO-RS instances (PS3.18 10.4.1.1.1): the stored Part 10 bytes as they are, one part each,
  // labelled with their transfer syntax (PS3.18 8.7.3.5.2). The stored syntax is the only one
  // offered: an Accept that allows none of it is 406, not another syntax's label on these bytes.
  function sendInstances(reply: FastifyReply, request: FastifyRequest, instances: IndexedInstance[]): Readable {
    requireInstancesAcceptable(
      request.headers.accept,
      instances.map((i) => i.transferSyntaxUid),
    );
    const root = serviceRoot(request);
    const boundary = newBoundary();
    const parts: ResponsePart[] = instances.map(({ instance, transferSyntaxUid }) => ({
      contentType: `application/dicom; transfer-syntax=${transferSyntaxUid}`,
      location: instanceUrl(root, instance),
      async open() {
        const source = await store.read(instance);
        if (source === null) throw new ApiError('NOT_FOUND', 'the instance is no longer stored');
        return source;
      },
    }));
    reply.header('content-type', `multipart/related; type="application/dicom"; boundary=${boundary}`);
    return Readable.from(multipartBody(parts, boundary));
  }

  route(app, context, retrieveStudy, async (principal, { params, request, reply }) => {
    const index = await visibleIndex(principal, params.studyInstanceUid);
    return sendInstances(reply, request, select(index));
  });

  route(app, context, retrieveSeries, async (principal, { params, request, reply }) => {
    const index = await visibleIndex(principal, params.studyInstanceUid);
    return sendInstances(reply, request, select(index, params.seriesInstanceUid));
  });

  route(app, context, retrieveInstance, async (principal, { params, request, reply }) => {
    const index = await visibleIndex(principal, params.studyInstanceUid);
    return sendInstances(reply, request, select(index, params.seriesInstanceUid, params.sopInstanceUid));
  });

  // WADO-RS metadata (PS3.18 10.4.1.1.2): one JSON array, streamed instance by instance.
  async function sendMetadata(reply: FastifyReply, request: FastifyRequest, instances: IndexedInstance[]) {
    requireMetadataAcceptable(request.headers.accept);
    const stored = instances.map((i) => i.instance);
    // The first header is read before answering, so a store failure is still a clean error status.
    const root = serviceRoot(request);
    const first = await instanceMetadata(store, stored[0]!, root);
    reply.header('content-type', DICOM_JSON_MEDIA_TYPE);
    return Readable.from(metadataArray(context, first, stored.slice(1), root));
  }

  route(app, context, retrieveStudyMetadata, async (principal, { params, request, reply }) => {
    const index = await visibleIndex(principal, params.studyInstanceUid);
    return sendMetadata(reply, request, select(index));
  });

  route(app, context, retrieveSeriesMetadata, async (principal, { params, request, reply }) => {
    const index = await visibleIndex(principal, params.studyInstanceUid);
    return sendMetadata(reply, request, select(index, params.seriesInstanceUid));
  });

  route(app, context, retrieveInstanceMetadata, async (principal, { params, request, reply }) => {
    const index = await visibleIndex(principal, params.studyInstanceUid);
    return sendMetadata(reply, request, select(index, params.seriesInstanceUid, params.sopInstanceUid));
  });

  // WADO-RS frames and bulk data (PS3.18 10.4.1.1.5, 10.4.1.1.6): native pixel data only.
  route(app, context, retrieveFrames, async (principal, { params, request, reply }) => {
    const index = await visibleIndex(principal, params.studyInstanceUid);
    requireOctetStreamAcceptable(request.headers.accept);
    const [found] = select(index, params.seriesInstanceUid, params.sopInstanceUid);
    const frames = params.frameList.split(',').map(Number);
    const boundary = newBoundary();
    const parts = frameParts(store, found!, frames);
    reply.header('content-type', `multipart/related; type="application/octet-stream"; boundary=${boundary}`);
    return Readable.from(multipartBody(parts, boundary));
  });

  route(app, context, retrieveBulkData, async (principal, { params, request, reply }) => {
    const index = await visibleIndex(principal, params.studyInstanceUid);
    requireOctetStreamAcceptable(request.headers.accept);
    const [found] = select(index, params.seriesInstanceUid, params.sopInstanceUid);
    const part = await bulkDataPart(store, found!, Number.parseInt(params.tag, 16));
    const boundary = newBoundary();
    reply.header('content-type', `multipart/related; type="application/octet-stream"; boundary=${boundary}`);
    return Readable.from(multipartBody([part], boundary));
  });

  // WADO-URI (PS3.18 9.1): the Part 10 file itself. Only application/dicom is offered (an absent
  // contentType is read as application/dicom: the rendered image/jpeg default is not provided).
  route(app, context, retrieveWadoUri, async (principal, { query, reply }) => {
    const accepted = (query.contentType ?? 'application/dicom').split(',').map((t) => t.trim().split(';')[0]);
    if (!accepted.some((t) => t === 'application/dicom' || t === '*/*')) {
      throw new ApiError('VALIDATION_FAILED', `contentType ${query.contentType} is not offered; use application/dicom`);
    }
    if (query.transferSyntax !== undefined) {
      // Only then is the stored syntax needed: it comes from the (cached) study index.
      const index = await visibleIndex(principal, query.studyUID);
      const [found] = select(index, query.seriesUID, query.objectUID);
      requireWadoUriSyntax(query.transferSyntax, found!.transferSyntaxUid);
    } else await requireVisibleStudy(db, principal, query.studyUID);
    const key = {
      studyInstanceUid: query.studyUID,
      seriesInstanceUid: query.seriesUID,
      sopInstanceUid: query.objectUID,
    };
    const stat = await store.stat(key);
    const source = stat === null ? null : await store.read(key);
    if (stat === null || source === null) throw new ApiError('NOT_FOUND', 'no such instance in this study');
    reply.header('content-type', 'application/dicom');
    reply.header('content-length', String(stat.size));
    return Readable.from(source);
  });
}
