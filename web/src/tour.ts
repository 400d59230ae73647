/**
 * The guided tour: a diary answered step by step, each step explained. It runs on a throw-away
 * synthetic number made for the tour (never a seeded or real participant, whose saved diary the
 * same keys would change), and it reads every screen before it presses a key: when the screen
 * is not the one the step expects, the tour stops and says why instead of pressing on blindly.
 */
export type TourAction =
  /** Make the tour's own number and pick it. */
  | { kind: 'start' }
  | { kind: 'dial' }
  /** Type `key` on a screen that matches `expect`. */
  | { kind: 'type'; expect: RegExp; not?: RegExp; what: string; key: string }
  /** Press the number of the option whose label matches `option`, on a screen that matches `expect`. */
  | { kind: 'choose'; expect: RegExp; what: string; option: RegExp }
  /** Nothing to press; the screen should match `expect`. */
  | { kind: 'none'; expect: RegExp; what: string };

export interface TourStep {
  caption: string;
  action: TourAction;
}

export const TOUR: readonly TourStep[] = [
  {
    caption:
      'Meet a participant: a synthetic garment worker with a throw-away number made for this tour, reading English, in the diary-only arm. It is marked synthetic: exports and the impact report leave it out, and no real diary is touched. Next makes her number.',
    action: { kind: 'start' },
  },
  { caption: 'She dials the study code. USSD is free for her and works on any phone, without data. Next dials.', action: { kind: 'dial' } },
  { caption: "The main menu. Option 1 is this week's diary. Next presses it.", action: { kind: 'choose', expect: /This week's diary/, what: 'the main menu', option: /diary/i } },
  { caption: 'The first question: was she paid wages this week? She answers no.', action: { kind: 'choose', expect: /receive your wage/, what: 'the question about wages', option: /^No$/ } },
  { caption: 'How much did she save this week? She types 0: amounts are typed as numbers.', action: { kind: 'type', expect: /how much money did you save/i, what: 'the question about savings', key: '0' } },
  { caption: 'Did she borrow money? No. Questions she does not need are skipped.', action: { kind: 'choose', expect: /borrow money/, what: 'the question about borrowing', option: /^No$/ } },
  { caption: 'What did she spend most on? Food.', action: { kind: 'choose', expect: /spend the most/, what: 'the question about spending', option: /^Food$/ } },
  {
    caption: 'A rotating question, different each week, so the diary stays short. She picks 1.',
    action: { kind: 'type', expect: /^1\. /m, not: /^Your answers this week/, what: "this week's rotating question", key: '1' },
  },
  { caption: 'She checks her answers and presses 1 to save. The session ends with a thank-you.', action: { kind: 'choose', expect: /^Your answers this week/, what: 'the review of her answers', option: /^Save$/ } },
  {
    caption: 'Done. The diary is saved exactly once, even if the network resends. Her number was made for this tour, so no research data changed.',
    action: { kind: 'none', expect: /diary for this week is saved/, what: 'the thank-you for a saved diary' },
  },
];

/** What a step does on the screen the phone shows now: press a key, do nothing, or stop and say why. */
export type TourMove = { press: string; stop?: undefined } | { press?: undefined; stop?: undefined } | { stop: string; press?: undefined };

export function tourMove(action: TourAction, screen: string | undefined): TourMove {
  if (action.kind === 'start' || action.kind === 'dial') return {};
  const shown = screen ?? '';
  const unexpected = (): TourMove => ({
    stop: `The tour stopped: it expected ${action.what}, but the phone shows "${oneLine(shown) || 'nothing'}". Nothing was pressed. Start the tour again for a new number.`,
  });
  if (!action.expect.test(shown) || (action.kind === 'type' && action.not?.test(shown))) return unexpected();
  if (action.kind === 'none') return {};
  if (action.kind === 'type') return { press: action.key };
  const key = optionKey(shown, action.option);
  return key === undefined ? unexpected() : { press: key };
}

/** The number of the option line (`2. No`) whose label matches. */
export function optionKey(screen: string, label: RegExp): string | undefined {
  for (const line of screen.split('\n')) {
    const m = /^(\d+)\.\s+(.*)$/.exec(line.trim());
    if (m && label.test((m[2] as string).trim())) return m[1];
  }
  return undefined;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 120);
