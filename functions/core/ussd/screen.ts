import { assertFitsUssd, fitsUssd } from './limits.js';

export type ScreenKind = 'CON' | 'END';

/**
 * Builds the text of one screen and checks it against the USSD limit. A notice (such as
 * "please choose one of the numbers") goes on top; if the screen would then overflow, the
 * lead text (the question or consent page the participant has just read) gives way to the
 * notice, keeping the options; failing that, the notice is dropped. The body itself must
 * fit, or ScreenTooLongError is thrown (content checks catch that before release).
 */
export function renderScreen(kind: ScreenKind, lines: readonly string[], notice?: string): string {
  const compose = (parts: readonly string[]) => `${kind} ${parts.join('\n')}`;
  if (notice) {
    const candidates = [[notice, ...lines], ...(lines.length > 1 ? [[notice, ...lines.slice(1)]] : [])];
    for (const candidate of candidates) {
      const screen = compose(candidate);
      if (fitsUssd(screen)) return screen;
    }
  }
  return assertFitsUssd(compose(lines));
}

/**
 * The first of several layouts, most complete first, that fits one screen (with the notice
 * if it can). For screens whose length depends on data, such as amounts in a summary.
 */
export function renderFirstFitting(kind: ScreenKind, layouts: readonly (readonly string[])[], notice?: string): string {
  for (const lines of layouts.slice(0, -1)) {
    if (fitsUssd(`${kind} ${lines.join('\n')}`)) return renderScreen(kind, lines, notice);
  }
  return renderScreen(kind, layouts.at(-1) ?? [], notice);
}

export interface OptionPage {
  /** Option lines shown on this page, already numbered. */
  options: string[];
  hasMore: boolean;
}

/**
 * Splits numbered options into screens that fit with the title, navigation lines and a
 * footer shown on every page (such as "99. Skip"). One convention everywhere: "98. More" to
 * go forward, "0. Back" to go back.
 */
export function paginateOptions(
  title: string,
  options: readonly string[],
  nav: { more: string; back: string },
  opts: { backOnFirstPage: boolean; footer?: readonly string[] },
): OptionPage[] {
  const pages: OptionPage[] = [];
  const footer = opts.footer ?? [];
  let i = 0;
  while (i < options.length) {
    const showBack = pages.length > 0 || opts.backOnFirstPage;
    const current: string[] = [];
    while (i < options.length) {
      const candidate = [...current, options[i] as string];
      const isLast = i === options.length - 1;
      const lines = [title, ...candidate, ...(isLast ? [] : [nav.more]), ...(showBack ? [nav.back] : []), ...footer];
      if (!fitsUssd(`CON ${lines.join('\n')}`) && current.length > 0) break;
      current.push(options[i] as string);
      i += 1;
    }
    pages.push({ options: current, hasMore: i < options.length });
  }
  return pages;
}
