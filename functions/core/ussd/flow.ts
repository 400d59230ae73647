import type { Content, Question, UiStrings } from '../content/schema.js';
import type { AnswerValue, Lang, Participant, Study } from '../model.js';
import { parseAnswer } from '../questionnaire/answer.js';
import { questionPages, questionScreen } from '../questionnaire/render.js';
import { liveAnswers, nextAsked, previousAsked } from '../questionnaire/walk.js';
import { advanceDiary, type DiaryEffect, type DiaryView, enterDiary, viewDiary } from './diary-flow.js';
import { advanceLessons, enterLessons, type LessonEffect, viewLessons } from './lessons-flow.js';
import { fitsUssd } from './limits.js';
import { BACK, navLines, turnPage } from './navigation.js';
import { advanceProblem, type ComplaintEffect, viewProblem } from './problem-flow.js';
import { advanceSettings, type SettingsEffect, viewSettings } from './settings-flow.js';
import { type MonthTotals, summaryScreen } from './summary.js';
import { fill } from './text.js';
import { paginateOptions, renderScreen } from './screen.js';
import type { MenuItemId, UssdState } from './session.js';

/**
 * The USSD dialogue as a pure state machine: `begin` picks the first state for a caller,
 * `advance` applies one input, `view` renders a state as a screen. No I/O here, so every
 * path can be tested exhaustively and replayed.
 */

export interface FlowContext {
  study: Study;
  content: Content;
  participant?: Participant;
  /** This week's diary of a consented participant. */
  diary?: DiaryView;
  /** The AT session id: complaint references derive from it. */
  sessionId?: string;
  /** Loaded by the service only when the summary screen is shown. */
  summary?: MonthTotals[];
}

/** What the service must persist: a consent decision, or a diary answer the moment it is given. */
export type Effect =
  | { type: 'enrol'; lang: Lang; answers: Record<string, AnswerValue> }
  | { type: 'decline'; lang: Lang }
  | DiaryEffect
  | LessonEffect
  | ComplaintEffect
  | SettingsEffect;

export interface Step {
  state: UssdState;
  /** Shown above the screen when the input was not accepted, in the participant's language. */
  notice?: string;
  effect?: Effect;
}

export function offeredLanguages(ctx: FlowContext): Lang[] {
  const offered = ctx.study.languages.filter((l) => ctx.content.languages.includes(l));
  return offered.length > 0 ? offered : [ctx.content.languages[0] as Lang];
}

function defaultLang(ctx: FlowContext): Lang {
  return offeredLanguages(ctx)[0] as Lang;
}

export function stringsFor(ctx: FlowContext, lang: Lang | undefined): UiStrings {
  const chosen = lang && ctx.content.strings[lang] ? lang : defaultLang(ctx);
  return ctx.content.strings[chosen] as UiStrings;
}



function vars(ctx: FlowContext): Record<string, string> {
  return { code: ctx.study.serviceCode, contact: ctx.study.contact };
}

export function menuItems(ctx: FlowContext): MenuItemId[] {
  const arm = ctx.study.arms.find((a) => a.armId === ctx.participant?.armId);
  // Lessons are treatment content: a control (or unassigned) participant never sees the item.
  const lessons: MenuItemId[] = arm?.treatment ? ['lessons'] : [];
  return ['diary', ...lessons, 'summary', 'problem', 'settings'];
}

const menuLabelKey: Record<MenuItemId, keyof UiStrings> = {
  diary: 'menuDiary',
  lessons: 'menuLessons',
  summary: 'menuSummary',
  problem: 'menuProblem',
  settings: 'menuSettings',
};

export function begin(ctx: FlowContext): UssdState {
  const p = ctx.participant;
  const lang = p?.lang && offeredLanguages(ctx).includes(p.lang) ? p.lang : undefined;
  if (p?.consent.state === 'consented') return { at: 'menu', lang: lang ?? defaultLang(ctx), page: 0 };
  if (p?.consent.state === 'declined') return { at: 'declinedBefore', lang: lang ?? defaultLang(ctx) };
  if (offeredLanguages(ctx).length === 1) return { at: 'consent', lang: defaultLang(ctx), page: 0 };
  return { at: 'language' };
}

function consentPages(ctx: FlowContext, lang: Lang): string[] {
  return ctx.content.consent.pages[lang] ?? ctx.content.consent.pages[defaultLang(ctx)] ?? [];
}

function menuPages(ctx: FlowContext, lang: Lang) {
  const s = stringsFor(ctx, lang);
  const options = menuItems(ctx).map((item, i) => `${i + 1}. ${s[menuLabelKey[item]]}`);
  return paginateOptions(s.mainMenuTitle, options, s, { backOnFirstPage: false });
}

/** Parses a numbered choice from 1 to `count`; strict, so "1a" or " 1" are not accepted. */
function choiceIndex(input: string, count: number): number | undefined {
  if (!/^\d{1,2}$/.test(input)) return undefined;
  const n = Number(input);
  return n >= 1 && n <= count ? n - 1 : undefined;
}

export function advance(state: UssdState, input: string, ctx: FlowContext): Step {
  const trimmed = input.trim();
  switch (state.at) {
    case 'language': {
      const langs = offeredLanguages(ctx);
      const i = choiceIndex(trimmed, langs.length);
      // No language chosen yet: say it in every language offered.
      const notice = langs.map((l) => stringsFor(ctx, l).invalidChoice).join(' / ');
      if (i === undefined) return { state, notice };
      return { state: { at: 'consent', lang: langs[i] as Lang, page: 0 } };
    }
    case 'consent': {
      const s = stringsFor(ctx, state.lang);
      const last = consentPages(ctx, state.lang).length - 1;
      const turn = turnPage(trimmed, state.page, last + 1);
      if (typeof turn === 'object') return { state: { ...state, page: turn.to } };
      if (state.page < last) return { state, notice: s.invalidChoice };
      if (trimmed === '1') return startBaseline(state.lang, ctx);
      if (trimmed === '2') {
        return { state: { at: 'ended', lang: state.lang, message: 'declined' }, effect: { type: 'decline', lang: state.lang } };
      }
      return { state, notice: s.invalidChoice };
    }
    case 'declinedBefore': {
      if (trimmed === '1') return { state: { at: 'consent', lang: state.lang, page: 0 } };
      if (trimmed === '2') return { state: { at: 'ended', lang: state.lang, message: 'goodbye' } };
      return { state, notice: stringsFor(ctx, state.lang).invalidChoice };
    }
    case 'baseline':
      return answerBaseline(state, trimmed, ctx);
    case 'menu': {
      const pages = menuPages(ctx, state.lang);
      const page = pages[Math.min(state.page, pages.length - 1)];
      const turn = turnPage(trimmed, state.page, pages.length);
      if (typeof turn === 'object') return { state: { ...state, page: turn.to } };
      const firstNumber = pages.slice(0, state.page).reduce((n, p) => n + p.options.length, 0);
      const i = choiceIndex(trimmed, firstNumber + (page?.options.length ?? 0));
      const item = i !== undefined && i >= firstNumber ? menuItems(ctx)[i] : undefined;
      if (!item) return { state, notice: stringsFor(ctx, state.lang).invalidChoice };
      return { state: openMenuItem(item, state.lang, ctx) };
    }
    case 'comingSoon':
      if (trimmed === BACK) return { state: { at: 'menu', lang: state.lang, page: 0 } };
      return { state, notice: stringsFor(ctx, state.lang).invalidChoice };
    case 'diaryResume':
    case 'diaryQuestion':
    case 'diaryReview':
    case 'diaryPick': {
      const menu: UssdState = { at: 'menu', lang: state.lang, page: 0 };
      if (!ctx.content.diary || !ctx.diary) return { state: menu };
      return advanceDiary(state, trimmed, ctx.content.diary, ctx.diary, stringsFor(ctx, state.lang), menu);
    }
    case 'lessonsMenu':
    case 'lesson':
    case 'quiz':
    case 'feedback':
      return advanceLessons(state, trimmed, ctx, stringsFor(ctx, state.lang), menuOf(state.lang));
    case 'summary':
      if (trimmed === BACK) return { state: menuOf(state.lang) };
      return { state, notice: stringsFor(ctx, state.lang).invalidChoice };
    case 'problemProvider':
    case 'problemCategory':
    case 'problemText':
    case 'problemShare':
    case 'problemThanks':
      return advanceProblem(state, trimmed, ctx, stringsFor(ctx, state.lang), menuOf(state.lang));
    case 'settings':
    case 'settingsLanguage':
    case 'reminderDay':
    case 'reminderHour':
    case 'channel':
    case 'stopConfirm':
      return advanceSettings(state, trimmed, settingsContext(ctx), stringsFor(ctx, state.lang), menuOf(state.lang));
    case 'ended':
      return { state };
  }
}

const menuOf = (lang: Lang): UssdState => ({ at: 'menu', lang, page: 0 });

function settingsContext(ctx: FlowContext) {
  return { languages: offeredLanguages(ctx), strings: (l: Lang) => stringsFor(ctx, l) };
}

/** Where a main-menu item leads; an item whose content is missing says "coming soon". */
function openMenuItem(item: MenuItemId, lang: Lang, ctx: FlowContext): UssdState {
  switch (item) {
    case 'diary':
      return ctx.content.diary && ctx.diary ? enterDiary(ctx.content.diary, ctx.diary, lang) : { at: 'comingSoon', lang, item };
    case 'lessons':
      return ctx.content.modules?.length ? enterLessons(ctx, lang, menuOf(lang)) : { at: 'comingSoon', lang, item };
    case 'summary':
      return { at: 'summary', lang };
    case 'problem':
      return ctx.content.complaints && ctx.study.providers.length ? { at: 'problemProvider', lang, page: 0 } : { at: 'comingSoon', lang, item };
    case 'settings':
      return { at: 'settings', lang, page: 0 };
  }
}

function startBaseline(lang: Lang, ctx: FlowContext): Step {
  // Someone who withdrew and rejoins answered the baseline already: the first answers stand.
  if (ctx.content.baseline.questions.length === 0 || ctx.participant?.consent.state === 'withdrawn') {
    return { state: { at: 'ended', lang, message: 'enrolled' }, effect: { type: 'enrol', lang, answers: {} } };
  }
  const first = nextAsked(ctx.content.baseline, {}, 0);
  if (first === undefined) return { state: { at: 'ended', lang, message: 'enrolled' }, effect: { type: 'enrol', lang, answers: {} } };
  return { state: { at: 'baseline', lang, index: first, page: 0, answers: {} } };
}

function answerBaseline(state: Extract<UssdState, { at: 'baseline' }>, input: string, ctx: FlowContext): Step {
  const form = ctx.content.baseline;
  const question = form.questions[state.index] as Question;
  const s = stringsFor(ctx, state.lang);
  const isSelect = question.type === 'select_one' || question.type === 'select_multiple';
  if (isSelect) {
    const pages = questionPages(question, { lang: state.lang, strings: s, canGoBack: state.index > 0 });
    const turn = turnPage(input, state.page, pages);
    if (typeof turn === 'object') return { state: { ...state, page: turn.to } };
    if (turn === 'beforeFirst') {
      const previous = previousAsked(form, state.answers, 0, state.index);
      if (previous !== undefined) return { state: { ...state, index: previous, page: 0 } };
    }
  }
  const parsed = parseAnswer(question, input, state.lang, s);
  if (!parsed.ok) return { state, notice: parsed.notice };
  const answers: Record<string, AnswerValue> = { ...state.answers };
  if (parsed.value === undefined) delete answers[question.id];
  else answers[question.id] = parsed.value as AnswerValue;
  const next = nextAsked(form, answers, 0, state.index + 1);
  if (next !== undefined) return { state: { ...state, index: next, page: 0, answers } };
  return {
    state: { at: 'ended', lang: state.lang, message: 'enrolled' },
    effect: { type: 'enrol', lang: state.lang, answers: liveAnswers(form, answers, 0) as Record<string, AnswerValue> },
  };
}

export function view(state: UssdState, ctx: FlowContext, notice?: string): string {
  switch (state.at) {
    case 'language': {
      const s = stringsFor(ctx, undefined);
      const options = offeredLanguages(ctx).map((l, i) => `${i + 1}. ${stringsFor(ctx, l).languageName}`);
      // A language named in its own script (Bengali) makes the screen UCS-2, 80 characters:
      // the names alone are then the menu, each recognisable to its readers.
      const full = `CON ${[s.chooseLanguage, ...options].join('\n')}`;
      return renderScreen('CON', fitsUssd(full) ? [s.chooseLanguage, ...options] : options, notice);
    }
    case 'consent': {
      const s = stringsFor(ctx, state.lang);
      const pages = consentPages(ctx, state.lang);
      const text = fill(pages[state.page] ?? '', vars(ctx));
      const more = state.page < pages.length - 1;
      const nav = [...(more ? [] : [s.agree, s.decline]), ...navLines(s, { more, back: state.page > 0 })];
      return renderScreen('CON', [text, ...nav], notice);
    }
    case 'declinedBefore': {
      const s = stringsFor(ctx, state.lang);
      return renderScreen('CON', [s.declinedBefore, s.readAgain, s.exit], notice);
    }
    case 'baseline': {
      const q = ctx.content.baseline.questions[state.index] as Question;
      const strings = stringsFor(ctx, state.lang);
      return questionScreen(q, { lang: state.lang, strings, page: state.page, canGoBack: state.index > 0, ...(notice ? { notice } : {}) });
    }
    case 'menu': {
      const s = stringsFor(ctx, state.lang);
      const pages = menuPages(ctx, state.lang);
      const page = pages[Math.min(state.page, pages.length - 1)] ?? { options: [], hasMore: false };
      const nav = navLines(s, { more: page.hasMore, back: state.page > 0 });
      return renderScreen('CON', [s.mainMenuTitle, ...page.options, ...nav], notice);
    }
    case 'comingSoon': {
      const s = stringsFor(ctx, state.lang);
      return renderScreen('CON', [fill(s.comingSoon, { item: s[menuLabelKey[state.item]] }), s.back], notice);
    }
    case 'diaryResume':
    case 'diaryQuestion':
    case 'diaryReview':
    case 'diaryPick': {
      const s = stringsFor(ctx, state.lang);
      if (!ctx.content.diary || !ctx.diary) return view({ at: 'menu', lang: state.lang, page: 0 }, ctx, notice);
      return viewDiary(state, ctx.content.diary, ctx.diary, s, notice);
    }
    case 'lessonsMenu':
    case 'lesson':
    case 'quiz':
    case 'feedback':
      return viewLessons(state, ctx, stringsFor(ctx, state.lang), notice) ?? view(menuOf(state.lang), ctx, notice);
    case 'summary':
      return summaryScreen(ctx.summary ?? [], state.lang, stringsFor(ctx, state.lang), notice);
    case 'problemProvider':
    case 'problemCategory':
    case 'problemText':
    case 'problemShare':
    case 'problemThanks':
      return viewProblem(state, ctx, stringsFor(ctx, state.lang), notice);
    case 'settings':
    case 'settingsLanguage':
    case 'reminderDay':
    case 'reminderHour':
    case 'channel':
    case 'stopConfirm':
      return viewSettings(state, settingsContext(ctx), stringsFor(ctx, state.lang), notice);
    case 'ended': {
      const s = stringsFor(ctx, state.lang);
      return renderScreen('END', [fill(s[state.message], vars(ctx))]);
    }
  }
}
