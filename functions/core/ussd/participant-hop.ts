import type { DiaryAnswer, WeekRecord } from '../diary/week-record.js';
import type { AnswerValue, Participant } from '../model.js';
import { diaryWeek } from '../time/week.js';
import type { DiaryView } from './diary-flow.js';
import { begin, type FlowContext, view } from './flow.js';
import { applyInputs, type HopContext } from './hop.js';
import { inputModeAfter, isReplay, newInputs } from './session.js';

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
  const ctx = (): FlowContext => ({ study, content: deps.content, participant, diary: diary() });

  const { state, notice } = applyInputs(conversation?.state ?? begin(ctx()), newInputs(conversation?.lastText, req.text), ctx, (effect) => {
    if (effect.type === 'answer') answers[effect.questionId] = { value: effect.value, at: stamp, channel: 'ussd', sessionId: req.sessionId };
    else if (effect.type === 'complete') {
      complete = true;
      completedAt ??= stamp;
    }
  });
  const response = view(state, ctx(), notice);
  const inputMode = inputModeAfter(conversation, req.text);
  const form = deps.content.diary;
  const next: WeekRecord = {
    studyId: study.studyId,
    participantId: participant.participantId,
    phone: participant.phone,
    week: week.id,
    studyWeek: week.studyWeek,
    questionnaireId: form?.id ?? 'diary',
    questionnaireVersion: form?.version ?? 0,
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
    version: (record?.version ?? 0) + 1,
    createdAt: record?.createdAt ?? stamp,
    updatedAt: stamp,
  };
  await deps.store.saveWeek(next, record?.version);
  return response;
}

export function weekOf(h: Pick<HopContext, 'study' | 'now'>) {
  const start = h.study.startsOn ? new Date(`${h.study.startsOn}T12:00:00Z`) : new Date(h.study.createdAt);
  return diaryWeek(h.now, h.study.timeZone, start);
}
