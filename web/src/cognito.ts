/**
 * Sign-in through the Cognito hosted UI in AWS: the authorization-code flow with PKCE
 * (RFC 7636), as a public client without a secret must use it; the implicit grant would put
 * the token in the URL. The deployment's /config.js gives the hosted UI's base URL
 * (`cognitoDomain`) and the app client id (`userPoolClientId`); locally neither is set and the
 * console takes a typed token instead.
 *
 * The verifier and the state live in sessionStorage for the round trip only.
 */
declare global {
  interface Window {
    SAUTI_CONFIG?: { cognitoDomain?: string; userPoolClientId?: string };
  }
}

const PENDING = 'sauti.pkce';

interface Pending {
  verifier: string;
  state: string;
}

export function cognitoConfig(): { domain: string; clientId: string } | undefined {
  const c = window.SAUTI_CONFIG;
  return c?.cognitoDomain && c.userPoolClientId ? { domain: c.cognitoDomain.replace(/\/+$/, ''), clientId: c.userPoolClientId } : undefined;
}

/** Where the hosted UI sends people back: the console's root. */
const redirectUri = () => `${location.origin}/`;

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomString = (bytes: number) => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** Off to the hosted UI, with a fresh verifier and state kept for the way back. */
export async function startSignIn(): Promise<void> {
  const cfg = cognitoConfig();
  if (!cfg) return;
  const pending: Pending = { verifier: randomString(48), state: randomString(24) };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: cfg.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    state: pending.state,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
  });
  location.assign(`${cfg.domain}/oauth2/authorize?${q}`);
}

/**
 * Back from the hosted UI with `?code=…&state=…`: the code and the verifier are exchanged for
 * tokens; the ID token (it carries the groups and the email) is the bearer token. The code
 * leaves the address bar and the history at once, whatever happens next. Gives the token, or
 * throws with a message for the sign-in page; undefined when this is not a return from Cognito.
 */
export async function finishSignIn(): Promise<string | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const cfg = cognitoConfig();
  if (!code || !cfg) return undefined;
  history.replaceState(null, '', location.pathname);
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  const pending = raw ? (JSON.parse(raw) as Pending) : undefined;
  if (!pending || params.get('state') !== pending.state) throw new Error('The sign-in could not be verified (its state did not match); please sign in again.');
  const res = await fetch(`${cfg.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: cfg.clientId, code, redirect_uri: redirectUri(), code_verifier: pending.verifier }),
  });
  const body = (await res.json().catch(() => ({}))) as { id_token?: string; error?: string };
  if (!res.ok || !body.id_token) throw new Error(`Cognito refused the sign-in${body.error ? ` (${body.error})` : ''}; please sign in again.`);
  return body.id_token;
}
