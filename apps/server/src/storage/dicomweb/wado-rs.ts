import type { InstanceKey, InstanceSource } from '../dicom-store.js';
import { boundaryOf, firstPart } from './multipart.js';
import { PacsError } from './pacs-error.js';
import { expectOk, type PacsHttp, pacsRequest } from './pacs-http.js';

/**
 * Streams the stored bytes of one instance with WADO-RS Retrieve Instance (PS3.18 10.4.1, Table
 * 10.4.1-1 `/studies/{study}/series/{series}/instances/{instance}`), asking for
 * `transfer-syntax=*` (PS3.18 8.7.3.5.2) so the PACS sends the instance as stored instead of
 * transcoding it. Null when the PACS answers 404.
 *
 * @example
 * const bytes = await wadoRetrieveInstance(http, base, key);
 * if (bytes) for await (const chunk of bytes) out.write(chunk);
 */
export async function wadoRetrieveInstance(
  http: PacsHttp,
  base: string,
  key: InstanceKey,
): Promise<InstanceSource | null> {
  const url = `${base}/studies/${key.studyInstanceUid}/series/${key.seriesInstanceUid}/instances/${key.sopInstanceUid}`;
  const response = await pacsRequest(
    http,
    url,
    { headers: { accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' } },
    'WADO-RS',
  );
  if (response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  await expectOk(response, 'WADO-RS');
  const boundary = boundaryOf(response.headers.get('content-type'));
  if (boundary === null || response.body === null) {
    await response.body?.cancel();
    throw new PacsError('PACS_BAD_RESPONSE', `WADO-RS ${url}: not a multipart answer`);
  }
  return firstPart(response.body as unknown as AsyncIterable<Uint8Array>, boundary);
}
