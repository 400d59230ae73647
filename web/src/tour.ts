/**
 * The guided tour: a diary answered step by step, each step explained. The keys are those of
 * a diary-only participant with no wages this week (the shortest honest diary); the captions
 * say what the screen asks so a trainer can talk over it.
 */
export type TourAction = { kind: 'select'; phone: string } | { kind: 'dial' } | { kind: 'answer'; key: string } | { kind: 'none' };

export interface TourStep {
  caption: string;
  action: TourAction;
}

export const TOUR_PHONE = '+254700000006';

export const TOUR: readonly TourStep[] = [
  { caption: `Meet a participant: ${TOUR_PHONE}, a synthetic garment worker who reads English and is in the diary-only arm. Next picks her phone.`, action: { kind: 'select', phone: TOUR_PHONE } },
  { caption: 'She dials the study code. USSD is free for her and works on any phone, without data. Next dials.', action: { kind: 'dial' } },
  {
    caption: "The main menu. Option 1 is this week's diary. Next presses 1. (If she has already answered this week, the diary opens for changes instead: stop the tour and add a new number.)",
    action: { kind: 'answer', key: '1' },
  },
  { caption: 'The first question: was she paid wages this week? She answers 2, no.', action: { kind: 'answer', key: '2' } },
  { caption: 'How much did she save this week? She types 0: amounts are typed as numbers.', action: { kind: 'answer', key: '0' } },
  { caption: 'Did she borrow money? 2, no. Questions she does not need are skipped.', action: { kind: 'answer', key: '2' } },
  { caption: 'What did she spend most on? 1, food.', action: { kind: 'answer', key: '1' } },
  { caption: 'A rotating question, different each week, so the diary stays short. She picks 1.', action: { kind: 'answer', key: '1' } },
  { caption: 'She checks her answers and presses 1 to save. The session ends with a thank-you.', action: { kind: 'answer', key: '1' } },
  {
    caption: 'Done. The diary is saved exactly once, even if the network resends. Researchers see it counted on the study overview; she can dial again until Sunday to change it.',
    action: { kind: 'none' },
  },
];
