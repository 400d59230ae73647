import type { Content, Question, Questionnaire } from '../content/schema.js';
import { weekAnswered, type WeekRecord } from '../diary/week-record.js';
import type { Participant, Study } from '../model.js';
import { isFinal, type MessageStatus } from '../sms/delivery.js';
import {
  CHANNEL_VALUES,
  QUESTION_STATUS_VALUES,
  answerCodes,
  answerText,
  questionStates,
  weekChannel,
  wideCells,
  wideVariables,
} from './diary.js';
import type { ExportSource } from './ports.js';
import { participantPseudonym, pseudonym } from './pseudonym.js';
import { redactNumbers } from './redact.js';
import { studyWeeks, type StudyWeek } from './weeks.js';
import { BOOLEAN_VALUES, type Dataset, type Row, type Variable, englishValues, yesNo } from './variables.js';
import { researchParticipants } from '../training.js';

/**
 * The row generators of the research exports: each reads the study through the ExportSource
 * port one page (or one participant) at a time and yields rows as it goes, so an export of a
 * million rows holds no more in memory than one of a thousand. Rows carry `pid`, the
 * study's pseudonymous id, never the phone number, unless `includePhone` (admins only, and
 * audited by the caller).
 */
export interface ExportContext {
  study: Study;
  content: Pick<Content, 'diary' | 'modules' | 'complaints'>;
  /** The study's pseudonym key (pseudonym.ts, studyKey). */
  key: Uint8Array;
  includePhone: boolean;
  /** The response dataset lists the study weeks up to the one this falls in. */
  now: Date;
}

export interface DatasetPlan {
  dataset: Dataset;
  variables: Variable[];
  /**
   * The rows in batches (a participant's, or a page's): a million rows then cost a few thousand
   * steps of the async generators and the stream rather than a million, about a quarter of an
   * export's CPU.
   */
  rows: AsyncIterable<readonly Row[]>;
}

/** Participants whose weeks, complaints… are being read at once (a bounded window, in order). */
export const READ_CONCURRENCY = 8;

export function planDataset(dataset: Dataset, ctx: ExportContext, source: ExportSource): DatasetPlan {
  switch (dataset) {
    case 'diary_long':
      return { dataset, variables: diaryLongVariables(ctx), rows: diaryLongRows(ctx, source) };
    case 'diary_wide':
      return { dataset, variables: diaryWideVariables(ctx), rows: diaryWideRows(ctx, source) };
    case 'complaints':
      return { dataset, variables: complaintVariables(ctx), rows: complaintRows(ctx, source) };
    case 'messages':
      return { dataset, variables: messageVariables(ctx), rows: messageRows(ctx, source) };
    case 'lessons':
      return { dataset, variables: lessonVariables(ctx), rows: lessonRows(ctx, source) };
    case 'response':
      return { dataset, variables: responseVariables(ctx), rows: responseRows(ctx, source) };
  }
}

/**
 * Runs `read` for each item of the pages, at most `concurrency` at once, and yields the results
 * in the items' order. Memory: one page and `concurrency` results.
 */
export async function* inOrder<T, R>(pages: AsyncIterable<readonly T[]>, concurrency: number, read: (item: T) => Promise<R>): AsyncGenerator<[T, R]> {
  const pending: [T, Promise<R>][] = [];
  for await (const page of pages) {
    for (const item of page) {
      const result = read(item);
      // Awaited below, in order; this only keeps a failure from being reported as unhandled
      // while an earlier read is still awaited (or if the consumer stops early).
      result.catch(() => undefined);
      pending.push([item, result]);
      if (pending.length >= concurrency) {
        const [first, promise] = pending.shift() as [T, Promise<R>];
        yield [first, await promise];
      }
    }
  }
  while (pending.length > 0) {
    const [first, promise] = pending.shift() as [T, Promise<R>];
    yield [first, await promise];
  }
}

// ---------------------------------------------------------------------------------------------
// Who: the columns every participant-level row starts with.

function whoVariables(ctx: ExportContext, withArm = true): Variable[] {
  return [
    { name: 'pid', type: 'string', label: 'Pseudonymous participant id', description: 'stable within this study, unrelated across studies (see pseudonym in the codebook)' },
    ...(ctx.includePhone ? [{ name: 'phone', type: 'string' as const, label: 'Phone number (E.164)', description: 'present only in an export an admin asked for with includePhone' }] : []),
    ...(withArm
      ? [
          { name: 'arm', type: 'category' as const, label: 'Arm the participant is assigned to (empty: not randomized)', values: ctx.study.arms.map((a) => ({ code: a.armId, labels: { en: `${a.name}${a.treatment ? ' (treatment)' : ' (control)'}` } })) },
          // The design variables, so an analysis of the file can block and cluster as the randomization did.
          { name: 'stratum', type: 'string' as const, label: 'Stratum (block) of the randomization' },
          { name: 'cluster', type: 'string' as const, label: 'Cluster (e.g. factory) of the randomization' },
        ]
      : []),
  ];
}

/** The who-cells of a participant; the pseudonym is computed once per participant. */
function whoCells(ctx: ExportContext, p: Pick<Participant, 'phone' | 'armId' | 'stratum' | 'cluster' | 'forgotten'>, withArm = true): Row {
  return {
    pid: participantPseudonym(p, ctx.key),
    ...(ctx.includePhone ? { phone: p.phone } : {}),
    ...(withArm ? { arm: p.armId, stratum: p.stratum, cluster: p.cluster } : {}),
  };
}

const weekVariables: Variable[] = [
  { name: 'week', type: 'string', label: 'ISO week in the study time zone (e.g. 2026-W48)' },
  { name: 'study_week', type: 'integer', label: 'Weeks since the study started (0 = first week)' },
];

function diaryForm(ctx: ExportContext): Questionnaire {
  if (!ctx.content.diary) throw new Error('The content has no diary questionnaire');
  return ctx.content.diary;
}

async function* participantsWith<R>(ctx: ExportContext, source: ExportSource, read: (p: Participant) => Promise<R>): AsyncGenerator<[Participant, R]> {
  yield* inOrder(researchPages(ctx, source), READ_CONCURRENCY, read);
}

/** Pages of real participants: a training tool's throw-away numbers are never exported. */
async function* researchPages(ctx: ExportContext, source: ExportSource): AsyncGenerator<Participant[]> {
  for await (const page of source.participants(ctx.study.studyId)) yield researchParticipants(page);
}

// ---------------------------------------------------------------------------------------------
// diary_long

function diaryLongVariables(ctx: ExportContext): Variable[] {
  const form = diaryForm(ctx);
  return [
    ...whoVariables(ctx),
    ...weekVariables,
    { name: 'questionnaire_version', type: 'integer', label: 'Version of the diary questionnaire the week was answered with' },
    { name: 'question', type: 'category', label: 'Diary question id (see the questions of the codebook)', values: form.questions.map((q) => ({ code: q.id, labels: q.label })) },
    { name: 'type', type: 'category', label: 'Question type', values: englishValues({ select_one: 'one choice', select_multiple: 'several choices', integer: 'whole number', decimal: 'number', text: 'free text' }) },
    { name: 'status', type: 'category', label: 'Where the question stands in this week', values: QUESTION_STATUS_VALUES },
    {
      name: 'value',
      type: 'string',
      label: 'The answer as stored: a choice name (several space-separated), a number or text',
      description: ctx.includePhone ? 'free text as typed' : 'in free text, runs of 9 or more digits are replaced by [number]',
    },
    { name: 'code', type: 'codes', label: 'The numeric code of a choice answer (several space-separated)' },
    { name: 'channel', type: 'category', label: 'Channel of this answer', values: englishValues({ ussd: 'USSD', sms: 'SMS' }) },
    { name: 'answered_at', type: 'datetime', label: 'When the answer was given (UTC, ISO 8601)' },
  ];
}

async function* diaryLongRows(ctx: ExportContext, source: ExportSource): AsyncGenerator<Row[]> {
  const form = diaryForm(ctx);
  const known = new Set(form.questions.map((q) => q.id));
  for await (const [p, weeks] of participantsWith(ctx, source, (p) => source.weeks(p))) {
    const out: Row[] = [];
    const who = whoCells(ctx, p);
    for (const w of weeks) {
      const base = { ...who, week: w.week, study_week: w.studyWeek, questionnaire_version: w.questionnaireVersion };
      for (const s of questionStates(form, w)) out.push(longRow(base, s.question, s.status, s.answer, !ctx.includePhone));
      // Answers to questions the current form no longer has (an older version): kept, marked.
      for (const [id, a] of Object.entries(w.answers ?? {})) {
        if (!known.has(id)) out.push(longRow(base, undefined, a.value === null ? 'skipped' : 'answered', a, !ctx.includePhone, id));
      }
    }
    if (out.length > 0) yield out;
  }
}

function longRow(base: Row, q: Question | undefined, status: string, a: WeekRecord['answers'][string] | undefined, redact: boolean, id = q?.id): Row {
  return {
    ...base,
    question: id,
    type: q?.type,
    status,
    value: answerText(a?.value, redact),
    code: answerCodes(q, a?.value),
    channel: a?.channel,
    answered_at: a?.at,
  };
}

// ---------------------------------------------------------------------------------------------
// diary_wide

function diaryWideVariables(ctx: ExportContext): Variable[] {
  const form = diaryForm(ctx);
  return [
    ...whoVariables(ctx),
    ...weekVariables,
    { name: 'questionnaire_version', type: 'integer', label: 'Version of the diary questionnaire the week was answered with' },
    { name: 'complete', type: 'boolean', label: 'The diary counts as done: finished over USSD, or answered by SMS', values: BOOLEAN_VALUES },
    { name: 'completed_at', type: 'datetime', label: 'When the USSD diary was saved (UTC, ISO 8601)' },
    { name: 'channel', type: 'category', label: 'Channels the answers came by', values: CHANNEL_VALUES },
    { name: 'answered', type: 'integer', label: 'Questions answered (on the path, not skipped)' },
    { name: 'skipped', type: 'string', label: 'Questions the participant chose to skip (ids, space-separated)' },
    ...form.questions.flatMap(wideVariables),
  ];
}

async function* diaryWideRows(ctx: ExportContext, source: ExportSource): AsyncGenerator<Row[]> {
  const form = diaryForm(ctx);
  for await (const [p, weeks] of participantsWith(ctx, source, (p) => source.weeks(p))) {
    const out: Row[] = [];
    const who = whoCells(ctx, p);
    for (const w of weeks) {
      const states = questionStates(form, w);
      const row: Row = {
        ...who,
        week: w.week,
        study_week: w.studyWeek,
        questionnaire_version: w.questionnaireVersion,
        complete: yesNo(weekAnswered(w)),
        completed_at: w.completedAt,
        channel: weekChannel(w),
        answered: states.filter((s) => s.status === 'answered').length,
        skipped: states.filter((s) => s.status === 'skipped').map((s) => s.question.id).join(' ') || undefined,
      };
      for (const s of states) Object.assign(row, wideCells(s.question, s, !ctx.includePhone));
      out.push(row);
    }
    if (out.length > 0) yield out;
  }
}

// ---------------------------------------------------------------------------------------------
// complaints

function complaintVariables(ctx: ExportContext): Variable[] {
  return [
    ...whoVariables(ctx),
    { name: 'ref', type: 'string', label: 'Reference given to the participant' },
    { name: 'week', type: 'string', label: 'ISO week it was reported in (study time zone)' },
    { name: 'at', type: 'datetime', label: 'When it was reported (UTC, ISO 8601)' },
    { name: 'channel', type: 'category', label: 'Reported over', values: englishValues({ ussd: 'USSD', sms: 'SMS' }) },
    {
      name: 'provider',
      type: 'category',
      label: 'Provider the complaint is about',
      values: [...ctx.study.providers.map((p) => ({ code: p.id, labels: { en: `${p.name} (${p.kind})` } })), { code: 'unknown', labels: { en: 'not said (e.g. an SMS complaint)' } }],
    },
    { name: 'category', type: 'category', label: 'Kind of problem', values: (ctx.content.complaints?.categories ?? []).map((c) => ({ code: c.name, labels: c.label })) },
    { name: 'text', type: 'string', label: 'The participant\'s own words', description: ctx.includePhone ? 'as typed' : 'runs of 9 or more digits are replaced by [number]' },
  ];
}

async function* complaintRows(ctx: ExportContext, source: ExportSource): AsyncGenerator<Row[]> {
  for await (const [p, complaints] of participantsWith(ctx, source, (p) => source.complaints(p))) {
    const out: Row[] = [];
    const who = whoCells(ctx, p);
    for (const c of complaints) {
      out.push({
        ...who,
        ref: c.ref,
        week: c.week,
        at: c.at,
        channel: c.channel,
        provider: c.provider,
        category: c.category,
        text: c.text === undefined ? undefined : ctx.includePhone ? c.text : redactNumbers(c.text),
      });
    }
    if (out.length > 0) yield out;
  }
}

// ---------------------------------------------------------------------------------------------
// messages

function messageVariables(ctx: ExportContext): Variable[] {
  return [
    ...whoVariables(ctx, false),
    { name: 'enrolled', type: 'boolean', label: 'Sent to a participant of the study (0: a reply to a number that is not enrolled)', values: BOOLEAN_VALUES },
    { name: 'purpose', type: 'category', label: 'Why it was sent', values: englishValues({ prompt: 'weekly diary prompt', reminder: 'reminder to a non-responder', lesson: 'education lesson (campaign)', reply: 'reply to an incoming SMS' }) },
    { name: 'period', type: 'string', label: 'The period or occasion it belongs to (a week, a campaign lesson, an incoming SMS id)' },
    {
      name: 'status',
      type: 'category',
      label: 'Last known status',
      values: englishValues({
        queued: 'planned, not yet handed to the provider', sending: 'being sent', accepted: 'accepted by the provider',
        Sent: 'sent to the network', Submitted: 'submitted to the network', Buffered: 'buffered by the network (phone off?)',
        Success: 'delivered to the phone', Rejected: 'rejected by the network', Failed: 'delivery failed',
        AbsentSubscriber: 'phone unreachable', Expired: 'expired before delivery',
        failed: 'refused by the provider at send time', skipped: 'not sent: the send-time check said no (opted out, control arm)',
      }),
    },
    { name: 'final', type: 'boolean', label: 'The status is final (no report will change it)', values: BOOLEAN_VALUES },
    { name: 'failure_reason', type: 'string', label: 'Why it failed or was skipped (provider reason or our check)' },
    { name: 'attempts', type: 'integer', label: 'Sends the provider asked us to retry' },
    { name: 'treatment_only', type: 'boolean', label: 'Treatment content (never sent to a control arm)', values: BOOLEAN_VALUES },
    { name: 'created_at', type: 'datetime', label: 'When it was planned (UTC, ISO 8601)' },
    { name: 'sent_at', type: 'datetime', label: 'When the provider accepted it (UTC, ISO 8601)' },
    { name: 'updated_at', type: 'datetime', label: 'Last status change (UTC, ISO 8601)' },
  ];
}

async function* messageRows(ctx: ExportContext, source: ExportSource): AsyncGenerator<Row[]> {
  let last: { phone: string; pid: string } | undefined;
  for await (const page of source.messages(ctx.study.studyId)) {
    const out: Row[] = [];
    for (const m of page) {
      const phone = m.phone ?? '';
      // A forgotten participant's message keeps the id computed before the number went.
      if (!m.pid && last?.phone !== phone) last = { phone, pid: phone ? pseudonym(phone, ctx.key) : '' };
      out.push({
        pid: (m.pid ?? last?.pid) || undefined,
        ...(ctx.includePhone ? { phone: m.phone } : {}),
        enrolled: yesNo(m.participantId !== '-' && m.participantId !== ''),
        purpose: m.purpose,
        period: m.period,
        status: m.status,
        final: yesNo(isFinal(m.status as MessageStatus)),
        failure_reason: m.failureReason,
        attempts: m.attempts,
        treatment_only: yesNo(m.treatmentOnly ?? false),
        created_at: m.createdAt,
        sent_at: m.sentAt,
        updated_at: m.updatedAt,
      });
    }
    if (out.length > 0) yield out;
  }
}

// ---------------------------------------------------------------------------------------------
// lessons

function lessonVariables(ctx: ExportContext): Variable[] {
  const modules = ctx.content.modules ?? [];
  return [
    ...whoVariables(ctx),
    { name: 'module', type: 'category', label: 'Education module', values: modules.map((m) => ({ code: m.id, labels: m.title })) },
    { name: 'module_order', type: 'integer', label: 'Position of the module in the sequence' },
    { name: 'lesson', type: 'category', label: 'Lesson of the module', values: modules.flatMap((m) => m.lessons.map((l) => ({ code: l.id, labels: l.title }))) },
    { name: 'lesson_order', type: 'integer', label: 'Position of the lesson in its module (1 = first)' },
    { name: 'done', type: 'boolean', label: 'The participant finished the lesson (and answered its quiz)', values: BOOLEAN_VALUES },
    { name: 'quiz_choice', type: 'category', label: 'The quiz answer given (choice name; see the modules of the codebook)' },
    { name: 'quiz_correct', type: 'boolean', label: 'The quiz answer was right', values: BOOLEAN_VALUES },
    { name: 'done_at', type: 'datetime', label: 'When the lesson was finished (UTC, ISO 8601)' },
  ];
}

async function* lessonRows(ctx: ExportContext, source: ExportSource): AsyncGenerator<Row[]> {
  const modules = ctx.content.modules ?? [];
  const treatment = new Set(ctx.study.arms.filter((a) => a.treatment).map((a) => a.armId));
  const inContent = new Set(modules.flatMap((m) => m.lessons.map((l) => `${m.id}/${l.id}`)));
  for await (const page of researchPages(ctx, source)) {
    const out: Row[] = [];
    for (const p of page) {
      const done = p.lessons ?? {};
      // Control arms never get lessons: they have no rows (unless a record says otherwise).
      if (!(p.armId && treatment.has(p.armId)) && Object.keys(done).length === 0) continue;
      const who = whoCells(ctx, p);
      for (const m of modules) {
        for (const [i, l] of m.lessons.entries()) {
          const r = done[`${m.id}/${l.id}`];
          out.push({ ...who, module: m.id, module_order: m.order, lesson: l.id, lesson_order: i + 1, done: yesNo(r !== undefined), quiz_choice: r?.choice, quiz_correct: yesNo(r?.correct), done_at: r?.at });
        }
      }
      for (const [key, r] of Object.entries(done)) {
        if (inContent.has(key)) continue;
        const [moduleId, lessonId] = key.split('/');
        out.push({ ...who, module: moduleId, lesson: lessonId, done: 1, quiz_choice: r.choice, quiz_correct: yesNo(r.correct), done_at: r.at });
      }
    }
    if (out.length > 0) yield out;
  }
}

// ---------------------------------------------------------------------------------------------
// response

export type ResponseStatus = 'answered' | 'partial' | 'none';

function responseVariables(ctx: ExportContext): Variable[] {
  return [
    ...whoVariables(ctx),
    ...weekVariables,
    {
      name: 'enrolled',
      type: 'boolean',
      label: 'In the study that week: consented before the week ended, and not withdrawn before it began',
      values: BOOLEAN_VALUES,
    },
    {
      name: 'status',
      type: 'category',
      label: 'Diary response that week',
      values: englishValues({ answered: 'the diary counts as done (finished over USSD, or answered by SMS)', partial: 'some answers, not finished', none: 'no answer' }),
    },
    { name: 'channel', type: 'category', label: 'Channels the answers came by', values: CHANNEL_VALUES },
    { name: 'answered', type: 'integer', label: 'Answers given that week (skips not counted)' },
    { name: 'completed_at', type: 'datetime', label: 'When the USSD diary was saved (UTC, ISO 8601)' },
  ];
}

/** Answered, partial or none, for one participant's record of a week (or none). */
export function responseStatus(record: Pick<WeekRecord, 'answers' | 'complete'> | undefined): ResponseStatus {
  if (!record || Object.keys(record.answers ?? {}).length === 0) return record?.complete ? 'answered' : 'none';
  return weekAnswered(record) ? 'answered' : 'partial';
}

/** Whether the participant was in the study during the week. */
export function enrolledIn(p: Pick<Participant, 'consent' | 'createdAt'>, week: Pick<StudyWeek, 'opensAt' | 'closesAt'>): boolean {
  const { state, at } = p.consent;
  if (state === 'consented') return Date.parse(at ?? p.createdAt) <= week.closesAt.getTime();
  // A withdrawal overwrites the consent record: the participant was in from their creation until it.
  if (state === 'withdrawn') return Date.parse(p.createdAt) <= week.closesAt.getTime() && (at === undefined || Date.parse(at) >= week.opensAt.getTime());
  return false;
}

async function* responseRows(ctx: ExportContext, source: ExportSource): AsyncGenerator<Row[]> {
  const weeks = studyWeeks(ctx.study, ctx.now);
  for await (const [p, records] of participantsWith(ctx, source, (p) => source.weeks(p))) {
    const out: Row[] = [];
    const who = whoCells(ctx, p);
    const byWeek = new Map(records.map((r) => [r.week, r]));
    for (const w of weeks) {
      const r = byWeek.get(w.id);
      out.push({
        ...who,
        week: w.id,
        study_week: w.studyWeek,
        enrolled: yesNo(enrolledIn(p, w)),
        status: responseStatus(r),
        channel: weekChannel(r),
        answered: Object.values(r?.answers ?? {}).filter((a) => a.value !== null).length,
        completed_at: r?.completedAt,
      });
    }
    if (out.length > 0) yield out;
  }
}
