import type { Baseline, Participant } from '../model.js';
import type { Effect, FlowContext } from './flow.js';
import { begin, view } from './flow.js';
import { applyInputs, type HopContext } from './hop.js';
import { inputModeAfter, isReplay, newInputs, SESSION_TTL_SECONDS, type UssdSession } from './session.js';

type Decision = Extract<Effect, { type: 'enrol' | 'decline' }>;

/**
 * A hop of a number that has not consented (new, imported, declined or withdrawn). The
 * conversation lives in a session item; the decision is one conditional write of the
 * participant, after which the session has ended and needs no write.
 */
export async function enrolmentHop(h: HopContext, session: UssdSession | undefined, participant: Participant | undefined): Promise<string> {
  const { req, deps, study, phone, now } = h;
  if (session && isReplay(session, req.text, now)) return session.lastResponse;
  const ctx: FlowContext = { study, content: deps.content, ...(participant ? { participant } : {}) };
  let decision: Decision | undefined;
  const { state, notice } = applyInputs(session?.state ?? begin(ctx), newInputs(session?.lastText, req.text), () => ctx, (effect) => {
    if (effect.type === 'enrol' || effect.type === 'decline') decision ??= effect;
  });
  const response = view(state, ctx, notice);
  if (decision) {
    await deps.store.saveConsent(decided(decision, participant, h));
    deps.log.info('participant consent recorded', { sessionId: req.sessionId, outcome: decision.type });
    return response;
  }
  const inputMode = inputModeAfter(session, req.text);
  await deps.store.saveSession(
    {
      sessionId: req.sessionId,
      studyId: study.studyId,
      phone,
      state,
      lastText: req.text,
      lastResponse: response,
      version: (session?.version ?? 0) + 1,
      ...(inputMode ? { inputMode } : {}),
      startedAt: session?.startedAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + SESSION_TTL_SECONDS,
    },
    session?.version,
  );
  return response;
}

/** The participant as recorded after an enrolment or a decline in this session. */
function decided(effect: Decision, existing: Participant | undefined, h: HopContext): Participant {
  const stamp = h.now.toISOString();
  const questionnaire = h.deps.content.baseline;
  const answered = effect.type === 'enrol' && Object.keys(effect.answers).length > 0;
  // A rejoining participant keeps the baseline they gave first.
  const baseline: Baseline | undefined =
    answered && effect.type === 'enrol'
      ? {
          questionnaireId: questionnaire.id,
          questionnaireVersion: questionnaire.version,
          answers: effect.answers,
          answeredAt: stamp,
          channel: 'ussd',
          sessionId: h.req.sessionId,
        }
      : existing?.baseline;
  return {
    ...(existing ?? { source: 'ussd' as const, createdAt: stamp }),
    studyId: h.study.studyId,
    participantId: existing?.participantId ?? h.deps.newId(),
    phone: h.phone,
    lang: effect.lang,
    consent: {
      state: effect.type === 'enrol' ? 'consented' : 'declined',
      version: h.deps.content.consent.version,
      at: stamp,
      channel: 'ussd',
      sessionId: h.req.sessionId,
    },
    ...(baseline ? { baseline } : {}),
    updatedAt: stamp,
  };
}
