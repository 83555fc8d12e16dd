import { ApiError } from '@courier/api';
import type { AppContext } from '../context.js';

/** Audit actions the limiter reads: failed logins count, a successful one resets the user's count. */
export const LOGIN_FAILED = 'auth.login_failed';
export const LOGIN_SUCCEEDED = 'auth.login';

/** Failed logins from one address may reach this multiple of the per-user limit (shared NAT of a hospital). */
const ADDRESS_FACTOR = 4;

/**
 * Refuses a login attempt with RATE_LIMITED when the user name has `loginMaxFailures` failed
 * logins in the window since its last success, or the address four times as many. Counting from
 * the audit log keeps the limit right across several Portal instances and restarts.
 *
 * @example
 * await checkLoginRateLimit(context, body.username, request.ip);
 */
export async function checkLoginRateLimit(context: AppContext, username: string, ip: string): Promise<void> {
  const { db, config } = context;
  const now = context.clock();
  const windowStart = new Date(now.getTime() - config.loginWindowMs).toISOString();
  const lastSuccess = await db
    .selectFrom('auditLog')
    .select((eb) => eb.fn.max('at').as('at'))
    .where('action', '=', LOGIN_SUCCEEDED)
    .where('username', '=', username)
    .where('at', '>', windowStart)
    .executeTakeFirst();
  const userSince = lastSuccess?.at != null && lastSuccess.at > windowStart ? lastSuccess.at : windowStart;
  const failures = (since: string, column: 'username' | 'ip', value: string) =>
    db
      .selectFrom('auditLog')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('first')])
      .where('action', '=', LOGIN_FAILED)
      .where(column, '=', value)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
  const byUser = await failures(userSince, 'username', username);
  const byAddress = await failures(windowStart, 'ip', ip);
  const limited =
    Number(byUser.n) >= config.loginMaxFailures
      ? byUser.first
      : Number(byAddress.n) >= config.loginMaxFailures * ADDRESS_FACTOR
        ? byAddress.first
        : null;
  if (limited != null) {
    const retryAt = new Date(limited).getTime() + config.loginWindowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000));
    throw new ApiError('RATE_LIMITED', `retry in ${retryAfterSeconds} s`, { details: { retryAfterSeconds } });
  }
}
