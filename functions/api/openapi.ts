import { toJSONSchema } from 'zod/mini';
import { type ApiRoute, apiRoutes, bodies } from './routes.js';

/**
 * The admin API as an OpenAPI 3.1 document, generated from the route list (paths, roles) and
 * the zod schemas of the bodies: what is documented is what is validated.
 */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, r] of Object.entries(apiRoutes) as [string, ApiRoute][]) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    (paths[`/api/v1${r.path}`] ??= {})[r.method.toLowerCase()] = {
      operationId: name,
      summary: r.summary,
      description: `Roles: ${r.roles.join(', ')}.`,
      'x-roles': r.roles,
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: toJSONSchema(bodies[r.body], { io: 'input' }) } } } } : {}),
      responses: {
        '200': { description: 'OK (201 when created)', content: { 'application/json': {} } },
        '400': { $ref: '#/components/responses/Problem' },
        '401': { $ref: '#/components/responses/Problem' },
        '403': { $ref: '#/components/responses/Problem' },
        '404': { $ref: '#/components/responses/Problem' },
        '409': { $ref: '#/components/responses/Problem' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Sauti admin API', version, description: 'Studies, enrolment, randomization, balance, campaigns and the outbox. Bearer token: a Cognito JWT in AWS (groups researcher, ngo, admin), a local token in `npm start`.' },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      responses: {
        Problem: {
          description: 'A refusal: what is wrong, and each field at fault',
          content: {
            'application/json': {
              schema: {
                type: 'object', required: ['error'],
                properties: { error: { type: 'string' }, problems: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } } },
              },
            },
          },
        },
      },
    },
  };
}
