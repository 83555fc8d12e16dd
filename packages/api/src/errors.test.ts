import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ERROR_CODE_LIST, API_ERROR_CODES, API_ERROR_STATUS, ApiError, isApiErrorCode } from './errors.js';

const docs = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const documented = new Map(
  [...docs.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|\s*(.+?)\s*\|$/gm)].map((m) => [m[1]!, Number(m[2])]),
);

describe('the API error catalogue', () => {
  it('gives every code an upper-case name, a message and an HTTP error status', () => {
    for (const code of API_ERROR_CODE_LIST) {
      expect(code).toMatch(/^[A-Z][A-Z_]+$/);
      expect(API_ERROR_CODES[code].length).toBeGreaterThan(3);
      expect(API_ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
      expect(API_ERROR_STATUS[code]).toBeLessThan(600);
    }
  });

  it('documents every code with the same status in docs/errors.md', () => {
    for (const code of API_ERROR_CODE_LIST) expect(documented.get(code), code).toBe(API_ERROR_STATUS[code]);
  });

  it('documents no code that does not exist', () => {
    expect(documented.size).toBeGreaterThan(0);
    for (const code of documented.keys()) expect(isApiErrorCode(code), code).toBe(true);
  });

  it('answers an expired session with 401 so clients can log in again and resume', () => {
    expect(new ApiError('SESSION_EXPIRED').status).toBe(401);
  });
});

describe('ApiError', () => {
  it('round-trips through its response body', () => {
    const original = new ApiError('VALIDATION_FAILED', 'limit too big', { details: { issues: [{ path: ['limit'] }] } });
    const body = JSON.parse(JSON.stringify(original.toBody()));
    const rebuilt = ApiError.fromBody(body);
    expect(rebuilt.code).toBe('VALIDATION_FAILED');
    expect(rebuilt.message).toBe('the request is not valid: limit too big');
    expect(rebuilt.details).toEqual({ issues: [{ path: ['limit'] }] });
  });

  it('turns an unknown code in a body into INTERNAL_ERROR', () => {
    expect(ApiError.fromBody({ code: 'NO_SUCH_CODE' }).code).toBe('INTERNAL_ERROR');
    expect(ApiError.fromBody('not an object').code).toBe('INTERNAL_ERROR');
  });

  it('keeps the original error as cause', () => {
    const cause = new Error('disk full');
    expect(new ApiError('INTERNAL_ERROR', undefined, { cause }).cause).toBe(cause);
  });
});
