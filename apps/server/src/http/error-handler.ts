import { ApiError } from '@courier/api';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** Unique-constraint violations of SQLite (better-sqlite3 code) and PostgreSQL (SQLSTATE 23505). */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/**
 * Turns any error into the API's error body: ApiError as is; fastify's own client errors (bad
 * JSON, wrong content type, body too large) into VALIDATION_FAILED or PAYLOAD_TOO_LARGE; unique
 * violations into ALREADY_EXISTS; anything else into a logged INTERNAL_ERROR without internals.
 *
 * @example
 * app.setErrorHandler(apiErrorHandler);
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isUniqueViolation(error)) return new ApiError('ALREADY_EXISTS', undefined, { cause: error });
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.statusCode === 413) return new ApiError('PAYLOAD_TOO_LARGE', undefined, { cause: error });
  if (fastifyError.statusCode === 415) return new ApiError('UNSUPPORTED_MEDIA_TYPE', undefined, { cause: error });
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new ApiError('VALIDATION_FAILED', fastifyError.message, { cause: error });
  }
  return new ApiError('INTERNAL_ERROR', undefined, { cause: error });
}

/** Fastify error handler answering with {@link toApiError}'s body. */
export function apiErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const apiError = toApiError(error);
  if (apiError.code === 'INTERNAL_ERROR') request.log.error({ err: error }, 'request failed');
  if (apiError.code === 'RATE_LIMITED') {
    const retry = (apiError.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (retry !== undefined) reply.header('retry-after', String(retry));
  }
  reply.status(apiError.status).send(apiError.toBody());
}
