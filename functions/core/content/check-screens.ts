import { feedbackScreen, lessonPageScreen, lessonPages, quizPageCount, quizScreen } from '../lessons/render.js';
import type { Study } from '../model.js';
import { questionPages, questionScreen } from '../questionnaire/render.js';
import { type SmsSize, smsSize } from '../text/segments.js';
import { type FlowContext, view } from '../ussd/flow.js';
import { ScreenTooLongError } from '../ussd/limits.js';
import { paginateOptions, renderScreen } from '../ussd/screen.js';
import type { UssdState } from '../ussd/session.js';
import type { Content, Questionnaire, UiStrings } from './schema.js';

/** SMS budgets in parts: a question's SMS prompt, and a whole lesson sent by SMS. */
export const SMS_BUDGET = { question: 1, lesson: 3 } as const;

/** A study with the longest values the placeholders of the content are filled with. */
const sampleStudy: Study = {
  studyId: 'content-check',
  name: 'Content check',
  country: 'KE',
  timeZone: 'Africa/Nairobi',
  languages: [],
  serviceCode: '*384*12345#',
  contact: '0800 720 123',
  arms: [{ armId: 'treatment', name: 'Treatment', ratio: 1, treatment: true }],
  providers: [{ id: 'long', name: 'Equity Bank Kenya', kind: 'bank' }],
  createdAt: '2026-01-01T00:00:00Z',
};

/** Renders every USSD screen the content can produce, in every language; reports those over the limit. */
export function screenProblems(content: Content): string[] {
  const problems: string[] = [];
  const tryRender = (where: string, render: () => string) => {
    try {
      render();
    } catch (err) {
      if (!(err instanceof ScreenTooLongError)) throw err;
      problems.push(`${where}: USSD screen of ${err.length} characters, limit ${err.limit}: ${JSON.stringify(err.screen)}`);
    }
  };
  const ctx: FlowContext = { study: { ...sampleStudy, languages: content.languages }, content };
  const states: UssdState[] = [{ at: 'language' }];
  for (const lang of content.languages) {
    const s = content.strings[lang];
    // A language without strings is reported by the translation check; its screens cannot be drawn.
    if (!s) continue;
    // The apologies the handlers fall back on when all else failed: one that does not fit would
    // make the last line of defence throw.
    for (const key of ['sorry', 'unavailable'] as const) tryRender(`strings.${lang}.${key}`, () => renderScreen('END', [s[key]]));
    (content.consent.pages[lang] ?? []).forEach((_, page) => states.push({ at: 'consent', lang, page }));
    states.push({ at: 'declinedBefore', lang }, { at: 'menu', lang, page: 0 });
    for (const message of ['enrolled', 'declined', 'goodbye'] as const) states.push({ at: 'ended', lang, message });
    for (const item of ['diary', 'lessons', 'summary', 'problem', 'settings'] as const) states.push({ at: 'comingSoon', lang, item });
    for (const form of [content.baseline, ...(content.diary ? [content.diary] : [])]) formScreens(form, lang, s, tryRender);
    for (const m of content.modules ?? []) {
      for (const lesson of m.lessons) {
        const at = `modules.${m.id}.${lesson.id} [${lang}]`;
        lessonPages(lesson, lang).forEach((_, page) => tryRender(`${at} page ${page + 1}`, () => lessonPageScreen(lesson, lang, page, s)));
        for (let page = 0; page < quizPageCount(lesson, lang, s); page += 1) tryRender(`${at} quiz page ${page + 1}`, () => quizScreen(lesson, lang, s, page));
        for (const c of lesson.quiz.choices) tryRender(`${at} feedback ${c.name}`, () => feedbackScreen(lesson, lang, c.name));
      }
    }
    const categories = (content.complaints?.categories ?? []).map((c, i) => `${i + 1}. ${c.ussd?.[lang] ?? c.label[lang] ?? c.name}`);
    if (categories.length) {
      tryRender(`complaints [${lang}]`, () => {
        const pages = paginateOptions(s.problemCategory, categories, s, { backOnFirstPage: true });
        return pages.map((p) => renderScreen('CON', [s.problemCategory, ...p.options, ...(p.hasMore ? [s.more] : []), s.back])).join();
      });
    }
  }
  // Every other screen, as a treatment participant with a diary under way and a summary sees it.
  const first = (content.modules ?? [])[0];
  const lessonKey = first ? `${first.id}/${first.lessons[0]?.id}` : '';
  for (const lang of content.languages) {
    states.push(
      { at: 'diaryResume', lang }, { at: 'diaryReview', lang }, { at: 'diaryPick', lang, page: 0 },
      { at: 'lessonsMenu', lang }, { at: 'summary', lang }, { at: 'problemProvider', lang, page: 0 },
      { at: 'problemText', lang, provider: 'long', category: 'other' }, { at: 'problemShare', lang, provider: 'long', category: 'other' }, { at: 'problemThanks', lang, ref: 'ABC123' },
      { at: 'settings', lang, page: 0 }, { at: 'settingsLanguage', lang }, { at: 'reminderDay', lang, page: 0 },
      { at: 'reminderHour', lang, day: 1 }, { at: 'channel', lang }, { at: 'stopConfirm', lang },
      { at: 'ended', lang, message: 'diarySaved' }, { at: 'ended', lang, message: 'settingsSaved' }, { at: 'ended', lang, message: 'stopped' },
      ...(lessonKey ? [{ at: 'lesson' as const, lang, lessonKey, page: 0 }] : []),
    );
    for (let page = 0; page < 3; page += 1) states.push({ at: 'problemCategory', lang, page, provider: 'long' });
  }
  const participant = {
    studyId: 'content-check', participantId: 'p', phone: '+254700000000', armId: 'treatment',
    consent: { state: 'consented' as const }, source: 'seed' as const, createdAt: '', updatedAt: '',
    lessons: lessonKey ? { [lessonKey]: { choice: 'a', correct: true, at: '2026-01-01T00:00:00Z', sessionId: 's' } } : {},
  };
  const sampleAnswers = Object.fromEntries((content.diary?.questions ?? []).slice(0, 6).map((q) => [q.id, 'choices' in q ? (q.choices[0]?.name ?? null) : 1_000_000]));
  const summary = [{ month: '2026-11', received: 1_000_000, fees: 100_000, saved: 1_000_000 }, { month: '2026-10', received: 1_000_000, fees: 100_000, saved: 1_000_000 }];
  for (const complete of [false, true]) {
    const full: FlowContext = { ...ctx, participant: { ...participant, lang: 'en' }, diary: { studyWeek: 0, answers: sampleAnswers, complete }, summary, sessionId: 's' };
    for (const state of states) {
      const lang = 'lang' in state ? state.lang : 'en';
      tryRender(`screen ${JSON.stringify(state)}${complete ? ' (diary saved)' : ''}`, () => view(state, { ...full, participant: { ...full.participant, lang } as typeof participant }));
    }
  }
  return problems;
}

function formScreens(form: Questionnaire, lang: string, strings: UiStrings, tryRender: (where: string, render: () => string) => void): void {
  for (const q of form.questions) {
    for (const canGoBack of [false, true]) {
      const pages = questionPages(q, { lang, strings, canGoBack });
      for (let page = 0; page < pages; page += 1) {
        tryRender(`${form.id}.${q.id} [${lang}]${pages > 1 ? ` page ${page + 1}` : ''}`, () => questionScreen(q, { lang, strings, page, canGoBack }));
      }
    }
  }
}

export interface SegmentRow {
  item: string;
  budget: number;
  sizes: Record<string, SmsSize>;
}

/** SMS sizes of every question's SMS prompt and every lesson, per language. */
export function smsRows(content: Content): SegmentRow[] {
  const rows: SegmentRow[] = [];
  for (const form of [content.baseline, ...(content.diary ? [content.diary] : [])]) {
    for (const q of form.questions) {
      if (!q.sms) continue;
      rows.push({ item: `${form.id}.${q.id}`, budget: SMS_BUDGET.question, sizes: sizesOf(q.sms, content.languages) });
    }
  }
  for (const m of content.modules ?? []) {
    for (const lesson of m.lessons) rows.push({ item: `${m.id}.${lesson.id}`, budget: SMS_BUDGET.lesson, sizes: sizesOf(lesson.sms, content.languages) });
  }
  // Outbound texts with their placeholders filled by their longest values: the longest lesson
  // title of each language, the longest service code and reference.
  const longestTitle = (lang: string) =>
    (content.modules ?? []).flatMap((m) => m.lessons.map((l) => l.title[lang] ?? '')).reduce((a, b) => (b.length > a.length ? b : a), '');
  for (const [key, text] of Object.entries(content.sms ?? {})) {
    const filled = Object.fromEntries(Object.entries(text).map(([l, t]) => [l, fillLongest(t, { title: longestTitle(l) })]));
    rows.push({ item: `sms.${key}`, budget: SMS_BUDGET.question, sizes: sizesOf(filled, content.languages) });
  }
  return rows;
}

const LONGEST: Record<string, string> = { code: '*384*12345#', ref: 'ABC123', week: '2026-W48' };
function fillLongest(t: string, more: Record<string, string>): string {
  return t.replace(/\{(\w+)\}/g, (w, k: string) => more[k] ?? LONGEST[k] ?? w);
}

function sizesOf(text: Record<string, string>, langs: readonly string[]): Record<string, SmsSize> {
  return Object.fromEntries(langs.filter((l) => text[l]).map((l) => [l, smsSize(text[l] as string)]));
}

export function smsProblems(rows: readonly SegmentRow[]): string[] {
  return rows.flatMap((r) =>
    Object.entries(r.sizes)
      .filter(([, size]) => size.segments > r.budget)
      .map(([lang, size]) => `${r.item} [${lang}]: SMS of ${size.segments} parts (${size.length} ${size.encoding} characters), budget ${r.budget}`),
  );
}
