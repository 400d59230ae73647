import { useState } from 'preact/hooks';
import { api, type Study, studyPath } from '../api.js';
import { DataTable } from '../components/DataTable.js';
import { Page } from '../components/Page.js';
import { Status } from '../components/Status.js';
import { messageOf, useLoad } from '../hooks.js';
import type { BackCheckRow, EnumeratorStats } from '../../../functions/core/enumerate/supervision.js';

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);

/**
 * Supervision (researchers, admins): assign participants to enumerators, balanced across arms
 * and strata; per enumerator their calls, completion rate, median interview length and share of
 * consistency prompts overridden; the back-check list of interviews to re-call.
 */
export function Enumerators({ study }: { study: Study }) {
  const data = useLoad(() => api<{ enumerators: EnumeratorStats[]; backChecks: BackCheckRow[] }>(studyPath(study.studyId, '/supervision')), [study.studyId]);
  const [ids, setIds] = useState('');
  const [message, setMessage] = useState<string>();
  const assign = async (e: Event) => {
    e.preventDefault();
    try {
      const r = await api<{ assigned: number; changed: number }>(studyPath(study.studyId, '/assignments'), { method: 'POST', body: { mode: 'balanced', enumeratorIds: ids.split(/[\s,]+/).filter(Boolean), onlyUnassigned: true } });
      setMessage(`${r.changed} participants assigned.`);
      data.reload();
    } catch (err) {
      setMessage(messageOf(err));
    }
  };
  return (
    <Page title="Enumerators">
      <form onSubmit={assign}>
        <label for="enumerator-ids">Enumerators (their account names, separated by commas)</label>{' '}
        <input id="enumerator-ids" value={ids} onInput={(e) => setIds((e.target as HTMLInputElement).value)} />{' '}
        <button type="submit">Assign the unassigned, balanced across arms and strata</button>
        {message && <p role="status">{message}</p>}
      </form>
      <Status value={data}>
        {(d) => (
          <>
            <h2>Per enumerator</h2>
            <DataTable columns={['Enumerator', 'Assigned', 'Calls', 'Completed', 'Completion rate', 'Median interview', 'Prompts overridden']} testId="enumerator-stats">
              {d.enumerators.map((s) => (
                <tr key={s.enumeratorId}>
                  <td>{s.enumeratorId}</td>
                  <td>{s.assigned}</td>
                  <td>{s.calls}</td>
                  <td>{s.completed}</td>
                  <td>{pct(s.completionRate)}</td>
                  <td>{s.medianInterviewMs === null ? '–' : `${Math.round(s.medianInterviewMs / 60_000)} min`}</td>
                  <td>{pct(s.overriddenShare)}</td>
                </tr>
              ))}
            </DataTable>
            <h2>Back-checks</h2>
            <DataTable columns={['Participant', 'Week', 'Enumerator', 'Flagged', 'Checked', 'Answers that differ']} testId="back-checks">
              {d.backChecks.map((b) => (
                <tr key={`${b.participantId}-${b.week}`}>
                  <td>{b.participantId}</td>
                  <td>{b.week}</td>
                  <td>{b.enumeratorId ?? '–'}</td>
                  <td>{b.flaggedAt.slice(0, 16)}</td>
                  <td>{b.checkedAt?.slice(0, 16) ?? 'to re-call'}</td>
                  <td>{b.differences ? Object.keys(b.differences).join(', ') || 'none' : '–'}</td>
                </tr>
              ))}
            </DataTable>
          </>
        )}
      </Status>
    </Page>
  );
}
