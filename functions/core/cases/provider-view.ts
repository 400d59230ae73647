/**
 * What a provider's complaints desk sees of a case: its own referred cases only, without the
 * participant's id (the case reference is the handle), without the phone number unless the
 * participant agreed to share it for this case, and without NGO staff's internal notes or
 * names: only the referral's note (written for the desk) and the desk's own responses.
 */
import type { CaseActor, CaseState, ComplaintCase } from './model.js';
import { providerMaySee } from './transitions.js';

export interface ProviderCaseView {
  ref: string;
  state: CaseState;
  category: string;
  channel: ComplaintCase['channel'];
  receivedAt: string;
  referredAt: string;
  /** The participant's words: the desk needs them to act. */
  text?: string;
  /** Only with the participant's consent for this case. */
  phone?: string;
  /** Referral notes and the desk's own responses, oldest first. */
  thread: { at: string; from: 'ngo' | 'provider'; note: string }[];
}

/** The desk's view, or undefined (answer 404) for a case that is not its own. */
export function providerCaseView(c: ComplaintCase, desk: Pick<CaseActor, 'role' | 'providerId'>, participantPhone?: string): ProviderCaseView | undefined {
  if (!providerMaySee(c, desk) || c.referredAt === undefined) return undefined;
  const thread = c.history.flatMap((s): ProviderCaseView['thread'] => {
    if (!s.note) return [];
    if (s.action === 'refer') return [{ at: s.at, from: 'ngo', note: s.note }];
    if (s.action === 'respond' && s.actor.providerId === desk.providerId) return [{ at: s.at, from: 'provider', note: s.note }];
    return [];
  });
  return {
    ref: c.ref,
    state: c.state,
    category: c.category,
    channel: c.channel,
    receivedAt: c.receivedAt,
    referredAt: c.referredAt,
    ...(c.text ? { text: c.text } : {}),
    ...(c.shareNumber && participantPhone ? { phone: participantPhone } : {}),
    thread,
  };
}

/** A desk's list: its own referred cases, as views. */
export function providerCaseList(cases: readonly ComplaintCase[], desk: Pick<CaseActor, 'role' | 'providerId'>): ProviderCaseView[] {
  return cases.flatMap((c) => providerCaseView(c, desk) ?? []);
}
