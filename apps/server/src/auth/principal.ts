import type { Actor } from '../context.js';

/** The authenticated caller of a request. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  systemAdmin: boolean;
  /** How the request authenticated: the session cookie or a personal API token. */
  via: 'session' | 'token';
  /** Set for `via: 'session'`. */
  session: { id: string; csrfToken: string; activeStudyId: string | null; expiresAt: string } | null;
  /** Set for `via: 'token'`. */
  tokenId: string | null;
  ip: string;
}

/**
 * The audit actor of a principal.
 *
 * @example
 * await createSite(db, clock, actorOf(principal), studyId, body);
 */
export function actorOf(principal: Principal): Actor {
  return { userId: principal.userId, username: principal.username, ip: principal.ip };
}
