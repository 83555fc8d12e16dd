import type {} from '@fastify/cookie';
import type { FastifyReply } from 'fastify';

/** The HttpOnly cookie holding the session token. */
export const SESSION_COOKIE = 'courier_session';
/** A readable cookie holding the CSRF token, for the double-submit `x-csrf-token` header. */
export const CSRF_COOKIE = 'courier_csrf';
/** The header carrying the CSRF token on cookie-authenticated state changes. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Sets both cookies. Session cookies (no Max-Age): the server's idle timeout decides when the
 * session ends. SameSite=Lax keeps them off cross-site POSTs; Secure when served over TLS.
 *
 * @example
 * setSessionCookies(reply, token, csrfToken, config.secureCookies);
 */
export function setSessionCookies(reply: FastifyReply, token: string, csrfToken: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  reply.setCookie(CSRF_COOKIE, csrfToken, { path: '/', httpOnly: false, sameSite: 'lax', secure });
}

/** Clears both cookies (logout). */
export function clearSessionCookies(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  reply.clearCookie(CSRF_COOKIE, { path: '/', httpOnly: false, sameSite: 'lax', secure });
}
