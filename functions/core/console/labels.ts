import type { ConsentState } from '../model.js';

/**
 * The one word for each participant state, wherever the console shows it (overview counts,
 * the participants list, a timeline): a state named two ways reads as two states.
 */
export const CONSENT_LABELS: Readonly<Record<ConsentState, string>> = {
  pending: 'Pending',
  consented: 'Consented',
  declined: 'Declined',
  withdrawn: 'Opted out',
};

export function consentLabel(state: string): string {
  return (CONSENT_LABELS as Record<string, string>)[state] ?? state;
}
