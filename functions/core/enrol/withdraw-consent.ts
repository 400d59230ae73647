import type { Consent, Participant } from '../model.js';

/**
 * The one place a participant's consent is withdrawn, whoever heard it: STOP by SMS or USSD, the
 * provider's opt-out (AT 406, SSL Wireless 4026, Infobip REJECTED_DND), or forgetting. After
 * it nothing goes to the number but STOP's confirmation (invariant 3). `channel` and
 * `sessionId` say who recorded it; left out, the earlier ones stay.
 */
export function withdrawConsent<P extends Pick<Participant, 'consent'>>(p: P, how: { at: string; channel?: Consent['channel']; sessionId?: string }): P {
  return {
    ...p,
    consent: { ...p.consent, state: 'withdrawn', at: how.at, ...(how.channel !== undefined ? { channel: how.channel } : {}), ...(how.sessionId !== undefined ? { sessionId: how.sessionId } : {}) },
  };
}

/** Consented and reached by SMS (not a USSD-only participant, nor one called by voice): who SMS prompts and campaigns may reach. */
export const reachableBySms = (p: Pick<Participant, 'consent' | 'channel'>): boolean => p.consent.state === 'consented' && p.channel !== 'ussd' && p.channel !== 'voice';
