/**
 * Reads a Secrets Manager secret through the AWS Parameters and Secrets Lambda Extension: a
 * local HTTP call (the extension keeps its own cache), so no bundle carries a Secrets Manager
 * client. The value is also cached here, per secret id, for a few minutes: a request does not
 * even pay the local round trip, and a replaced or rotated value is still picked up without a
 * redeploy.
 *
 * Only reachable inside Lambda (the extension authenticates callers with the function's
 * session token); local code reads its secrets from the environment instead.
 */
import { systemClock } from '../core/ports/index.js';

export const SECRET_TTL_MS = 5 * 60_000;

/** Bounded, so a slow Secrets Manager cannot eat a USSD hop's time budget. */
const TIMEOUT_MS = 2000;

const cache = new Map<string, { value: Promise<string>; until: number }>();

export interface SecretOptions {
  /** Where the extension's port and the session token are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The current time in ms (tests). */
  now?: number;
  ttlMs?: number;
}

export function secretString(secretId: string, opts: SecretOptions = {}): Promise<string> {
  const now = opts.now ?? systemClock.now().getTime();
  const hit = cache.get(secretId);
  if (hit && hit.until > now) return hit.value;
  const value = fetchSecret(secretId, opts.env ?? process.env);
  const entry = { value, until: now + (opts.ttlMs ?? SECRET_TTL_MS) };
  cache.set(secretId, entry);
  // A failed lookup must not stick: the next call tries again (unless a newer one replaced it).
  value.catch(() => {
    if (cache.get(secretId) === entry) cache.delete(secretId);
  });
  return value;
}

async function fetchSecret(secretId: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (!secretId) throw new Error('No secret id given');
  const token = env.AWS_SESSION_TOKEN;
  if (!token) throw new Error('AWS_SESSION_TOKEN is not set: the secrets extension is only reachable inside Lambda');
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const res = await fetch(`http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`, {
    headers: { 'X-Aws-Parameters-Secrets-Token': token },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  // The body of an error may echo the request; the status is enough to diagnose.
  if (!res.ok) throw new Error(`Secrets extension answered ${res.status} for ${secretId}`);
  const body = (await res.json()) as { SecretString?: unknown };
  if (typeof body.SecretString !== 'string' || body.SecretString === '') {
    throw new Error(`Secret ${secretId} has no string value`);
  }
  return body.SecretString;
}

/** For tests: forget every cached secret. */
export function resetSecretCache(): void {
  cache.clear();
}
