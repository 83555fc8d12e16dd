import { z } from 'zod';
import { Id } from './common.js';
import type { AnyEndpoint, Endpoint } from './endpoint.js';

// The Portal's own DICOMweb service (PS3.18): QIDO-RS search, WADO-RS retrieve, WADO-URI, over the
// studies assigned to slots the caller may view. Its answers are DICOM media types (application/dicom+json,
// multipart/related), not the JSON of the rest of the API, so the descriptors carry no response schema:
// they put the routes into the OpenAPI document and the permission tests.

/** Where the Portal's DICOMweb service is rooted: the `{+SERVICE}` of PS3.18 10.6.1 and 10.4.1. */
export const DICOMWEB_ROOT = '/dicomweb';

/** PS3.18 8.7.3.5: the media type of DICOM JSON (QIDO-RS results, WADO-RS metadata). */
export const DICOM_JSON_MEDIA_TYPE = 'application/dicom+json';

/** PS3.18 8.7.3.5: the WADO-RS answer of instances, one Part 10 file per part. */
const MULTIPART_DICOM = 'multipart/related; type="application/dicom"';
/** PS3.18 8.7.3.3.2: the WADO-RS answer of frames and bulk data. */
const MULTIPART_OCTETS = 'multipart/related; type="application/octet-stream"';

/** A UID in a path (PS3.5 9.1: digits and dots, at most 64 characters). */
export const UidSchema: z.ZodType<string> = z
  .string()
  .max(64)
  .regex(/^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/, 'not a DICOM UID');

/** Path parameters of a study resource. */
export interface DicomStudyParams {
  studyInstanceUid: string;
}
/** Path parameters of a series resource. */
export interface DicomSeriesParams extends DicomStudyParams {
  seriesInstanceUid: string;
}
/** Path parameters of an instance resource. */
export interface DicomInstanceParams extends DicomSeriesParams {
  sopInstanceUid: string;
}
/** Path parameters of a frame list (PS3.18 10.4.1.1.6: `1,3,5`, one-based). */
export interface DicomFramesParams extends DicomInstanceParams {
  frameList: string;
}

const studyParams: z.ZodType<DicomStudyParams> = z.object({ studyInstanceUid: UidSchema });
const seriesParams: z.ZodType<DicomSeriesParams> = z.object({
  studyInstanceUid: UidSchema,
  seriesInstanceUid: UidSchema,
});
const instanceParams: z.ZodType<DicomInstanceParams> = z.object({
  studyInstanceUid: UidSchema,
  seriesInstanceUid: UidSchema,
  sopInstanceUid: UidSchema,
});
const framesParams: z.ZodType<DicomFramesParams> = z.object({
  studyInstanceUid: UidSchema,
  seriesInstanceUid: UidSchema,
  sopInstanceUid: UidSchema,
  frameList: z.string().regex(/^[1-9][0-9]*(,[1-9][0-9]*)*$/, 'a comma-separated list of frame numbers'),
});

/**
 * QIDO-RS query parameters (PS3.18 8.3.4): `{attributeID}={value}` match keys (keyword or
 * 8-digit hex tag), `includefield` (repeatable, comma-separated, or `all`), `limit`, `offset`,
 * `fuzzymatching`. Values stay text here; the server interprets them per attribute.
 */
export type QidoQuery = Record<string, string | string[] | undefined>;

/** Schema of {@link QidoQuery}. */
export const QidoQuerySchema: z.ZodType<QidoQuery> = z
  .object({
    limit: z.string().regex(/^\d+$/).optional(),
    offset: z.string().regex(/^\d+$/).optional(),
    includefield: z.union([z.string(), z.array(z.string())]).optional(),
    fuzzymatching: z.enum(['true', 'false']).optional(),
  })
  .catchall(z.union([z.string(), z.array(z.string())]));

/** WADO-URI query (PS3.18 9.1.2: requestType, studyUID, seriesUID, objectUID, contentType). */
export interface WadoUriQuery {
  requestType: 'WADO';
  studyUID: string;
  seriesUID: string;
  objectUID: string;
  contentType?: string;
  transferSyntax?: string;
}

/** Schema of {@link WadoUriQuery}. */
export const WadoUriQuerySchema: z.ZodType<WadoUriQuery> = z.object({
  requestType: z.literal('WADO'),
  studyUID: UidSchema,
  seriesUID: UidSchema,
  objectUID: UidSchema,
  contentType: z.string().optional(),
  transferSyntax: z.string().optional(),
});

const VIEW = 'a member who may view the subject whose slot holds the study (site scope applies); else 404';

function dicomweb<P, Q>(
  id: string,
  path: string,
  media: string,
  summary: string,
  params?: z.ZodType<P>,
  query?: z.ZodType<Q>,
): Endpoint<P, Q, unknown, unknown> {
  return {
    id,
    method: 'GET',
    path: DICOMWEB_ROOT + path,
    tag: 'dicomweb',
    summary,
    permission: VIEW,
    authenticated: true,
    media,
    ...(params === undefined ? {} : { params }),
    ...(query === undefined ? {} : { query }),
    status: 200,
  };
}

/**
 * QIDO-RS SearchForStudies (PS3.18 10.6.1): the visible studies as DICOM JSON.
 *
 * @example
 * await fetch(`${portal}${searchStudies.path}?PatientID=ABC123&limit=10`, { headers: { accept: DICOM_JSON_MEDIA_TYPE } });
 */
export const searchStudies: Endpoint<unknown, QidoQuery, unknown, unknown> = dicomweb(
  'searchStudies',
  '/studies',
  DICOM_JSON_MEDIA_TYPE,
  'QIDO-RS: search the visible studies (application/dicom+json)',
  undefined,
  QidoQuerySchema,
);

/**
 * QIDO-RS SearchForSeries of one study (PS3.18 10.6.1).
 *
 * @example
 * endpointPath(searchSeries, { studyInstanceUid }); // '/dicomweb/studies/1.2.3/series'
 */
export const searchSeries: Endpoint<DicomStudyParams, QidoQuery, unknown, unknown> = dicomweb(
  'searchSeries',
  '/studies/:studyInstanceUid/series',
  DICOM_JSON_MEDIA_TYPE,
  "QIDO-RS: search a study's series",
  studyParams,
  QidoQuerySchema,
);

/**
 * QIDO-RS SearchForInstances of one study (PS3.18 10.6.1).
 *
 * @example
 * endpointPath(searchStudyInstances, { studyInstanceUid });
 */
export const searchStudyInstances: Endpoint<DicomStudyParams, QidoQuery, unknown, unknown> = dicomweb(
  'searchStudyInstances',
  '/studies/:studyInstanceUid/instances',
  DICOM_JSON_MEDIA_TYPE,
  "QIDO-RS: search a study's instances",
  studyParams,
  QidoQuerySchema,
);

/**
 * QIDO-RS SearchForInstances of one series (PS3.18 10.6.1).
 *
 * @example
 * endpointPath(searchSeriesInstances, { studyInstanceUid, seriesInstanceUid });
 */
export const searchSeriesInstances: Endpoint<DicomSeriesParams, QidoQuery, unknown, unknown> = dicomweb(
  'searchSeriesInstances',
  '/studies/:studyInstanceUid/series/:seriesInstanceUid/instances',
  DICOM_JSON_MEDIA_TYPE,
  "QIDO-RS: search a series' instances",
  seriesParams,
  QidoQuerySchema,
);

/**
 * WADO-RS RetrieveStudy (PS3.18 10.4.1): every instance, `multipart/related; type="application/dicom"`.
 *
 * @example
 * endpointPath(retrieveStudy, { studyInstanceUid });
 */
export const retrieveStudy: Endpoint<DicomStudyParams, unknown, unknown, unknown> = dicomweb(
  'retrieveStudy',
  '/studies/:studyInstanceUid',
  MULTIPART_DICOM,
  'WADO-RS: the instances of a study (multipart/related; type="application/dicom")',
  studyParams,
);

/**
 * WADO-RS RetrieveSeries (PS3.18 10.4.1).
 *
 * @example
 * endpointPath(retrieveSeries, { studyInstanceUid, seriesInstanceUid });
 */
export const retrieveSeries: Endpoint<DicomSeriesParams, unknown, unknown, unknown> = dicomweb(
  'retrieveSeries',
  '/studies/:studyInstanceUid/series/:seriesInstanceUid',
  MULTIPART_DICOM,
  'WADO-RS: the instances of a series (multipart/related; type="application/dicom")',
  seriesParams,
);

/**
 * WADO-RS RetrieveInstance (PS3.18 10.4.1).
 *
 * @example
 * endpointPath(retrieveInstance, { studyInstanceUid, seriesInstanceUid, sopInstanceUid });
 */
export const retrieveInstance: Endpoint<DicomInstanceParams, unknown, unknown, unknown> = dicomweb(
  'retrieveInstance',
  '/studies/:studyInstanceUid/series/:seriesInstanceUid/instances/:sopInstanceUid',
  MULTIPART_DICOM,
  'WADO-RS: one instance (multipart/related; type="application/dicom")',
  instanceParams,
);

/**
 * WADO-RS RetrieveStudyMetadata (PS3.18 10.4.1.1.2): DICOM JSON of every instance, bulk data as BulkDataURI.
 *
 * @example
 * endpointPath(retrieveStudyMetadata, { studyInstanceUid });
 */
export const retrieveStudyMetadata: Endpoint<DicomStudyParams, unknown, unknown, unknown> = dicomweb(
  'retrieveStudyMetadata',
  '/studies/:studyInstanceUid/metadata',
  DICOM_JSON_MEDIA_TYPE,
  'WADO-RS: metadata of every instance of a study (application/dicom+json)',
  studyParams,
);

/**
 * WADO-RS RetrieveSeriesMetadata.
 *
 * @example
 * endpointPath(retrieveSeriesMetadata, { studyInstanceUid, seriesInstanceUid });
 */
export const retrieveSeriesMetadata: Endpoint<DicomSeriesParams, unknown, unknown, unknown> = dicomweb(
  'retrieveSeriesMetadata',
  '/studies/:studyInstanceUid/series/:seriesInstanceUid/metadata',
  DICOM_JSON_MEDIA_TYPE,
  'WADO-RS: metadata of every instance of a series (application/dicom+json)',
  seriesParams,
);

/**
 * WADO-RS RetrieveInstanceMetadata.
 *
 * @example
 * endpointPath(retrieveInstanceMetadata, { studyInstanceUid, seriesInstanceUid, sopInstanceUid });
 */
export const retrieveInstanceMetadata: Endpoint<DicomInstanceParams, unknown, unknown, unknown> = dicomweb(
  'retrieveInstanceMetadata',
  '/studies/:studyInstanceUid/series/:seriesInstanceUid/instances/:sopInstanceUid/metadata',
  DICOM_JSON_MEDIA_TYPE,
  'WADO-RS: metadata of one instance (application/dicom+json)',
  instanceParams,
);

/**
 * WADO-RS RetrieveFrames (PS3.18 10.4.1.1.6) for native (uncompressed) pixel data: one
 * application/octet-stream part per frame; 406 for an encapsulated transfer syntax.
 *
 * @example
 * endpointPath(retrieveFrames, { studyInstanceUid, seriesInstanceUid, sopInstanceUid, frameList: '1,2' });
 */
export const retrieveFrames: Endpoint<DicomFramesParams, unknown, unknown, unknown> = dicomweb(
  'retrieveFrames',
  '/studies/:studyInstanceUid/series/:seriesInstanceUid/instances/:sopInstanceUid/frames/:frameList',
  MULTIPART_OCTETS,
  'WADO-RS: frames of a native-encoded instance (multipart/related; type="application/octet-stream")',
  framesParams,
);

/** Path parameters of a bulk data resource: the instance and the attribute's 8-hex-digit tag. */
export interface DicomBulkDataParams extends DicomInstanceParams {
  tag: string;
}

/**
 * WADO-RS RetrieveBulkData (PS3.18 10.4.1.1.5): the value of a top-level binary attribute of an
 * instance (the BulkDataURI of its metadata), one application/octet-stream part; Pixel Data only
 * when native (uncompressed).
 *
 * @example
 * endpointPath(retrieveBulkData, { studyInstanceUid, seriesInstanceUid, sopInstanceUid, tag: '7FE00010' });
 */
export const retrieveBulkData: Endpoint<DicomBulkDataParams, unknown, unknown, unknown> = dicomweb(
  'retrieveBulkData',
  '/studies/:studyInstanceUid/series/:seriesInstanceUid/instances/:sopInstanceUid/bulkdata/:tag',
  MULTIPART_OCTETS,
  'WADO-RS: bulk data of one attribute (multipart/related; type="application/octet-stream")',
  z.object({
    studyInstanceUid: UidSchema,
    seriesInstanceUid: UidSchema,
    sopInstanceUid: UidSchema,
    tag: z.string().regex(/^[0-9A-Fa-f]{8}$/, '8 hex digits'),
  }),
);

/**
 * WADO-URI (PS3.18 9): one instance as a Part 10 file, the URL Cornerstone's wadouri loader reads.
 *
 * @example
 * `${portal}/dicomweb/wado?requestType=WADO&studyUID=${s}&seriesUID=${se}&objectUID=${o}&contentType=application%2Fdicom`
 */
export const retrieveWadoUri: Endpoint<unknown, WadoUriQuery, unknown, unknown> = dicomweb(
  'retrieveWadoUri',
  '/wado',
  'application/dicom',
  'WADO-URI: one instance as application/dicom',
  undefined,
  WadoUriQuerySchema,
);

/** Every endpoint of the Portal's DICOMweb service, in documentation order. */
export const DICOMWEB_ENDPOINTS: readonly AnyEndpoint[] = [
  searchStudies,
  searchSeries,
  searchStudyInstances,
  searchSeriesInstances,
  retrieveStudy,
  retrieveSeries,
  retrieveInstance,
  retrieveStudyMetadata,
  retrieveSeriesMetadata,
  retrieveInstanceMetadata,
  retrieveFrames,
  retrieveBulkData,
  retrieveWadoUri,
];

/** Path parameters of a study download. */
export interface StudyZipParams {
  studyId: string;
  studyInstanceUid: string;
}
/** Path parameters of a series download. */
export interface SeriesZipParams extends StudyZipParams {
  seriesInstanceUid: string;
}

const DOWNLOAD =
  "admin, study manager or monitor of the study (capability 'download', site scope applies); the study must be assigned to a slot there";

/**
 * Downloads an assigned study as a zip (streamed; members `<pseudonym>/<Study UID>/<Series No>-<Modality>-<Series UID>/<SOP UID>.dcm`).
 *
 * @example
 * endpointPath(downloadStudyZip, { studyId, studyInstanceUid }); // '/api/studies/…/dicom/1.2.3/zip'
 */
export const downloadStudyZip: Endpoint<StudyZipParams, unknown, unknown, unknown> = {
  id: 'downloadStudyZip',
  method: 'GET',
  path: '/api/studies/:studyId/dicom/:studyInstanceUid/zip',
  tag: 'studies',
  summary: 'Download an assigned study as a zip of its DICOM files (application/zip, streamed)',
  permission: DOWNLOAD,
  authenticated: true,
  media: 'application/zip',
  params: z.object({ studyId: Id, studyInstanceUid: UidSchema }),
  status: 200,
};

/**
 * Downloads one series of an assigned study as a zip.
 *
 * @example
 * endpointPath(downloadSeriesZip, { studyId, studyInstanceUid, seriesInstanceUid });
 */
export const downloadSeriesZip: Endpoint<SeriesZipParams, unknown, unknown, unknown> = {
  id: 'downloadSeriesZip',
  method: 'GET',
  path: '/api/studies/:studyId/dicom/:studyInstanceUid/series/:seriesInstanceUid/zip',
  tag: 'studies',
  summary: 'Download one series of an assigned study as a zip (application/zip, streamed)',
  permission: DOWNLOAD,
  authenticated: true,
  media: 'application/zip',
  params: z.object({ studyId: Id, studyInstanceUid: UidSchema, seriesInstanceUid: UidSchema }),
  status: 200,
};
