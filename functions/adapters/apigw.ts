import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * Decodes an `application/x-www-form-urlencoded` body as Africa's Talking sends it. API
 * Gateway HTTP APIs base64-encode such bodies; the local stack does the same.
 */
export function formFields(event: APIGatewayProxyEventV2): Record<string, string> {
  const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  // Names Africa's Talking never sends that would break storing the fields as they came: an
  // empty one (DynamoDB refuses an empty map key) and Object's own (`constructor` makes the SDK's
  // marshaller take the map for a class instance and throw).
  return Object.fromEntries([...new URLSearchParams(raw)].filter(([name]) => name !== '' && !(name in Object.prototype)));
}

/**
 * The path parameters of a matched route, percent-decoded; undefined when an escape is
 * malformed (`%E0%A4%A`), so the caller answers 404 as for any path that names nothing,
 * rather than letting `decodeURIComponent`'s URIError become a 500.
 */
export function decodePathParams(groups: Record<string, string | undefined> | undefined): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(groups ?? {})) {
    try {
      params[name] = decodeURIComponent(value ?? '');
    } catch {
      return undefined;
    }
  }
  return params;
}

/** Constant-time comparison of the path token with any of the accepted tokens. */
export function tokenAccepted(event: APIGatewayProxyEventV2, accepted: readonly string[]): boolean {
  const given = digest(event.pathParameters?.token ?? '');
  let ok = false;
  for (const token of accepted) if (token && timingSafeEqual(given, digest(token))) ok = true;
  return ok;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export function textResponse(statusCode: number, body: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

/** A wrong callback token gets the same answer as a path that does not exist. */
export const notFound = (): APIGatewayProxyStructuredResultV2 => textResponse(404, 'Not Found');
