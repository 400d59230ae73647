import type { Content } from '../content/schema.js';
import { AlreadyEnrolledError, StaleSessionError } from '../errors.js';
import { gatewayE164 } from '../gateway-phone.js';
import { enrolmentHop } from './enrolment-hop.js';
import { type FlowContext, stringsFor } from './flow.js';
import { decidedIn, decisionEnd, type HopContext, type UssdDeps, type UssdRequest } from './hop.js';
import { participantHop, weekOf } from './participant-hop.js';
import { renderScreen } from './screen.js';

export type { UssdDeps, UssdRequest } from './hop.js';

/** Screens shown when there is no study or participant language to speak in. */
function fallbackEnd(content: Content, key: 'sorry' | 'unavailable', lang?: string): string {
  const strings = (lang && content.strings[lang]) || content.strings[content.languages[0] as string];
  return renderScreen('END', [strings?.[key] ?? 'Sorry.']);
}

/**
 * Answers one USSD hop. Never throws: any failure becomes an END screen with an apology,
 * because an HTTP error would leave the participant with an operator error message.
 * Idempotent on (sessionId, text): a repeated request gets the stored response verbatim.
 * Costs one read (session, participant and diary week together) and one write.
 */
export async function handleUssd(req: UssdRequest, deps: UssdDeps): Promise<string> {
  let lang: string | undefined;
  try {
    const study = await deps.studies.studyForServiceCode(req.serviceCode);
    if (!study) {
      deps.log.warn('unknown USSD service code', { serviceCode: req.serviceCode });
      return fallbackEnd(deps.content, 'unavailable');
    }
    const phone = gatewayE164(req.phoneNumber);
    if (!phone) {
      deps.log.warn('USSD request with an invalid phone number', { sessionId: req.sessionId });
      return fallbackEnd(deps.content, 'unavailable');
    }
    for (let attempt = 0; ; attempt += 1) {
      const h: HopContext = { req, deps, study, phone, now: deps.clock.now() };
      const { session, participant, week } = await deps.store.loadHop(req.sessionId, study.studyId, phone, weekOf(h).id, h.now);
      lang = participant?.lang;
      const ctx: FlowContext = { study, content: deps.content, ...(participant ? { participant } : {}) };
      if (session && session.phone !== phone) {
        deps.log.warn('USSD session id reused by another number', { sessionId: req.sessionId });
        return fallbackEnd(deps.content, 'unavailable', lang);
      }
      if (participant && decidedIn(participant, req.sessionId)) return decisionEnd(participant, ctx);
      // This enrolment conversation was overtaken: another session of the number consented.
      if (session && participant?.consent.state === 'consented') return renderScreen('END', [stringsFor(ctx, lang).goodbye]);
      try {
        return participant?.consent.state === 'consented'
          ? await participantHop(h, participant, week)
          : await enrolmentHop(h, session, participant);
      } catch (err) {
        // A concurrent copy of this request (operator replay) won the write: go round again,
        // and the replay checks answer with what the winner sent.
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

function describe(err: unknown): Record<string, unknown> {
  return err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : { value: String(err) };
}
