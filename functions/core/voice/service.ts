import type { Content } from '../content/schema.js';
import { type DiaryAnswer, nextWeekRecord, type WeekRecord } from '../diary/week-record.js';
import { StaleSessionError } from '../errors.js';
import { gatewayE164 } from '../gateway-phone.js';
import type { AnswerValue, Lang, Participant, Study } from '../model.js';
import type { CallAttemptStore, Clock, Logger } from '../ports/index.js';
import type { DiaryView } from '../ussd/diary-flow.js';
import { weekOf } from '../ussd/participant-hop.js';
import { advanceVoice, beginCall, turnOf, type VoiceContext, type VoiceEffect, type VoiceStep } from './dialogue.js';
import type { CallerDirectory, VoiceCall, VoiceCallStore, VoiceDiaryStore } from './ports.js';
import { type AudioCatalog, messageResponse, type RenderContext, renderTurn } from './render.js';
import { voiceResponse } from './xml.js';

/** One Africa's Talking voice callback, decoded from its form (and the step of its callback URL). */
export interface VoiceRequest {
  sessionId: string;
  isActive: boolean;
  direction?: string;
  callerNumber?: string;
  destinationNumber?: string;
  dtmfDigits?: string;
  recordingUrl?: string;
  durationInSeconds?: number;
  currencyCode?: string;
  amount?: number;
  /** The `step` query parameter of the callback URL the last response named; absent on a call's first request. */
  step?: number;
  /** The participant's language, also carried by the callback URL: an apology speaks it even when the store is down. */
  lang?: string;
}

export interface VoiceDeps {
  calls: VoiceCallStore;
  callers: CallerDirectory;
  diary: VoiceDiaryStore;
  content: Content;
  clock: Clock;
  log: Logger;
  audio: AudioCatalog;
  /** The dispatcher's call attempts: an outbound call's end-of-call request records its cost on its attempt. */
  attempts?: Pick<CallAttemptStore, 'bySession' | 'ended'>;
  /** The callback URL for the next step, e.g. `https://…/at/{token}/voice?step=3&lang=sw`. */
  callbackUrl: (step: number, lang: Lang) => string;
}

/** A day: AT ends calls long before; the state is kept only to answer resent callbacks. */
const CALL_TTL_SECONDS = 86_400;

/**
 * Answers one voice callback with AT's XML. Never throws: a fault answers a short apology in
 * the participant's language and ends the call (invalid XML or an HTTP error would end it with
 * the operator's message instead). A resent callback (same session and step) is answered from
 * the stored response and records nothing; answers are written to the week record before the
 * call moves on, so a crash between the two loses nothing (the resend writes the same answers).
 */
export async function handleVoice(req: VoiceRequest, deps: VoiceDeps): Promise<string> {
  let lang: Lang | undefined = req.lang && deps.content.languages.includes(req.lang) ? req.lang : undefined;
  try {
    if (!req.isActive) {
      await endCall(req, deps);
      // AT expects a 200 and reads nothing more: the call is over.
      return voiceResponse([]);
    }
    for (let attempt = 0; ; attempt += 1) {
      const call = await deps.calls.getCall(req.sessionId);
      lang = call?.lang ?? lang;
      if (call && req.step !== call.step) return call.lastResponse;
      try {
        return await hop(req, call, deps, (l) => (lang = l));
      } catch (err) {
        // A concurrent copy of this callback won a write: read again and answer as it did.
        if (err instanceof StaleSessionError && attempt < 2) continue;
        throw err;
      }
    }
  } catch (err) {
    deps.log.error('voice callback failed', { sessionId: req.sessionId, error: err instanceof Error ? err.message : String(err) });
    return messageResponse('sorry', { content: deps.content, lang: lang ?? (deps.content.languages[0] as string), audio: deps.audio });
  }
}

async function hop(req: VoiceRequest, call: VoiceCall | undefined, deps: VoiceDeps, speaks: (lang: Lang) => void): Promise<string> {
  const now = deps.clock.now();
  let study: Study | undefined;
  // An outbound call (placed by the dispatcher, phase 2) rings the participant: their number is the destination.
  const phone = call?.phone ?? gatewayE164((req.direction === 'Outbound' ? req.destinationNumber : req.callerNumber) ?? '');
  if (call) {
    study = await deps.callers.studyById(call.studyId);
  } else {
    const found = phone ? await deps.callers.findCaller(phone) : undefined;
    if (!found || found.participant.consent.state !== 'consented') {
      deps.log.info('voice call from a number not taking part', { sessionId: req.sessionId });
      return messageResponse('notEnrolled', { content: deps.content, lang: found?.participant.lang ?? (deps.content.languages[0] as string), audio: deps.audio });
    }
    study = found.study;
  }
  if (!phone) throw new Error('a call without a number');
  if (!study) throw new Error('the study of a call in progress is gone');
  const week = weekOf({ study, now });
  const { participant, week: record } = await deps.diary.loadHop(req.sessionId, study.studyId, phone, week.id, now);
  if (!participant || participant.consent.state !== 'consented') {
    return messageResponse('goodbye', { content: deps.content, lang: call?.lang ?? (deps.content.languages[0] as string), audio: deps.audio });
  }
  const lang = participant.lang ?? study.languages[0] ?? 'en';
  speaks(lang);
  const ctx: VoiceContext = { study, content: deps.content, participant, diary: diaryView(record, week.studyWeek), sessionId: req.sessionId, lang };
  const step: VoiceStep = call ? advanceVoice(call.state, { ...(req.dtmfDigits !== undefined ? { digits: req.dtmfDigits } : {}), ...(req.recordingUrl ? { recordingUrl: req.recordingUrl } : {}) }, ctx) : beginCall(ctx);

  await applyEffects(step.effects, { deps, participant, record, study, week, stamp: now.toISOString(), sessionId: req.sessionId });

  const nextStep = (call?.step ?? 0) + 1;
  const render: RenderContext = { content: deps.content, study, lang, audio: deps.audio, callbackUrl: deps.callbackUrl(nextStep, lang) };
  const response = renderTurn(turnOf(step.state, step.lead, ctx), render);
  const stamp = now.toISOString();
  await deps.calls.saveCall(
    {
      sessionId: req.sessionId,
      studyId: study.studyId,
      phone,
      participantId: participant.participantId,
      lang,
      state: step.state,
      step: nextStep,
      lastResponse: response,
      version: (call?.version ?? 0) + 1,
      startedAt: call?.startedAt ?? stamp,
      updatedAt: stamp,
      expiresAt: Math.floor(now.getTime() / 1000) + CALL_TTL_SECONDS,
    },
    call?.version,
  );
  return response;
}

export function diaryView(record: WeekRecord | undefined, studyWeek: number): DiaryView {
  return {
    studyWeek,
    answers: Object.fromEntries(Object.entries(record?.answers ?? {}).map(([id, a]) => [id, a.value])) as Record<string, AnswerValue | null>,
    complete: record?.complete ?? false,
  };
}

interface EffectContext {
  deps: VoiceDeps;
  participant: Participant;
  record: WeekRecord | undefined;
  study: Study;
  week: { id: string; studyWeek: number };
  stamp: string;
  sessionId: string;
}

/** Diary answers in one week write (channel `voice`), then a lesson result or a complaint. */
async function applyEffects(effects: readonly VoiceEffect[], e: EffectContext): Promise<void> {
  const { deps, participant: p, stamp, sessionId } = e;
  const answers: Record<string, DiaryAnswer> = { ...(e.record?.answers ?? {}) };
  let complete = e.record?.complete ?? false;
  let completedAt = e.record?.completedAt;
  let weekChanged = false;
  for (const effect of effects) {
    if (effect.type === 'answer') {
      answers[effect.questionId] = { value: effect.value, at: stamp, channel: 'voice', sessionId };
      weekChanged = true;
    } else if (effect.type === 'complete') {
      complete = true;
      completedAt ??= stamp;
      weekChanged = true;
    }
  }
  if (weekChanged) {
    const next = nextWeekRecord(e.record, { participant: p, week: e.week.id, studyWeek: e.week.studyWeek, form: deps.content.diary, stamp }, {
      answers,
      complete,
      ...(completedAt ? { completedAt } : {}),
    });
    await deps.diary.saveWeek(next, e.record?.version);
  }
  for (const effect of effects) {
    if (effect.type === 'lessonDone') {
      // The first answer to a quiz stands, as on USSD.
      if (p.lessons?.[effect.lessonKey]) continue;
      const result = { choice: effect.choice, correct: effect.correct, at: stamp, sessionId };
      await deps.diary.saveParticipant({ ...p, lessons: { ...(p.lessons ?? {}), [effect.lessonKey]: result }, updatedAt: stamp }, p.updatedAt);
    } else if (effect.type === 'complaint') {
      const { type: _type, ...fields } = effect;
      await deps.diary.saveComplaint({ studyId: p.studyId, participantId: p.participantId, phone: p.phone, ...fields, week: e.week.id, at: stamp, channel: 'voice', sessionId });
      deps.log.info('complaint recorded', { ref: effect.ref, provider: effect.provider, category: effect.category, recording: Boolean(effect.recordingUrl) });
    }
  }
}

async function endCall(req: VoiceRequest, deps: VoiceDeps): Promise<void> {
  const [call, attempt] = await Promise.all([deps.calls.getCall(req.sessionId), deps.attempts?.bySession(req.sessionId)]);
  // An unanswered outbound call has no dialogue state: its attempt still names who was called.
  const who = call ?? attempt;
  const at = deps.clock.now().toISOString();
  const cost = {
    ...(req.durationInSeconds !== undefined ? { durationInSeconds: req.durationInSeconds } : {}),
    ...(req.amount !== undefined ? { amount: req.amount } : {}),
    ...(req.currencyCode ? { currencyCode: req.currencyCode } : {}),
  };
  if (attempt && deps.attempts) await deps.attempts.ended(attempt.attemptId, { ...cost, endedAt: at });
  const recorded = await deps.calls.recordEnd({
    sessionId: req.sessionId,
    ...(who ? { studyId: who.studyId, participantId: who.participantId } : {}),
    ...(attempt ? { attemptId: attempt.attemptId } : {}),
    ...(req.direction ? { direction: req.direction } : {}),
    ...cost,
    at,
  });
  if (recorded) deps.log.info('voice call ended', { sessionId: req.sessionId, durationInSeconds: req.durationInSeconds, amount: req.amount, currencyCode: req.currencyCode });
}
