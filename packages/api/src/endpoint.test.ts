import { describe, expect, it } from 'vitest';
import { endpointPath } from './endpoint.js';
import { ENDPOINTS } from './endpoints.js';
import { getSubject } from './subjects.js';

describe('endpoint descriptors', () => {
  it('have unique ids and unique method + path pairs', () => {
    expect(new Set(ENDPOINTS.map((e) => e.id)).size).toBe(ENDPOINTS.length);
    expect(new Set(ENDPOINTS.map((e) => `${e.method} ${e.path}`)).size).toBe(ENDPOINTS.length);
  });

  it('declare a params schema naming exactly the parameters of the path', () => {
    for (const endpoint of ENDPOINTS) {
      const inPath = [...endpoint.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
      const parsed = endpoint.params?.safeParse({});
      const missing = parsed?.success === false ? parsed.error.issues.map((issue) => issue.path[0]) : [];
      expect(missing.sort(), endpoint.id).toEqual(inPath.sort());
    }
  });

  it('answer 204 exactly when they have no response schema and no other media type', () => {
    for (const endpoint of ENDPOINTS)
      expect(endpoint.response === undefined, endpoint.id).toBe(
        endpoint.status === 204 || endpoint.id === 'getApiDocs' || endpoint.media !== undefined,
      );
  });
});

describe('endpointPath', () => {
  it('fills and encodes the path parameters', () => {
    expect(endpointPath(getSubject, { studyId: 'a b', subjectId: 'x' })).toBe('/api/studies/a%20b/subjects/x');
  });

  it('refuses a missing parameter', () => {
    expect(() => endpointPath(getSubject, { studyId: 's' })).toThrow(/subjectId/);
  });
});
