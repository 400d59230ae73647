import type { Content } from '../content/schema.js';
import { AlreadyEnrolledError, StaleSessionError } from '../errors.js';
import type { Baseline, Participant } from '../model.js';
import { toE164 } from '../phone.js';
import type { Clock, Logger, StudyDirectory, UssdStore } from '../ports.js';
import { advance, begin, type Effect, type FlowContext, offeredLanguages, stringsFor, view } from './flow.js';
import { renderScreen } from './screen.js';
import { inputModeAfter, isReplay, newInputs, SESSION_TTL_SECONDS, type UssdSession, type UssdState } from './session.js';

/** One Africa's Talking USSD callback, already decoded from its form body. */
export interface UssdRequest {
  sessionId: string;
  serviceCode: string;
  phoneNumber: string;
  networkCode?: string;
  text: string;
}

export interface UssdDeps {
  studies: StudyDirectory;
  store: UssdStore;
  content: Content;
  clock: Clock;
  newId: () => string;
  log: Logger;
}

/** Screens shown when there is no study or participant language to speak in. */
function fallbackEnd(content: Content, key: 'sorry' | 'unavailable', lang?: string): string {
  const strings = (lang && content.strings[lang]) || content.strings[content.languages[0] as string];
  return renderScreen('END', [strings?.[key] ?? 'Sorry.']);
}

/**
 * Answers one USSD hop. Never throws: any failure becomes an END screen with an apology,
 * because an HTTP error would leave the participant with an operator error message.
 * Idempotent on (sessionId, text): a repeated request gets the stored response verbatim.
 * Costs one read (session and participant together) and one write (the session, or the
 * participant when they consent or decline; the END that follows needs no session).
 */
export async function handleUssd(req: UssdRequest, deps: UssdDeps): Promise<string> {
  let lang: string | undefined;
  try {
    const study = await deps.studies.studyForServiceCode(req.serviceCode);
    if (!study) {
      deps.log.warn('unknown USSD service code', { serviceCode: req.serviceCode });
      return fallbackEnd(deps.content, 'unavailable');
    }
    const phone = toE164(req.phoneNumber, study.country);
    if (!phone) {
      deps.log.warn('USSD request with an invalid phone number', { sessionId: req.sessionId });
      return fallbackEnd(deps.content, 'unavailable');
    }
    for (let attempt = 0; ; attempt += 1) {
      const now = deps.clock.now();
      const { session, participant } = await deps.store.loadHop(req.sessionId, study.studyId, phone, now);
      lang = participant?.lang;
      if (session && session.phone !== phone) {
        deps.log.warn('USSD session id reused by another number', { sessionId: req.sessionId });
        return fallbackEnd(deps.content, 'unavailable', lang);
      }
      const ctx: FlowContext = { study, content: deps.content, ...(participant ? { participant } : {}) };
      // This session already ended with a consent decision: a resent request gets its END again.
      if (participant && decidedIn(participant, req.sessionId)) return decisionEnd(participant, ctx);
      if (session && isReplay(session, req.text, now)) return session.lastResponse;
      const inputMode = inputModeAfter(session, req.text);

      let state: UssdState = session?.state ?? begin(ctx);
      let notice: string | undefined;
      let effect: Effect | undefined;
      for (const input of newInputs(session?.lastText, req.text)) {
        if (state.at === 'ended') break;
        const step = advance(state, input, ctx);
        ({ state, notice } = step);
        effect ??= step.effect;
      }
      if ('lang' in state) lang = state.lang;
      const response = view(state, ctx, notice);
      try {
        if (effect) {
          await deps.store.saveConsent(decided(effect, participant, { studyId: study.studyId, phone, now, deps, req }));
          deps.log.info('participant consent recorded', { sessionId: req.sessionId, outcome: effect.type });
        } else {
          const next: UssdSession = {
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
          };
          await deps.store.saveSession(next, session?.version);
        }
        return response;
      } catch (err) {
        // A concurrent copy of this request (operator replay) won the write: go round once
        // more, and the replay checks above answer with what the winner sent.
        if (err instanceof StaleSessionError && attempt < 2) continue;
        if (err instanceof AlreadyEnrolledError) {
          if (err.existing && decidedIn(err.existing, req.sessionId)) return decisionEnd(err.existing, ctx);
          // Another session of the same number enrolled first: nothing to add, say so kindly.
          return renderScreen('END', [stringsFor(ctx, lang).goodbye]);
        }
        throw err;
      }
    }
  } catch (err) {
    deps.log.error('USSD hop failed', { sessionId: req.sessionId, error: describe(err) });
    return fallbackEnd(deps.content, 'sorry', lang);
  }
}

function decidedIn(p: Participant, sessionId: string): boolean {
  return p.consent.sessionId === sessionId && (p.consent.state === 'consented' || p.consent.state === 'declined');
}

function decisionEnd(p: Participant, ctx: FlowContext): string {
  const message = p.consent.state === 'consented' ? 'enrolled' : 'declined';
  return view({ at: 'ended', lang: p.lang ?? offeredLanguages(ctx)[0] ?? 'en', message }, ctx);
}

/** The participant as recorded after an enrolment or a decline in this session. */
function decided(
  effect: Effect,
  existing: Participant | undefined,
  at: { studyId: string; phone: string; now: Date; deps: UssdDeps; req: UssdRequest },
): Participant {
  const stamp = at.now.toISOString();
  const questionnaire = at.deps.content.baseline;
  const answered = effect.type === 'enrol' && Object.keys(effect.answers).length > 0;
  // A rejoining participant keeps the baseline they gave first.
  const baseline: Baseline | undefined = answered
    ? {
        questionnaireId: questionnaire.id,
        questionnaireVersion: questionnaire.version,
        answers: effect.answers,
        answeredAt: stamp,
        channel: 'ussd',
        sessionId: at.req.sessionId,
      }
    : existing?.baseline;
  return {
    ...(existing ?? { source: 'ussd' as const, createdAt: stamp }),
    studyId: at.studyId,
    participantId: existing?.participantId ?? at.deps.newId(),
    phone: at.phone,
    lang: effect.lang,
    consent: {
      state: effect.type === 'enrol' ? 'consented' : 'declined',
      version: at.deps.content.consent.version,
      at: stamp,
      channel: 'ussd',
      sessionId: at.req.sessionId,
    },
    ...(baseline ? { baseline } : {}),
    updatedAt: stamp,
  };
}

function describe(err: unknown): Record<string, unknown> {
  return err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : { value: String(err) };
}
