import type { Content } from '../content/schema.js';
import type { Participant, Study } from '../model.js';
import type { Clock } from '../ports/clock.js';
import type { ComplaintStore } from '../ports/complaints.js';
import type { DiaryWeekStore } from '../ports/diary.js';
import type { Logger } from '../ports/logger.js';
import type { ParticipantStore } from '../ports/participants.js';
import type { HopReader, SessionStore } from '../ports/sessions.js';
import type { ServiceCodeReader } from '../ports/studies.js';
import { advance, type Effect, type FlowContext, offeredLanguages, view } from './flow.js';
import type { UssdState } from './session.js';

/** One Africa's Talking USSD callback, already decoded from its form body. */
export interface UssdRequest {
  sessionId: string;
  serviceCode: string;
  phoneNumber: string;
  networkCode?: string;
  text: string;
}

/**
 * What a hop reads and writes: one read of everything, then one write of what it stores (an
 * enrolment session, a participant, a diary week or a complaint). One adapter serves all
 * (adapters/dynamo/ussd-store.ts), so the read stays one BatchGetItem.
 */
export type UssdHopStore = HopReader & SessionStore & Pick<ParticipantStore, 'saveParticipant' | 'saveConsent'> & Pick<DiaryWeekStore, 'saveWeek' | 'listWeeks'> & ComplaintStore;

export interface UssdDeps {
  studies: ServiceCodeReader;
  store: UssdHopStore;
  content: Content;
  clock: Clock;
  newId: () => string;
  log: Logger;
}

/** What a hop knows once the study, number and stored records are resolved. */
export interface HopContext {
  req: UssdRequest;
  deps: UssdDeps;
  study: Study;
  phone: string;
  now: Date;
}

/**
 * Applies the inputs of one request to the dialogue, one at a time, handing each effect to
 * `onEffect` (which may update the context the next input sees). Stops at an END.
 */
export function applyInputs(
  start: UssdState,
  inputs: readonly string[],
  ctx: () => FlowContext,
  onEffect: (effect: Effect) => void,
): { state: UssdState; notice: string | undefined } {
  let state = start;
  let notice: string | undefined;
  for (const input of inputs) {
    if (state.at === 'ended') break;
    const step = advance(state, input, ctx());
    ({ state, notice } = step);
    if (step.effect) onEffect(step.effect);
  }
  return { state, notice };
}

/** This session ended with a consent decision (join, decline, stop): a resent request gets the same END. */
export function decidedIn(p: Participant, sessionId: string): boolean {
  return p.consent.sessionId === sessionId && p.consent.state !== 'pending';
}

export function decisionEnd(p: Participant, ctx: FlowContext): string {
  const message = p.consent.state === 'consented' ? 'enrolled' : p.consent.state === 'declined' ? 'declined' : 'stopped';
  return view({ at: 'ended', lang: p.lang ?? offeredLanguages(ctx)[0] ?? 'en', message }, ctx);
}
