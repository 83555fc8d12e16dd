import { ApiError } from '@courier/api';
import { httpStatusOf } from '@courier/uploader';
import { CliError, EXIT } from '../exit-codes.js';

/**
 * Turns a Portal 401/403 into exit status 4 with the Portal's message; rethrows anything else.
 *
 * @example
 * const me = await client.call(getMe).catch(authFailure);
 */
export function authFailure(error: unknown): never {
  const status = httpStatusOf(error);
  if (error instanceof ApiError && (status === 401 || status === 403)) {
    throw new CliError(EXIT.AUTH, `${error.code}: ${error.message}`);
  }
  throw error;
}
