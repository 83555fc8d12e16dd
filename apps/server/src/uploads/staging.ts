import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where the instances of an upload session wait for commit: `<dataDir>/staging/<uploadId>/`, one
 * `<SOP Instance UID>.dcm` per accepted instance (the UID is checked against PS3.5 9.1 before it
 * names a file) and `*.part` temp files while a part is being received.
 *
 * @example
 * const dir = stagingDir(config.dataDir, uploadId);
 */
export function stagingDir(dataDir: string, uploadId: string): string {
  if (!/^[0-9a-f-]{36}$/.test(uploadId)) throw new RangeError('not an upload id');
  return join(dataDir, 'staging', uploadId);
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
 * await removeStaging(config.dataDir, row.id);
 */
export async function removeStaging(dataDir: string, uploadId: string): Promise<void> {
  await rm(stagingDir(dataDir, uploadId), { recursive: true, force: true });
}
