import type { Content, Question } from '../content/schema.js';
import { type DiaryAnswer, nextWeekRecord, type WeekRecord } from '../diary/week-record.js';
import { StaleSessionError } from '../errors.js';
import type { AnswerValue, Lang, Participant, Study } from '../model.js';
import type { AuditStore, Clock, DiaryWeekStore, EnumerationStore, ForgetStore, ParticipantStore } from '../ports/index.js';
import { parseAnswer } from '../questionnaire/answer.js';
import { studyWeekAt } from '../time/study-calendar.js';
import { consistencyPrompts, type ConsistencyPrompt, median } from './consistency.js';
import { EnumerationError } from './errors.js';
import { type CallRecord, emptyCallRecord, enumerationSettings, type EnumeratorId } from './model.js';

/**
 * The interview screen's use cases: open a participant (their assignment checked, a hold taken
 * so a second enumerator sees who has them), save one answer, and the week as the screen shows
 * it. An answer goes into the participant's diary week through the very conditional write USSD
 * uses (`saveWeek` on the record's version): a lost race re-reads and applies the answer again,
 * so a USSD session typing into the same week at the same moment loses nothing and nothing is
 * counted twice. An answer the phone gave stands: the enumerator may replace it only having
 * seen it (`basedOn`), and the screen marks it as the phone's.
 */
export interface InterviewDeps {
  participants: Pick<ForgetStore, 'findById'> & Pick<ParticipantStore, 'saveParticipant'>;
  diary: Pick<DiaryWeekStore, 'saveWeek' | 'listWeeks'>;
  calls: EnumerationStore;
  audit: AuditStore;
  content: Content;
  clock: Clock;
}

export interface InterviewAnswer {
  value: AnswerValue | null;
  channel: DiaryAnswer['channel'];
  at: string;
  /** Came by the participant's own phone (USSD, SMS, voice), not this interview. */
  fromPhone: boolean;
}

export interface InterviewView {
  participantId: string;
  week: string;
  studyWeek: number;
  lang?: Lang;
  answers: Record<string, InterviewAnswer>;
  complete: boolean;
  prompts: ConsistencyPrompt[];
  usualSaving?: number;
  heldBy?: EnumeratorId;
}

const RETRIES = 8;

/** The participant, if they are this enumerator's and may still be asked; else a refusal in words. */
export async function participantFor(deps: InterviewDeps, study: Study, participantId: string, enumeratorId: EnumeratorId): Promise<Participant> {
  const assignment = await deps.calls.assignment(study.studyId, participantId);
  if (!assignment || assignment.enumeratorId !== enumeratorId) throw new EnumerationError('notFound', `Participant ${participantId} is not on your list.`);
  const found = await deps.participants.findById(study.studyId, participantId);
  const p = found.active;
  if (!p || p.forgotten || p.consent.state !== 'consented') throw new EnumerationError('stopped', 'This participant has withdrawn or been forgotten: the interview stops and nothing more is saved.');
  return p;
}

export async function weekRecordOf(deps: InterviewDeps, p: Participant, week: string): Promise<WeekRecord | undefined> {
  return (await deps.diary.listWeeks(p.studyId, p.phone, week, week))[0];
}

/** Opens the interview: refuses when another enumerator holds the participant, else takes the hold. */
export async function openInterview(deps: InterviewDeps, study: Study, participantId: string, enumeratorId: EnumeratorId): Promise<InterviewView> {
  const p = await participantFor(deps, study, participantId, enumeratorId);
  const now = deps.clock.now();
  const week = studyWeekAt(study, now);
  await updateCallRecord(deps, study.studyId, week.id, participantId, (r) => {
    if (r.holder && r.holder.enumeratorId !== enumeratorId && Date.parse(r.holder.until) > now.getTime()) {
      throw new EnumerationError('held', `${r.holder.enumeratorId} has this participant open until ${r.holder.until}.`, { heldBy: r.holder.enumeratorId });
    }
    const until = new Date(now.getTime() + enumerationSettings(study).holdMinutes * 60_000).toISOString();
    const open = r.interviews.at(-1);
    const interviews = open && open.enumeratorId === enumeratorId && !open.endedAt ? r.interviews : [...r.interviews, { enumeratorId, startedAt: now.toISOString(), prompts: 0, overridden: 0 }];
    return { ...r, holder: { enumeratorId, until }, interviews };
  });
  return interviewView(deps, study, p);
}

export async function interviewView(deps: InterviewDeps, study: Study, p: Participant): Promise<InterviewView> {
  const now = deps.clock.now();
  const week = studyWeekAt(study, now);
  const earlier = studyWeekAt(study, new Date(now.getTime() - 12 * 7 * 86_400_000)).id;
  const weeks = await deps.diary.listWeeks(p.studyId, p.phone, earlier, week.id);
  const record = weeks.find((w) => w.week === week.id);
  const savedBefore = weeks.filter((w) => w.week !== week.id).map((w) => w.answers.saved_amount?.value).filter((v): v is number => typeof v === 'number');
  const usualSaving = median(savedBefore);
  const answers = Object.fromEntries(
    Object.entries(record?.answers ?? {}).map(([id, a]) => [id, { value: a.value, channel: a.channel, at: a.at, fromPhone: a.channel !== 'enumerator' }]),
  );
  const values = Object.fromEntries(Object.entries(answers).map(([id, a]) => [id, a.value]));
  return {
    participantId: p.participantId, week: week.id, studyWeek: week.studyWeek, ...(p.lang ? { lang: p.lang } : {}),
    answers, complete: record?.complete ?? false, prompts: consistencyPrompts(values, usualSaving === undefined ? {} : { savedMedian: usualSaving }),
    ...(usualSaving !== undefined ? { usualSaving } : {}),
  };
}

export interface AnswerInput {
  questionId: string;
  /** As typed, read by the questionnaire engine (the USSD parser): `1`, `2 4`, `5,000`, `99` to skip. */
  input: string;
  /** The browser's idempotency key of this answer: a resend writes nothing. */
  key: string;
  /** The `at` of the stored answer the enumerator saw and is replacing, if any. */
  basedOn?: string;
  /** The enumerator's language, for the notice of an answer the question refuses. */
  lang: Lang;
  /** The screen showed a consistency prompt and the enumerator kept the answer. */
  overrodePrompt?: boolean;
}

export type SaveResult = { saved: true; duplicate: boolean; view: InterviewView } | { saved: false; conflict: InterviewAnswer; view: InterviewView };

export async function saveInterviewAnswer(deps: InterviewDeps, study: Study, participantId: string, enumeratorId: EnumeratorId, a: AnswerInput): Promise<SaveResult> {
  const p = await participantFor(deps, study, participantId, enumeratorId);
  const form = deps.content.diary;
  const q = form?.questions.find((x) => x.id === a.questionId) as Question | undefined;
  if (!form || !q) throw new EnumerationError('invalid', `No question "${a.questionId}" in this week's diary.`);
  const strings = deps.content.strings[a.lang] ?? deps.content.strings.en;
  if (!strings) throw new EnumerationError('invalid', `No strings for language "${a.lang}".`);
  const parsed = parseAnswer(q, a.input, a.lang, strings);
  if (!parsed.ok) throw new EnumerationError('invalid', parsed.notice, { questionId: q.id });
  const value = (parsed.value ?? null) as AnswerValue | null;
  for (let attempt = 0; ; attempt += 1) {
    const now = deps.clock.now();
    const week = studyWeekAt(study, now);
    const record = await weekRecordOf(deps, p, week.id);
    const stored = record?.answers[q.id];
    if (stored?.key === a.key) return { saved: true, duplicate: true, view: await interviewView(deps, study, p) };
    if (stored && stored.channel !== 'enumerator' && stored.at !== a.basedOn) {
      return { saved: false, conflict: { value: stored.value, channel: stored.channel, at: stored.at, fromPhone: true }, view: await interviewView(deps, study, p) };
    }
    const stamp = now.toISOString();
    const answers = { ...(record?.answers ?? {}), [q.id]: { value, at: stamp, channel: 'enumerator' as const, enumeratorId, key: a.key } };
    const next = nextWeekRecord(record, { participant: p, week: week.id, studyWeek: week.studyWeek, form, stamp }, { answers });
    try {
      await deps.diary.saveWeek(next, record?.version);
      break;
    } catch (err) {
      // A USSD hop (or another tab) wrote the week first: read it again and apply the answer to it.
      if (!(err instanceof StaleSessionError) || attempt >= RETRIES) throw err;
    }
  }
  if (a.overrodePrompt) await countPrompt(deps, study, participantId, enumeratorId);
  return { saved: true, duplicate: false, view: await interviewView(deps, study, p) };
}

async function countPrompt(deps: InterviewDeps, study: Study, participantId: string, enumeratorId: EnumeratorId): Promise<void> {
  const week = studyWeekAt(study, deps.clock.now()).id;
  await updateCallRecord(deps, study.studyId, week, participantId, (r) => {
    const open = r.interviews.at(-1);
    if (!open || open.enumeratorId !== enumeratorId) return r;
    return { ...r, interviews: [...r.interviews.slice(0, -1), { ...open, prompts: open.prompts + 1, overridden: open.overridden + 1 }] };
  });
}

/** Records prompts shown (kept or corrected) on the open interview. */
export async function promptsShown(deps: InterviewDeps, study: Study, participantId: string, enumeratorId: EnumeratorId, shown: number): Promise<void> {
  const week = studyWeekAt(study, deps.clock.now()).id;
  await updateCallRecord(deps, study.studyId, week, participantId, (r) => {
    const open = r.interviews.at(-1);
    if (!open || open.enumeratorId !== enumeratorId) return r;
    return { ...r, interviews: [...r.interviews.slice(0, -1), { ...open, prompts: open.prompts + shown }] };
  });
}

/** Applies a change to a week's call record on its version, re-reading after a lost race. */
export async function updateCallRecord(deps: Pick<InterviewDeps, 'calls' | 'clock'>, studyId: string, week: string, participantId: string, change: (r: CallRecord) => CallRecord): Promise<CallRecord> {
  for (let attempt = 0; ; attempt += 1) {
    const stamp = deps.clock.now().toISOString();
    const current = (await deps.calls.callRecords(studyId, week, [participantId]))[0] ?? emptyCallRecord(studyId, participantId, week, stamp);
    const changed = change(current);
    if (changed === current) return current;
    const next = { ...changed, version: current.version + 1, updatedAt: stamp };
    try {
      await deps.calls.saveCallRecord(next, current.version);
      return next;
    } catch (err) {
      if (!(err instanceof StaleSessionError) || attempt >= RETRIES) throw err;
    }
  }
}
