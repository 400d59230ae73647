import { useState } from 'preact/hooks';
import { api, type ParticipantRow, type Role, type Study, studyPath, type TimelineEvent } from '../api.js';
import { Status } from '../components/Status.js';
import { messageOf, useLoad } from '../hooks.js';
import { consentLabel } from '../../../functions/core/console/labels.js';
import { DataTable } from '../components/DataTable.js';
import { Page } from '../components/Page.js';

/** Pseudonymous participants, 50 a page; the API pages with an opaque cursor. */
export function Participants({ study, roles }: { study: Study; roles: Role[] }) {
  const [arm, setArm] = useState('');
  const [exportId, setExportId] = useState('');
  const [search, setSearch] = useState('');
  // The cursors of the pages seen so far, so "Previous" can go back without the API supporting it.
  const [cursors, setCursors] = useState<string[]>(['']);
  const cursor = cursors.at(-1) ?? '';
  const page = useLoad(() => {
    const q = new URLSearchParams(exportId ? { exportId } : { limit: '50', ...(cursor ? { cursor } : {}), ...(arm ? { arm } : {}) });
    return api<{ participants: ParticipantRow[]; nextCursor?: string }>(studyPath(study.studyId, `/participants?${q}`));
  }, [study.studyId, arm, cursor, exportId]);
  return (
    <Page title="Participants">
      <p class="muted">
        Pseudonymous ids only; phone numbers are never listed. Each participant has a console id (used here and on the audit trail) and an export id, the <code>pid</code> of
        their rows in exports and the impact data.
      </p>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setExportId(search.trim().toLowerCase());
          setCursors(['']);
        }}
      >
        <label>
          Find by export id (pid){' '}
          <input value={search} placeholder="09d44989441b9a2e" pattern="[0-9a-fA-F]{16}" title="16 hexadecimal characters, as in an export's pid column" onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Find</button>
        {exportId && (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setExportId('');
              setSearch('');
            }}
          >
            Show all
          </button>
        )}
      </form>
      <label>
        Arm{' '}
        <select
          value={arm}
          onChange={(e) => {
            setArm((e.target as HTMLSelectElement).value);
            setCursors(['']);
          }}
        >
          <option value="">All arms</option>
          {study.arms.map((a) => (
            <option key={a.armId} value={a.armId}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <Status value={page}>
        {(data) => (
          <>
            <DataTable columns={['Console id', 'Export id (pid)', 'Arm', 'Language', 'Channel', 'Consent', 'Cluster', 'Stratum']} caption={<>Participants, page {cursors.length}</>} captionHidden testId="participants-table">
              {data.participants.map((p) => (
                <tr key={p.participantId}>
                  <th scope="row">
                    <a href={`/participants/${encodeURIComponent(p.participantId)}`}>{p.participantId}</a>
                  </th>
                  <td>
                    <code>{p.exportId ?? '–'}</code>
                  </td>
                  <td>{p.arm ?? '–'}</td>
                  <td>{p.language}</td>
                  <td>{p.channel}</td>
                  <td>{consentLabel(p.consent)}</td>
                  <td>{p.cluster ?? '–'}</td>
                  <td>{p.stratum ?? '–'}</td>
                </tr>
              ))}
            </DataTable>
            <div class="actions">
              <button type="button" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>
                Previous page
              </button>
              <button type="button" disabled={!data.nextCursor} onClick={() => data.nextCursor && setCursors([...cursors, data.nextCursor])}>
                Next page
              </button>
            </div>
          </>
        )}
      </Status>
      {roles.includes('admin') && <AuditTrail studyId={study.studyId} />}
    </Page>
  );
}

/** Admins: every phone number revealed, by whom, when and why (newest first). */
function AuditTrail({ studyId }: { studyId: string }) {
  const trail = useLoad(() => api<{ events: { at: string; by: string; byId?: string; action: string; participantId?: string; detail?: string }[] }>(studyPath(studyId, '/audit')), [studyId]);
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <Status value={trail}>
        {({ events }) =>
          events.length === 0 ? (
            <p>No phone number has been revealed.</p>
          ) : (
            <DataTable columns={['When', 'Who', 'What', 'Participant', 'Why']} testId="audit-table">
              {events.map((e, i) => (
                <tr key={i}>
                  <td>
                    <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
                  </td>
                  <td>
                    {/* The email is a label; the account id (Cognito's sub) is who it was, whatever the email says now. */}
                    {e.by}
                    {e.byId ? (
                      <>
                        {' '}
                        <code title="account id">{e.byId}</code>
                      </>
                    ) : null}
                  </td>
                  <td>{e.action}</td>
                  <td>{e.participantId ?? '–'}</td>
                  <td>{e.detail ?? ''}</td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Status>
    </section>
  );
}

/** One participant's weeks as a story: diaries, lessons, messages, complaints, consent. */
export function Timeline({ study, participantId, roles }: { study: Study; participantId: string; roles: Role[] }) {
  const data = useLoad(
    () => api<{ participant: ParticipantRow; events: TimelineEvent[] }>(studyPath(study.studyId, `/participants/${encodeURIComponent(participantId)}/timeline`)),
    [study.studyId, participantId],
  );
  return (
    <section aria-labelledby="page-title">
      <p>
        <a href="/participants">← All participants</a>
      </p>
      <h1 id="page-title" tabIndex={-1}>
        Participant {participantId}
      </h1>
      <Status value={data}>
        {(d) => (
          <>
            <p>
              Console id <code>{d.participant.participantId}</code> · export id (pid) <code data-testid="export-id">{d.participant.exportId ?? '–'}</code>
            </p>
            <p>
              Arm {d.participant.arm ?? '–'} · {d.participant.language} · {d.participant.channel} · consent: {consentLabel(d.participant.consent)}
            </p>
            {roles.includes('admin') && <RevealPhone studyId={study.studyId} participantId={participantId} />}
            <h2>Timeline</h2>
            {d.events.length === 0 ? (
              <p>Nothing has happened yet.</p>
            ) : (
              <ol class="timeline">
                {d.events.map((e, i) => (
                  <li key={i} class={`event event-${e.kind}`}>
                    <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> <span class="tag">{e.kind}</span> <strong>{e.title}</strong>
                    {e.status && <span class="muted"> ({e.status})</span>}
                    {e.detail && <div class="muted">{e.detail}</div>}
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </Status>
    </section>
  );
}

/** Admins only (the API refuses anyone else); the reason goes into the audit log. */
function RevealPhone({ studyId, participantId }: { studyId: string; participantId: string }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [phone, setPhone] = useState<string>();
  const [error, setError] = useState<string>();
  if (phone) return <p class="notice">Phone number: <strong>{phone}</strong> (this reveal is in the audit log)</p>;
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Reveal phone
      </button>
    );
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        setError(undefined);
        api<{ phone: string }>(studyPath(studyId, `/participants/${encodeURIComponent(participantId)}/reveal-phone`), { method: 'POST', body: { reason } }).then(
          (r) => setPhone(r.phone),
          (err: unknown) => setError(messageOf(err)),
        );
      }}
    >
      <label for="reveal-reason">Why do you need this number? (kept in the audit log)</label>
      <textarea id="reveal-reason" required minLength={5} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
      <div class="actions">
        <button type="submit">Reveal phone</button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      {error && <p role="alert" class="error">{error}</p>}
    </form>
  );
}
