import { useState } from 'preact/hooks';
import type { StaffUser } from '../../../functions/core/users.js';
import { api } from '../api.js';
import { Status } from '../components/Status.js';
import { messageOf, useLoad } from '../hooks.js';
import type { Role } from '../roles.js';
import { DataTable } from '../components/DataTable.js';
import { Page } from '../components/Page.js';

const ROLE_LABELS: Record<Role, string> = { researcher: 'Researcher', ngo: 'NGO staff', admin: 'Admin', enumerator: 'Enumerator', provider: 'Provider desk' };
const ROLE_LIST = Object.keys(ROLE_LABELS) as Role[];

/**
 * Staff accounts (admins): who may sign in with which role. In AWS an invitation is emailed by
 * Cognito; locally the answer carries the new account's token, shown once here.
 */
export function Users({ me }: { me: string }) {
  const users = useLoad(() => api<{ users: StaffUser[] }>('/users'), []);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('researcher');
  const [note, setNote] = useState<string>();
  const [error, setError] = useState<string>();
  const act = (p: Promise<unknown>, done: string) =>
    p.then(
      () => {
        setError(undefined);
        setNote(done);
        users.reload();
      },
      (err: unknown) => setError(messageOf(err)),
    );

  return (
    <Page title="Staff accounts">
      <form
        class="card"
        aria-labelledby="invite-title"
        onSubmit={(e) => {
          e.preventDefault();
          api<{ user: StaffUser; token?: string }>('/users', { method: 'POST', body: { email: email.trim(), role } }).then(
            (r) => {
              setError(undefined);
              setEmail('');
              setNote(r.token ? `Invited ${r.user.email}. Their token (shown once): ${r.token}` : `Invited ${r.user.email}: Cognito emails them a temporary password.`);
              users.reload();
            },
            (err: unknown) => setError(messageOf(err)),
          );
        }}
      >
        <h2 id="invite-title">Invite someone</h2>
        <label for="invite-email">Email</label>
        <input id="invite-email" type="email" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        <label for="invite-role">Role</label>
        <select id="invite-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as Role)}>
          {ROLE_LIST.map((r) => (
            <option value={r}>{ROLE_LABELS[r]}</option>
          ))}
        </select>
        <button type="submit">Invite</button>
      </form>
      {note && (
        <p role="status" class="card" data-testid="users-note">
          {note}
        </p>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <Status value={users}>
        {(data) => (
          <DataTable columns={['Email', 'Role', 'Status', 'Actions']} caption={<>Accounts ({data.users.length})</>} layout="wrap" testId="users-table">
            {data.users.map((u) => (
              <tr key={u.username}>
                <td>{u.email}</td>
                <td>
                  {u.configured ? (
                    u.roles.map((r) => ROLE_LABELS[r]).join(', ')
                  ) : (
                    <select
                      aria-label={`Role of ${u.email}`}
                      value={u.roles[0] ?? ''}
                      disabled={!u.enabled}
                      onChange={(e) => void act(api(`/users/${encodeURIComponent(u.username)}/role`, { method: 'POST', body: { role: (e.target as HTMLSelectElement).value } }), `${u.email} is now ${ROLE_LABELS[(e.target as HTMLSelectElement).value as Role]}.`)}
                    >
                      {ROLE_LIST.map((r) => (
                        <option value={r}>{ROLE_LABELS[r]}</option>
                      ))}
                    </select>
                  )}
                </td>
                <td>{u.configured ? 'set in the configuration' : u.enabled ? u.status : 'disabled'}</td>
                <td>
                  {!u.configured && u.enabled && u.email !== me && (
                    <button type="button" onClick={() => void act(api(`/users/${encodeURIComponent(u.username)}/disable`, { method: 'POST' }), `${u.email} is disabled.`)}>
                      Disable <span class="visually-hidden">{u.email}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Status>
    </Page>
  );
}
