import type { Question, UiStrings } from '../content/schema.js';
import type { Lang } from '../model.js';
import { paginateOptions, renderScreen } from '../ussd/screen.js';

/** The question as a USSD screen shows it: the short variant where the language has one. */
export function ussdLabel(q: Question, lang: Lang): string {
  return q.ussd?.[lang] ?? q.label[lang] ?? q.id;
}

export function choiceLines(q: Question, lang: Lang): string[] {
  if (q.type !== 'select_one' && q.type !== 'select_multiple') return [];
  return q.choices.map((c, i) => `${i + 1}. ${c.ussd?.[lang] ?? c.label[lang] ?? c.name}`);
}

export interface QuestionView {
  lang: Lang;
  strings: UiStrings;
  /** Page of a long choice list. */
  page: number;
  /** Whether "0. Back" leads to an earlier question. */
  canGoBack: boolean;
  notice?: string;
}

/** Number of screens a question's choices take. */
export function questionPages(q: Question, v: Omit<QuestionView, 'page' | 'notice'>): number {
  const lines = choiceLines(q, v.lang);
  if (lines.length === 0) return 1;
  return paginateOptions(ussdLabel(q, v.lang), lines, v.strings, footerOpts(q, v)).length;
}

function footerOpts(q: Question, v: Pick<QuestionView, 'strings' | 'canGoBack'>) {
  return { backOnFirstPage: v.canGoBack, footer: q.required === false ? [v.strings.skip] : [] };
}

/** Renders one screen of a question, checked against the USSD limit by renderScreen. */
export function questionScreen(q: Question, v: QuestionView): string {
  const label = ussdLabel(q, v.lang);
  const skip = q.required === false ? [v.strings.skip] : [];
  const lines = choiceLines(q, v.lang);
  // Typed answers use every key (0, 98 and 99 are amounts), so they show no navigation.
  if (lines.length === 0) return renderScreen('CON', [label, ...(q.type === 'text' ? skip : [])], v.notice);
  const pages = paginateOptions(label, lines, v.strings, footerOpts(q, v));
  const index = Math.min(Math.max(v.page, 0), pages.length - 1);
  const page = pages[index] ?? { options: [], hasMore: false };
  const nav = [...(page.hasMore ? [v.strings.more] : []), ...(index > 0 || v.canGoBack ? [v.strings.back] : [])];
  return renderScreen('CON', [label, ...page.options, ...nav, ...skip], v.notice);
}
