import { withdrawConsent } from '../enrol/withdraw-consent.js';
import { type DiaryAnswer, nextWeekRecord, type WeekRecord } from '../diary/week-record.js';
import type { AnswerValue, Participant } from '../model.js';
import { studyWeekAt } from '../time/study-calendar.js';
import type { DiaryView } from './diary-flow.js';
import { begin, type Effect, type FlowContext, view } from './flow.js';
import { applyInputs, type HopContext } from './hop.js';
import { inputModeAfter, isReplay, newInputs } from './session.js';
import { type MonthTotals, monthTotals } from './summary.js';

/**
 * A hop of a consented participant. The conversation is kept in this week's diary record,
 * with the answers, so that storing an answer and moving on is a single write; a repeated
 * request is answered from the same record without writing.
 */
export async function participantHop(h: HopContext, participant: Participant, record: WeekRecord | undefined): Promise<string> {
  const { req, deps, study, now } = h;
  const week = weekOf(h);
  const conversation = record?.conversation?.sessionId === req.sessionId ? record.conversation : undefined;
  if (conversation && isReplay(conversation, req.text, now)) return conversation.lastResponse;

  const stamp = now.toISOString();
  const answers: Record<string, DiaryAnswer> = { ...(record?.answers ?? {}) };
  let complete = record?.complete ?? false;
  let completedAt = record?.completedAt;
  const diary = (): DiaryView => ({
    studyWeek: week.studyWeek,
    answers: Object.fromEntries(Object.entries(answers).map(([id, a]) => [id, a.value])) as Record<string, AnswerValue | null>,
    complete,
  });
  let summary: MonthTotals[] | undefined;
  const ctx = (): FlowContext => ({ study, content: deps.content, participant, diary: diary(), sessionId: req.sessionId, ...(summary ? { summary } : {}) });

  // Effects that end the session are written on their own: the conversation is over.
  let final: Extract<Effect, { type: 'lessonDone' | 'complaint' | 'settings' }> | undefined;
  let answered = false;
  const { state, notice } = applyInputs(conversation?.state ?? begin(ctx()), newInputs(conversation?.lastText, req.text), ctx, (effect) => {
    if (effect.type === 'answer') {
      answers[effect.questionId] = { value: effect.value, at: stamp, channel: 'ussd', sessionId: req.sessionId };
      answered = true;
    } else if (effect.type === 'complete') {
      complete = true;
      completedAt ??= stamp;
    } else if (effect.type === 'lessonDone' || effect.type === 'complaint' || effect.type === 'settings') final ??= effect;
  });
  if (state.at === 'summary') summary = await loadSummary(h, participant);
  const response = view(state, ctx(), notice);
  if (final) {
    await writeFinal(h, participant, final, week.id);
    // Diary answers given earlier in the same request (a multi-input dial string) are kept too.
    if (!answered) return response;
  }
  const inputMode = inputModeAfter(conversation, req.text);
  const next = nextWeekRecord(record, { participant, week: week.id, studyWeek: week.studyWeek, form: deps.content.diary, stamp }, {
    answers,
    complete,
    ...(completedAt ? { completedAt } : {}),
    conversation: {
      sessionId: req.sessionId,
      state,
      lastText: req.text,
      lastResponse: response,
      ...(inputMode ? { inputMode } : {}),
      startedAt: conversation?.startedAt ?? stamp,
      updatedAt: stamp,
    },
  });
  await deps.store.saveWeek(next, record?.version);
  return response;
}

/** The one write of a hop that ends the session: a finished lesson, a complaint or a setting. */
async function writeFinal(h: HopContext, p: Participant, effect: Extract<Effect, { type: 'lessonDone' | 'complaint' | 'settings' }>, week: string): Promise<void> {
  const { req, deps, now } = h;
  const stamp = now.toISOString();
  if (effect.type === 'complaint') {
    const { type: _type, ...fields } = effect;
    await deps.store.saveComplaint({ studyId: p.studyId, participantId: p.participantId, phone: p.phone, ...fields, week, at: stamp, channel: 'ussd', sessionId: req.sessionId });
    deps.log.info('complaint recorded', { ref: effect.ref, provider: effect.provider, category: effect.category });
    return;
  }
  let next: Participant;
  if (effect.type === 'lessonDone') {
    // The first answer to a quiz stands; a resent request writes the same record again.
    const result = p.lessons?.[effect.lessonKey] ?? { choice: effect.choice, correct: effect.correct, at: stamp, sessionId: req.sessionId };
    next = { ...p, lessons: { ...(p.lessons ?? {}), [effect.lessonKey]: result } };
  } else {
    const patch = effect.patch;
    next =
      'stop' in patch
        ? withdrawConsent(p, { at: stamp, channel: 'ussd', sessionId: req.sessionId })
        : { ...p, ...patch };
  }
  await deps.store.saveParticipant({ ...next, updatedAt: stamp }, p.updatedAt);
  deps.log.info('participant updated', { change: effect.type === 'settings' ? Object.keys(effect.patch)[0] : 'lesson' });
}

/** This month's and last month's totals from the participant's own diary: one query, only on this screen. */
async function loadSummary(h: HopContext, p: Participant): Promise<MonthTotals[]> {
  const { study, now, deps } = h;
  const local = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: study.timeZone, year: 'numeric', month: '2-digit' }).format(d).slice(0, 7);
  const thisMonth = local(now);
  const lastMonth = local(new Date(Date.parse(`${thisMonth}-01T12:00:00Z`) - 5 * 86_400_000));
  const from = weekOf({ study, now: new Date(now.getTime() - 70 * 86_400_000) }).id;
  const weeks = await deps.store.listWeeks(study.studyId, p.phone, from, weekOf(h).id);
  return monthTotals(weeks, thisMonth, lastMonth);
}

export function weekOf(h: Pick<HopContext, 'study' | 'now'>) {
  return studyWeekAt(h.study, h.now);
}
