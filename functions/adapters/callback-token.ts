/**
 * The Africa's Talking callback path token(s). Locally from SAUTI_CALLBACK_TOKEN; in AWS from
 * Secrets Manager through the Parameters and Secrets Lambda Extension (secrets.ts: a local
 * HTTP call, so the bundle carries no Secrets Manager client).
 *
 * Rotation without downtime (docs/operations.md): the value is either the token itself, or
 * JSON `{ "current": "…", "previous": "…", "previousValidUntil": "<ISO date-time>" }`. The
 * previous token is accepted until `previousValidUntil` (checked on every request, not only
 * when the secret is read), so the callback URLs at Africa's Talking can be switched to the new
 * token while both work. The secret is cached for a minute: a rotation takes effect without a
 * redeploy. A failed lookup is not cached.
 */
import * as z from 'zod/mini';
import { resetSecretCache, secretString } from './secrets.js';

/** How long a read secret is trusted: the longest a rotation waits to be seen. */
export const CALLBACK_TOKEN_TTL_MS = 60_000;

const rotating = z.object({
  current: z.string().check(z.minLength(1)),
  previous: z.optional(z.string()),
  previousValidUntil: z.optional(z.string()),
});

/** The tokens a value accepts at `now`: the current one, and the previous one within its grace. */
export function acceptedTokens(value: string, now: number): string[] {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{')) return [trimmed];
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new Error('The callback token secret looks like JSON but does not parse; expected {"current", "previous", "previousValidUntil"}');
  }
  const parsed = rotating.safeParse(json);
  if (!parsed.success) throw new Error('The callback token secret needs a non-empty "current" token');
  const { current, previous, previousValidUntil } = parsed.data;
  // No end date, or one that does not parse: the previous token is refused (a grace period must be explicit).
  const until = previousValidUntil ? Date.parse(previousValidUntil) : Number.NaN;
  return previous && until > now ? [current, previous] : [current];
}

export async function callbackTokens(env: NodeJS.ProcessEnv, now: number): Promise<string[]> {
  if (env.SAUTI_CALLBACK_TOKEN) return acceptedTokens(env.SAUTI_CALLBACK_TOKEN, now);
  const secretId = env.CALLBACK_TOKEN_SECRET_ID;
  if (!secretId) throw new Error('Neither SAUTI_CALLBACK_TOKEN nor CALLBACK_TOKEN_SECRET_ID is set');
  return acceptedTokens(await secretString(secretId, { env, now, ttlMs: CALLBACK_TOKEN_TTL_MS }), now);
}

/** For tests: forget the cached token. */
export function resetCallbackTokenCache(): void {
  resetSecretCache();
}
