import { useEffect, useRef, useState } from 'preact/hooks';
import diary from '../../../content/questionnaires/diary.json' with { type: 'json' };
import type { Question, Questionnaire } from '../../../functions/core/content/schema.js';
import type { ConsistencyPrompt } from '../../../functions/core/enumerate/consistency.js';
import { isAsked } from '../../../functions/core/questionnaire/walk.js';
import { ApiFailure, api, type Study, studyPath } from '../api.js';
import { Page } from '../components/Page.js';
import { answerKey, enqueue, flush, type QueuedAnswer } from '../enumerate/queue.js';
import { messageOf } from '../hooks.js';
import { navigate } from '../router.js';

const form = diary as unknown as Questionnaire;
type Values = Record<string, string | number | string[] | null>;

/** The API's interview view (core/enumerate/interview.ts `InterviewView`, repeated: that module reads Node ports). */
interface InterviewView {
  participantId: string;
  week: string;
  studyWeek: number;
  lang?: string;
  answers: Record<string, { value: string | number | string[] | null; channel: string; at: string; fromPhone: boolean }>;
  complete: boolean;
  prompts: ConsistencyPrompt[];
}

/**
 * The interview screen: the diary as the questionnaire engine asks it (skip logic and rotation
 * from core/questionnaire/walk.ts, validation by the API with USSD's messages), the question in
 * the participant's language beside the enumerator's, each answer saved as it is given (queued
 * when offline), answers that came by phone marked, and the consistency prompts of the diary
 * method as figures are typed.
 */
export function Interview({ study, participantId }: { study: Study; participantId: string }) {
  const [view, setView] = useState<InterviewView>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(0);
  const [mine, setMine] = useState(study.languages.includes('en') ? 'en' : (study.languages[0] ?? 'en'));
  const started = useRef(performance.now());
  const shownPrompts = useRef(new Set<string>());
  const path = (rest: string) => studyPath(study.studyId, `/calls/${encodeURIComponent(participantId)}${rest}`);

  useEffect(() => {
    api<{ interview: InterviewView }>(path('/open'), { method: 'POST' }).then((r) => setView(r.interview), (err: unknown) => setError(messageOf(err)));
    const online = () => void send();
    addEventListener('online', online);
    return () => removeEventListener('online', online);
  }, [participantId]);

  const post = async (a: QueuedAnswer) => {
    const r = await api<{ saved: boolean; view: InterviewView; conflict?: { value: unknown } }>(a.path, { method: 'POST', body: a.body });
    setView(r.view);
    if (!r.saved) setNotice((n) => ({ ...n, [a.body.questionId]: `Answered by phone meanwhile (${JSON.stringify(r.conflict?.value)}): read it back before changing it.` }));
  };
  const send = async () => {
    await flush(async (a) => {
      try {
        await post(a);
      } catch (err) {
        if (err instanceof ApiFailure) setNotice((n) => ({ ...n, [a.body.questionId]: err.message }));
        throw err;
      }
    });
    setPending(JSON.parse(localStorage.getItem('sauti.interview.queue') ?? '[]').length);
  };

  if (error) return <Page title={`Interview ${participantId}`}><p role="alert" class="error">{error}</p></Page>;
  if (!view) return <p role="status" class="muted">Loading…</p>;
  const values: Values = Object.fromEntries(Object.entries(view.answers).map(([id, a]) => [id, a.value]));
  const live = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null)) as Record<string, string | number | string[]>;
  const theirs = view.lang ?? 'en';
  const promptOn = (q: Question) => view.prompts.filter((p) => p.questions.includes(q.id));

  const save = async (q: Question, input: string) => {
    setNotice((n) => ({ ...n, [q.id]: '' }));
    const prompts = promptOn(q);
    for (const p of prompts) shownPrompts.current.add(p.id);
    const stored = view.answers[q.id];
    enqueue({ path: path('/answers'), body: { questionId: q.id, input, key: answerKey(), lang: mine, ...(stored ? { basedOn: stored.at } : {}), ...(prompts.length > 0 ? { overrodePrompt: true } : {}) } });
    await send();
  };
  const finish = async (disposition: 'completed' | 'partial') => {
    await send();
    await api(path('/attempts'), { method: 'POST', body: { attemptId: answerKey(), disposition, durationMs: Math.round(performance.now() - started.current), promptsShown: shownPrompts.current.size } });
    navigate('/calls');
  };

  return (
    <Page title={`Interview ${participantId} (${view.week})`}>
      <p>
        <label for="my-lang">My language</label>{' '}
        <select id="my-lang" value={mine} onChange={(e) => setMine((e.target as HTMLSelectElement).value)}>
          {study.languages.map((l) => <option key={l} value={l}>{l}</option>)}
        </select>{' '}
        Participant's language: {theirs}. {pending > 0 && <strong role="status">{pending} answer(s) waiting for the connection.</strong>}
      </p>
      <ol class="interview">
        {form.questions.filter((q) => isAsked(q, live, view.studyWeek)).map((q) => (
          <li key={q.id} data-question={q.id}>
            <QuestionField q={q} theirs={theirs} mine={mine} answer={view.answers[q.id]} notice={notice[q.id]} prompts={promptOn(q).map((p) => p.message)} onSave={(input) => save(q, input)} />
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => finish('completed')}>Finish: completed</button>{' '}
      <button type="button" onClick={() => finish('partial')}>Stop: partial</button>
    </Page>
  );
}

function QuestionField(props: { q: Question; theirs: string; mine: string; answer?: InterviewView['answers'][string]; notice?: string; prompts: string[]; onSave: (input: string) => void }) {
  const { q, answer } = props;
  const [input, setInput] = useState('');
  const id = `q-${q.id}`;
  const choices = q.type === 'select_one' || q.type === 'select_multiple' ? q.choices : [];
  return (
    <div class="question">
      <div class="side-by-side">
        <p lang={props.theirs}>{q.label[props.theirs] ?? q.id}</p>
        {props.mine !== props.theirs && <p lang={props.mine} class="muted">{q.label[props.mine] ?? q.id}</p>}
      </div>
      {choices.length > 0 && <p class="muted">{choices.map((c, i) => `${i + 1}. ${c.label[props.mine] ?? c.name}`).join('  ')}</p>}
      {answer && (
        <p data-testid={`answer-${q.id}`}>
          Saved: <strong>{JSON.stringify(answer.value)}</strong> {answer.fromPhone ? <span class="badge">from the participant's phone ({answer.channel})</span> : <span class="badge">this interview</span>}
        </p>
      )}
      <label for={id}>Answer</label>{' '}
      <input id={id} value={input} onInput={(e) => setInput((e.target as HTMLInputElement).value)} />{' '}
      <button type="button" onClick={() => props.onSave(input)}>Save</button>
      {props.notice && <p role="alert" class="error">{props.notice}</p>}
      {props.prompts.map((m) => <p key={m} role="alert" class="warning" data-testid="consistency-prompt">{m}</p>)}
    </div>
  );
}
