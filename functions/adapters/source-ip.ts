import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * Guards of the Africa's Talking callbacks (USSD hop, SMS, delivery reports, session events),
 * applied before anything is read or written, so a refused request changes nothing:
 * - an optional source-IP allowlist, `AT_SOURCE_IPS`: comma-separated IPv4 CIDRs (a bare
 *   address means /32), matched against API Gateway's `requestContext.http.sourceIp`. Unset or
 *   empty: every source is accepted (the path token is still required). IPv6 sources never
 *   match an IPv4 list. An entry that does not parse matches nothing (fail closed: a typo
 *   must not open the gate);
 * - a body limit: API Gateway accepts up to 10 MB, Africa's Talking sends well under 1 KB, the
 *   local server refuses more than 64 KB; the Lambda refuses the same.
 */

export const MAX_CALLBACK_BODY_BYTES = 64 * 1024;

export interface Cidr {
  network: number;
  prefix: number;
}

/** An IPv4 address as an unsigned 32-bit number, or undefined when it is not one. */
export function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.trim().split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

/** `a.b.c.d/n` (or a bare address, /32), or undefined when it does not parse. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, bits, extra] = text.trim().split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  const ip = ipv4ToInt(addr);
  const prefix = bits === undefined ? 32 : /^\d{1,2}$/.test(bits) ? Number(bits) : Number.NaN;
  if (ip === undefined || !(prefix >= 0 && prefix <= 32)) return undefined;
  return { network: ip - (ip % 2 ** (32 - prefix)), prefix };
}

/** Whether an IPv4 address lies in the block (arithmetic, not bitwise: JS bit operators are signed). */
export function inCidr(ip: string, cidr: Cidr): boolean {
  const n = ipv4ToInt(ip);
  if (n === undefined) return false;
  const size = 2 ** (32 - cidr.prefix);
  return n - (n % size) === cidr.network;
}

/** The allowlist of the environment: undefined when none is configured (every source allowed). */
export function allowlistFromEnv(env: NodeJS.ProcessEnv = process.env, variable = 'AT_SOURCE_IPS'): (Cidr | undefined)[] | undefined {
  const raw = env[variable]?.trim();
  if (!raw) return undefined;
  return raw.split(',').filter((s) => s.trim() !== '').map(parseCidr);
}

export function sourceAllowed(sourceIp: string | undefined, allowlist: readonly (Cidr | undefined)[] | undefined): boolean {
  if (!allowlist) return true;
  return sourceIp !== undefined && allowlist.some((c) => c !== undefined && inCidr(sourceIp, c));
}

/** The body's size in bytes as the client sent it (API Gateway base64-encodes form bodies). */
export function bodyBytes(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): number {
  if (!event.body) return 0;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').length : Buffer.byteLength(event.body, 'utf8');
}

/** A refusal (403 for a source outside the allowlist, 413 for an oversize body), or undefined to go on. */
export function callbackRefusal(event: APIGatewayProxyEventV2, env: NodeJS.ProcessEnv = process.env): APIGatewayProxyStructuredResultV2 | undefined {
  const text = (statusCode: number, body: string) => ({ statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });
  // Infobip's webhooks come from Infobip's addresses, with a list of their own.
  const variable = event.rawPath?.startsWith('/hooks/') ? 'INFOBIP_SOURCE_IPS' : 'AT_SOURCE_IPS';
  if (!sourceAllowed(event.requestContext?.http?.sourceIp, allowlistFromEnv(env, variable))) return text(403, 'Forbidden');
  if (bodyBytes(event) > MAX_CALLBACK_BODY_BYTES) return text(413, 'Payload Too Large');
  return undefined;
}
