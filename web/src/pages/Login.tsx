import { useState } from 'preact/hooks';
import { api, type Me } from '../api.js';
import { messageOf } from '../hooks.js';
import { session } from '../session.js';
import { cognitoConfig, startSignIn } from '../cognito.js';
import { Page } from '../components/Page.js';

/** Why the last return from the hosted UI failed, for the sign-in page to say. */
let redirectError: string | undefined;
export const setSignInError = (message: string) => {
  redirectError = message;
};

/**
 * Sign in. In AWS the console sends people to the Cognito hosted UI; locally it takes one of
 * the tokens `npm start` prints. The token is checked with /me before it is kept.
 */
export function Login() {
  const cognito = cognitoConfig();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(redirectError);
  const [busy, setBusy] = useState(false);
  return (
    <Page title="Sign in to Sauti" class="login">
      {cognito ? (
        <>
          <p>
            <button type="button" onClick={() => void startSignIn()}>
              Sign in with Cognito
            </button>
          </p>
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            setError(undefined);
            api<Me>('/me', { token: token.trim() }).then(
              () => session.signIn(token.trim()),
              (err: unknown) => {
                setBusy(false);
                setError(messageOf(err));
              },
            );
          }}
        >
          <label for="token">Access token</label>
          <input id="token" name="token" type="password" autoComplete="off" aria-describedby="token-hint" required value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
          <p class="hint" id="token-hint">
            Locally: <code>local-researcher</code>, <code>local-ngo</code> or <code>local-admin</code> (printed by <code>npm start</code>).
          </p>
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
        </form>
      )}
      <p>
        Training or trying content? The <a href="/simulator">phone simulator</a> needs no sign-in.
      </p>
    </Page>
  );
}
