import type { UiStrings } from '../content/schema.js';

/**
 * The keys every USSD screen shares to move between pages: "98. More" forward, "0. Back"
 * back (or out). One place for them, so each flow and list pages the same way; their labels
 * are the `more` and `back` UI strings, which start with these keys in every language.
 */
export const MORE = '98';
export const BACK = '0';

/**
 * What a key does on page `page` of `pages`: the page it turns to; `beforeFirst` for Back on
 * the first page and `afterLast` for More on the last (each flow decides what those mean:
 * leave, go on to the quiz, or refuse); undefined when it is not a navigation key.
 */
export type PageTurn = { to: number } | 'beforeFirst' | 'afterLast' | undefined;

export function turnPage(input: string, page: number, pages: number): PageTurn {
  if (input === MORE) return page < pages - 1 ? { to: page + 1 } : 'afterLast';
  if (input === BACK) return page > 0 ? { to: page - 1 } : 'beforeFirst';
  return undefined;
}

/** The navigation lines under a screen's options: "98. More" when there is a next page, "0. Back" when back leads somewhere. */
export function navLines(s: Pick<UiStrings, 'more' | 'back'>, show: { more: boolean; back: boolean }): string[] {
  return [...(show.more ? [s.more] : []), ...(show.back ? [s.back] : [])];
}
