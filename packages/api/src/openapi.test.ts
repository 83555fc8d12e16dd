import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from './endpoints.js';
import { openApiDocument } from './openapi.js';

const document = openApiDocument(ENDPOINTS, { title: 'Courier Portal', version: 'test' });
const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;

describe('openApiDocument', () => {
  it('lists every endpoint once under its OpenAPI path and method', () => {
    const operations = Object.values(paths).flatMap((methods) => Object.values(methods));
    expect(operations).toHaveLength(ENDPOINTS.length);
    const login = paths['/api/auth/login']?.post;
    expect(login?.operationId).toBe('login');
    expect(paths['/api/studies/{studyId}/subjects/{subjectId}']?.get?.operationId).toBe('getSubject');
  });

  it('declares the path parameters and the defaults of the query', () => {
    const list = paths['/api/studies/{studyId}/subjects']?.get as { parameters: Record<string, unknown>[] };
    expect(list.parameters).toContainEqual(expect.objectContaining({ name: 'studyId', in: 'path', required: true }));
    const limit = list.parameters.find((p) => p.name === 'limit');
    expect(limit).toMatchObject({ in: 'query', required: false, schema: { default: 50, maximum: 200 } });
  });

  it('describes request bodies as JSON schemas with their required fields', () => {
    const body = paths['/api/auth/login']?.post?.requestBody as {
      content: { 'application/json': { schema: { required: string[] } } };
    };
    expect(body.content['application/json'].schema.required).toEqual(['username', 'password']);
  });

  it('marks login as public and everything else but the document as authenticated', () => {
    for (const [path, methods] of Object.entries(paths)) {
      for (const operation of Object.values(methods)) {
        const isPublic = ['login', 'getApiDocs'].includes(operation.operationId as string);
        expect((operation.security as unknown[]).length === 0, path).toBe(isPublic);
      }
    }
  });
});
