import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type ServerConfig, stagingRoot } from '../config.js';

/**
 * Where staging lives: the configuration (COURIER_STAGING_DIR, else `<dataDir>/staging`), or a
 * data folder string meaning `<dataDir>/staging`.
 */
export type StagingLocation = string | Pick<ServerConfig, 'dataDir' | 'stagingDir'>;

/**
 * Where the instances of an upload session wait for commit: `<staging root>/<uploadId>/`, one
 * `<SOP Instance UID>.dcm` per accepted instance (the UID is checked against PS3.5 9.1 before it
 * names a file) and `*.part` temp files while a part is being received. Nothing about an upload
 * lives in process memory: the folder (on storage every Portal instance shares) and the database
 * rows are the whole state, so any instance can take any batch or the commit.
 *
 * @example
 * const dir = stagingDir(config, uploadId); // or stagingDir(config.dataDir, uploadId) for <dataDir>/staging
 */
export function stagingDir(location: StagingLocation, uploadId: string): string {
  if (!/^[0-9a-f-]{36}$/.test(uploadId)) throw new RangeError('not an upload id');
  const root = typeof location === 'string' ? join(location, 'staging') : stagingRoot(location);
  return join(root, uploadId);
}

/**
 * The staged file of an accepted instance.
 *
 * @example
 * createReadStream(stagedPath(dir, '2.25.1'));
 */
export function stagedPath(dir: string, sopInstanceUid: string): string {
  return join(dir, `${sopInstanceUid}.dcm`);
}

/**
 * A fresh temp file name for a part being received.
 *
 * @example
 * const temp = tempPartPath(dir);
 */
export function tempPartPath(dir: string): string {
  return join(dir, `${randomBytes(8).toString('hex')}.part`);
}

/**
 * Removes the staging of a session (after commit, or when it expired).
 *
 * @example
 * await removeStaging(config, row.id);
 */
export async function removeStaging(location: StagingLocation, uploadId: string): Promise<void> {
  await rm(stagingDir(location, uploadId), { recursive: true, force: true });
}
