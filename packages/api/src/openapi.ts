import { z } from 'zod';
import type { AnyEndpoint } from './endpoint.js';
import { API_ERROR_CODE_LIST } from './errors.js';

/** A JSON object (an OpenAPI document or part of one). */
export type JsonObject = { [key: string]: unknown };

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonObject[] {
  if (schema === undefined) return [];
  const object = jsonSchema(schema, 'input');
  const properties = (object.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}

const errorBody: JsonObject = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', enum: [...API_ERROR_CODE_LIST] },
    message: { type: 'string' },
    details: {},
  },
};

/**
 * Builds the OpenAPI 3.1 document of a list of endpoints from their zod schemas (zod emits JSON
 * Schema 2020-12, the dialect of OpenAPI 3.1).
 *
 * @example
 * const document = openApiDocument(ENDPOINTS, { title: 'Courier Portal', version: '0.1.0' });
 */
export function openApiDocument(
  endpoints: readonly AnyEndpoint[],
  info: { title: string; version: string },
): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const endpoint of endpoints) {
    const path = endpoint.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const operation: JsonObject = {
      operationId: endpoint.id,
      summary: endpoint.summary,
      description: `Who may call it: ${endpoint.permission}.`,
      tags: [endpoint.tag],
      parameters: [...parameters(endpoint.params, 'path'), ...parameters(endpoint.query, 'query')],
      responses: {
        [String(endpoint.status)]:
          endpoint.media !== undefined
            ? {
                description: 'Success',
                content: { [endpoint.media]: { schema: { type: 'string', format: 'binary' } } },
              }
            : endpoint.response === undefined
              ? { description: 'Done' }
              : {
                  description: 'Success',
                  content: { 'application/json': { schema: jsonSchema(endpoint.response, 'output') } },
                },
        default: {
          description: 'An error (see the code catalogue)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
      security: endpoint.authenticated ? [{ session: [] }, { bearer: [] }] : [],
    };
    if (endpoint.body !== undefined) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: jsonSchema(endpoint.body, 'input') } },
      };
    }
    paths[path] ??= {};
    paths[path][endpoint.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { Error: errorBody },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'courier_session' },
        bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token' },
      },
    },
  };
}
