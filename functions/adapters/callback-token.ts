/**
 * The Africa's Talking callback path token. Locally it comes from SAUTI_CALLBACK_TOKEN; in
 * AWS from Secrets Manager through the Parameters and Secrets Lambda Extension (a local HTTP
 * call, so the bundle carries no Secrets Manager client). Cached for a few minutes so a
 * rotated token is picked up without a redeploy.
 */
const CACHE_MS = 5 * 60_000;
let cached: { tokens: Promise<string[]>; until: number } | undefined;

export function callbackTokens(env: NodeJS.ProcessEnv = process.env, now = Date.now()): Promise<string[]> {
  if (cached && cached.until > now) return cached.tokens;
  const tokens = loadTokens(env);
  cached = { tokens, until: now + CACHE_MS };
  // A failed lookup must not stick: the next request tries again.
  tokens.catch(() => {
    cached = undefined;
  });
  return tokens;
}

async function loadTokens(env: NodeJS.ProcessEnv): Promise<string[]> {
  if (env.SAUTI_CALLBACK_TOKEN) return [env.SAUTI_CALLBACK_TOKEN];
  const secretId = env.CALLBACK_TOKEN_SECRET_ID;
  if (!secretId) throw new Error('Neither SAUTI_CALLBACK_TOKEN nor CALLBACK_TOKEN_SECRET_ID is set');
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const res = await fetch(`http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`, {
    headers: { 'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN ?? '' },
    signal: AbortSignal.timeout(2000),
  });
  if (!res.ok) throw new Error(`Secrets extension answered ${res.status}`);
  const body = (await res.json()) as { SecretString?: string };
  if (!body.SecretString) throw new Error('Callback token secret is empty');
  return [body.SecretString];
}

/** For tests: forget the cached token. */
export function resetCallbackTokenCache(): void {
  cached = undefined;
}
