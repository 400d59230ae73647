import { useState } from 'preact/hooks';
import { api, type Study, studyPath } from '../api.js';
import { DataTable } from '../components/DataTable.js';
import { Page } from '../components/Page.js';
import { Status } from '../components/Status.js';
import { answerKey } from '../enumerate/queue.js';
import { messageOf, useLoad } from '../hooks.js';
import { navigate } from '../router.js';
import type { CallListRow } from '../../../functions/core/enumerate/call-list.js';

const DISPOSITION_LABELS: Record<string, string> = {
  completed: 'Completed', partial: 'Partial', refused: 'Refused', no_answer: 'No answer', busy: 'Busy', wrong_number: 'Wrong number', call_back: 'Call back', withdrew: 'Withdrew',
};

/**
 * An enumerator's weekly call list: best to call now first, with language, preferred time,
 * attempts and the last outcome. No arm is ever on it; a number is shown only when asked for
 * (the API audits each view).
 */
export function Calls({ study }: { study: Study }) {
  const list = useLoad(() => api<{ week: string; calls: CallListRow[] }>(studyPath(study.studyId, '/calls')), [study.studyId]);
  return (
    <Page title="My calls">
      <Status value={list}>
        {(l) => (
          <>
            <p>
              Week {l.week}: {l.calls.length} to call.
            </p>
            <DataTable columns={['Participant', 'Language', 'Preferred time', 'Attempts', 'Last outcome', 'Why now', 'Actions']} caption="Participants to call, best time first" captionHidden testId="call-list">
              {l.calls.map((c) => (
                <CallRow key={c.participantId} study={study} row={c} onChange={list.reload} />
              ))}
            </DataTable>
          </>
        )}
      </Status>
    </Page>
  );
}

function CallRow({ study, row, onChange }: { study: Study; row: CallListRow; onChange: () => void }) {
  const [phone, setPhone] = useState<string>();
  const [outcome, setOutcome] = useState('no_answer');
  const [callBackAt, setCallBackAt] = useState('');
  const [error, setError] = useState<string>();
  const path = (rest: string) => studyPath(study.studyId, `/calls/${encodeURIComponent(row.participantId)}${rest}`);
  const record = async () => {
    setError(undefined);
    try {
      const at = outcome === 'call_back' ? new Date(callBackAt).toISOString() : undefined;
      await api(path('/attempts'), { method: 'POST', body: { attemptId: answerKey(), disposition: outcome, ...(at ? { callBackAt: at } : {}) } });
      onChange();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const id = `outcome-${row.participantId}`;
  return (
    <tr>
      <td>{row.participantId}</td>
      <td>{row.lang ?? '–'}</td>
      <td>{row.preferredHour === undefined ? 'any' : `${String(row.preferredHour).padStart(2, '0')}:00`}</td>
      <td>{row.attempts}</td>
      <td>{row.lastDisposition ? DISPOSITION_LABELS[row.lastDisposition] : '–'}</td>
      <td>{row.heldBy ? `open by ${row.heldBy}` : row.why}</td>
      <td>
        {phone ? (
          <a href={`tel:${phone}`}>{phone}</a>
        ) : (
          <button type="button" onClick={async () => setPhone(String((await api<{ phone: string }>(path('/phone'), { method: 'POST' })).phone))}>
            Show number
          </button>
        )}{' '}
        <button type="button" onClick={() => navigate(`/calls/${encodeURIComponent(row.participantId)}`)}>
          Interview
        </button>{' '}
        <label for={id}>Outcome</label>{' '}
        <select id={id} value={outcome} onChange={(e) => setOutcome((e.target as HTMLSelectElement).value)}>
          {Object.entries(DISPOSITION_LABELS)
            .filter(([d]) => d !== 'completed')
            .map(([d, label]) => (
              <option key={d} value={d}>
                {label}
              </option>
            ))}
        </select>
        {outcome === 'call_back' && (
          <>
            {' '}
            <label for={`${id}-at`}>Call back at</label> <input id={`${id}-at`} type="datetime-local" value={callBackAt} onInput={(e) => setCallBackAt((e.target as HTMLInputElement).value)} />
          </>
        )}{' '}
        <button type="button" onClick={record}>
          Record
        </button>
        {error && (
          <span role="alert" class="error">
            {' '}
            {error}
          </span>
        )}
      </td>
    </tr>
  );
}
