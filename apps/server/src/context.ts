import type { Kysely } from 'kysely';
import type { ServerConfig } from './config.js';
import type { Database } from './database/schema.js';
import type { DicomStore } from './storage/dicom-store.js';

/** Returns "now"; injected so tests can move time (session expiry, rate-limit windows). */
export type Clock = () => Date;

/**
 * What every plugin of the Portal receives: the database, the configuration, the clock and the
 * DICOM store.
 * Passed as plugin options rather than global decorators, so each plugin states what it uses.
 *
 * @example
 * await app.register(authPlugin, { context });
 */
export interface AppContext {
  readonly db: Kysely<Database>;
  readonly config: ServerConfig;
  readonly clock: Clock;
  /** Where committed studies go (default: the file-system store under `<dataDir>/dicom`). */
  readonly store: DicomStore;
}

/** Who performs a change, as the audit log records it. */
export interface Actor {
  userId: string | null;
  username: string;
  ip: string | null;
}

/** The actor for changes the Portal makes itself (migrations, demo seed). */
export const SYSTEM_ACTOR: Actor = { userId: null, username: 'system', ip: null };
