import { ApiError, createUpload, getMe, type SlotParameters } from '@courier/api';
import { call, setCsrfToken } from '../api/client.js';
import type { SlotRef } from '../portal/uploader-link.js';

/** The result of Connect: the session is valid, and what is known of the slot's parameters. */
export type Connection =
  | { kind: 'session'; uploadId: string; expiresAt: string; parameters: SlotParameters }
  /** The Portal has no upload-session endpoint yet: the overview stands in for the parameters. */
  | { kind: 'read-only' };

function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'NOT_FOUND' && /no route/.test(error.message);
}

/**
 * "Connect": checks the Portal session (`GET /api/me`, which also hands out the CSRF token), then
 * opens an upload session for the slot (`POST /api/uploads`), whose answer carries the slot
 * parameters — pseudonym, de-identification profile, UID key, limits. Throws ApiError with
 * AUTH_REQUIRED or SESSION_EXPIRED when the user must log in first.
 *
 * @example
 * const connection = await connect(ref);
 */
export async function connect(ref: SlotRef): Promise<Connection> {
  const me = await call(getMe);
  setCsrfToken(me.csrfToken);
  try {
    const session = await call(createUpload, { body: ref });
    return { kind: 'session', uploadId: session.id, expiresAt: session.expiresAt, parameters: session.slot };
  } catch (error) {
    if (isMissingRoute(error)) return { kind: 'read-only' };
    throw error;
  }
}
