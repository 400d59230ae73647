import type { Lesson, UiStrings } from '../content/schema.js';
import type { Lang } from '../model.js';
import { paginateOptions, renderScreen } from '../ussd/screen.js';

/** The USSD pages of a lesson in a language (falling back to English if a page set is missing). */
export function lessonPages(lesson: Lesson, lang: Lang): string[] {
  return lesson.ussd[lang] ?? lesson.ussd.en ?? [];
}

/** One lesson page: "98. More" always leads on (to the quiz after the last page). */
export function lessonPageScreen(lesson: Lesson, lang: Lang, page: number, s: UiStrings, notice?: string): string {
  const text = lessonPages(lesson, lang)[page] ?? '';
  return renderScreen('CON', [text, s.more, ...(page > 0 ? [s.back] : [])], notice);
}

function quizPagesOf(lesson: Lesson, lang: Lang, s: UiStrings) {
  const { quiz } = lesson;
  const question = quiz.ussd?.[lang] ?? quiz.question[lang] ?? '';
  const options = quiz.choices.map((c, i) => `${i + 1}. ${c.ussd?.[lang] ?? c.label[lang] ?? c.name}`);
  return { question, pages: paginateOptions(question, options, s, { backOnFirstPage: true }) };
}

/** Screens the quiz takes: its choices paginate like a question's ("98. More"). */
export function quizPageCount(lesson: Lesson, lang: Lang, s: UiStrings): number {
  return quizPagesOf(lesson, lang, s).pages.length;
}

export function quizScreen(lesson: Lesson, lang: Lang, s: UiStrings, page = 0, notice?: string): string {
  const { question, pages } = quizPagesOf(lesson, lang, s);
  const p = pages[Math.min(page, pages.length - 1)] ?? { options: [], hasMore: false };
  return renderScreen('CON', [question, ...p.options, ...(p.hasMore ? [s.more] : []), s.back], notice);
}

/** The feedback on a quiz answer ends the session: the lesson is done. */
export function feedbackScreen(lesson: Lesson, lang: Lang, choiceName: string): string {
  const choice = lesson.quiz.choices.find((c) => c.name === choiceName);
  return renderScreen('END', [choice?.feedback[lang] ?? '']);
}
