import { type ComponentChildren, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles.css';
import { api, type Me, type Study } from './api.js';
import { Status } from './components/Status.js';
import { messageOf, useLoad } from './hooks.js';
import { pageOf, pagesFor } from './nav.js';
import { Campaigns } from './pages/Campaigns.js';
import { Content } from './pages/Content.js';
import { Exports } from './pages/Exports.js';
import { Login, setSignInError } from './pages/Login.js';
import { Overview } from './pages/Overview.js';
import { Participants, Timeline } from './pages/Participants.js';
import { Simulator } from './pages/Simulator.js';
import { Users } from './pages/Users.js';
import { Calls } from './pages/Calls.js';
import { Enumerators } from './pages/Enumerators.js';
import { Interview } from './pages/Interview.js';
import { navigate, onLinkClick, usePath } from './router.js';
import { session } from './session.js';
import { finishSignIn } from './cognito.js';
import { Page } from './components/Page.js';

function useSignedIn(): string | undefined {
  const [token, setToken] = useState(session.token());
  useEffect(() => session.onChange(() => setToken(session.token())), []);
  return token;
}

/** Moves focus to the new page's heading, so keyboard and screen-reader users land on it. */
function useFocusOnNavigate(path: string): void {
  useEffect(() => {
    document.getElementById('page-title')?.focus({ preventScroll: true });
  }, [path]);
}

function App() {
  const path = usePath();
  const token = useSignedIn();
  useFocusOnNavigate(path);
  // The simulator is open without sign-in (local stack): training needs no account.
  if (!token) {
    return (
      <Shell nav={<a href="/simulator">Phone simulator</a>}>
        {path === '/simulator' ? <Simulator /> : <Login />}
      </Shell>
    );
  }
  return <SignedIn path={path} token={token} />;
}

function SignedIn({ path, token }: { path: string; token: string }) {
  const me = useLoad(() => api<Me>('/me'), [token]);
  const studies = useLoad(() => api<{ studies: Study[] }>('/studies'), [token]);
  return (
    <Status value={me}>
      {(who) => {
        const pages = pagesFor(who.roles);
        const nav = (
          <>
            <ul class="nav-links">
              {pages.map((p) => (
                <li key={p.path}>
                  <a href={p.path} aria-current={pageOf(path)?.path === p.path ? 'page' : undefined}>
                    {p.label}
                  </a>
                </li>
              ))}
            </ul>
            <span class="who">
              {who.name} ({who.roles.join(', ')}){' '}
              <button type="button" class="link" onClick={() => session.signOut()}>
                Sign out
              </button>
            </span>
          </>
        );
        // An enumerator's home is their call list: the overview would show arms.
        if (path === '/' && who.roles.every((r) => r === 'enumerator')) queueMicrotask(() => navigate('/calls'));
        const page = pageOf(path);
        const allowed = page && pages.includes(page);
        return (
          <Shell nav={nav}>
            {path === '/simulator' ? (
              <Simulator />
            ) : path === '/users' && allowed ? (
              <Users me={who.name} />
            ) : !allowed ? (
              <Page title="Not available">
                <p>This page does not exist or is not open to your role ({who.roles.join(', ')}).</p>
                <p>
                  <a href="/">Back to the overview</a>
                </p>
              </Page>
            ) : (
              <Status value={studies}>{(s) => <StudyPages path={path} studies={s.studies} roles={who.roles} />}</Status>
            )}
          </Shell>
        );
      }}
    </Status>
  );
}

function StudyPages({ path, studies, roles }: { path: string; studies: Study[]; roles: Me['roles'] }) {
  const [studyId, setStudyId] = useState(() => session.study() ?? studies[0]?.studyId ?? '');
  const study = studies.find((s) => s.studyId === studyId) ?? studies[0];
  if (!study) return <p>No study yet. Create one with the CLI or POST /api/v1/studies.</p>;
  const participant = /^\/participants\/([^/]+)$/.exec(path)?.[1];
  const interview = /^\/calls\/([^/]+)$/.exec(path)?.[1];
  return (
    <>
      {studies.length > 1 && (
        <label class="study-picker">
          Study{' '}
          <select
            value={study.studyId}
            onChange={(e) => {
              const id = (e.target as HTMLSelectElement).value;
              session.setStudy(id);
              setStudyId(id);
            }}
          >
            {studies.map((s) => (
              <option key={s.studyId} value={s.studyId}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {path === '/' && <Overview studyId={study.studyId} />}
      {path === '/participants' && <Participants study={study} roles={roles} />}
      {participant && <Timeline study={study} participantId={decodeURIComponent(participant)} roles={roles} />}
      {path === '/campaigns' && <Campaigns study={study} roles={roles} />}
      {path === '/content' && <Content study={study} />}
      {path === '/exports' && <Exports study={study} />}
      {path === '/calls' && <Calls study={study} />}
      {interview && <Interview study={study} participantId={decodeURIComponent(interview)} />}
      {path === '/enumerators' && <Enumerators study={study} />}
    </>
  );
}

function Shell({ nav, children }: { nav: ComponentChildren; children: ComponentChildren }) {
  return (
    <div class="shell" onClick={(e) => onLinkClick(e as unknown as MouseEvent)}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a href="/" class="brand">
          Sauti
        </a>
        <nav aria-label="Console">{nav}</nav>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** Back from the Cognito hosted UI (cognito.ts) the code becomes the session's token; then the app. */
async function boot(): Promise<void> {
  try {
    const token = await finishSignIn();
    if (token) session.signIn(token);
  } catch (err) {
    setSignInError(messageOf(err));
  }
  const root = document.getElementById('app');
  if (root) {
    root.textContent = '';
    render(<App />, root);
  }
}

void boot();
