import type { ServerConfig } from '../../src/config.js';
import type { DicomStore } from '../../src/storage/dicom-store.js';
import { type RunningPortal, startPortal } from '../portal-harness.js';

/**
 * Like `startPortal` of the server harness, with the DICOM store chosen by the test: a store
 * wrapper that loses or alters bytes, or — `undefined` — the store `buildApp` makes from the
 * configuration (`overrides.store`, e.g. the DICOMweb store of a throw-away Orthanc). Upload
 * sessions live an hour: PACS round trips are slow.
 *
 * @example
 * const portal = await startPortalOn(undefined, { store: { kind: 'dicomweb', url: orthanc.dicomweb, … } });
 */
export function startPortalOn(
  store: DicomStore | undefined,
  overrides: Partial<ServerConfig> = {},
): Promise<RunningPortal> {
  return startPortal({ uploadTtlMs: 60 * 60_000, ...overrides }, store === undefined ? {} : { store });
}
