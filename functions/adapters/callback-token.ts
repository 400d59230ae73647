/**
 * The Africa's Talking callback path token. Locally it comes from SAUTI_CALLBACK_TOKEN; in
 * AWS from Secrets Manager through the Parameters and Secrets Lambda Extension (secrets.ts: a
 * local HTTP call, so the bundle carries no Secrets Manager client). Cached for a few minutes
 * so a rotated token is picked up without a redeploy; a failed lookup is not cached.
 */
import { resetSecretCache, secretString } from './secrets.js';

export async function callbackTokens(env: NodeJS.ProcessEnv = process.env, now = Date.now()): Promise<string[]> {
  if (env.SAUTI_CALLBACK_TOKEN) return [env.SAUTI_CALLBACK_TOKEN];
  const secretId = env.CALLBACK_TOKEN_SECRET_ID;
  if (!secretId) throw new Error('Neither SAUTI_CALLBACK_TOKEN nor CALLBACK_TOKEN_SECRET_ID is set');
  return [await secretString(secretId, { env, now })];
}

/** For tests: forget the cached token. */
export function resetCallbackTokenCache(): void {
  resetSecretCache();
}
