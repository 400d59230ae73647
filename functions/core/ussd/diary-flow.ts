import type { Question, Questionnaire, UiStrings } from '../content/schema.js';
import type { AnswerValue, Lang } from '../model.js';
import { parseAnswer } from '../questionnaire/answer.js';
import { questionPages, questionScreen, ussdLabel } from '../questionnaire/render.js';
import { type Answers, isAsked, liveAnswers, nextAsked, previousAsked } from '../questionnaire/walk.js';
import { encodedLength, encodingOf } from '../text/gsm7.js';
import { USSD_LIMIT } from './limits.js';
import { BACK, navLines, turnPage } from './navigation.js';
import { paginateOptions, renderFirstFitting, renderScreen } from './screen.js';
import type { UssdState } from './session.js';

/**
 * The weekly diary over USSD. Every accepted answer is an `answer` effect that the service
 * stores at once (a dropped session loses nothing); the next dial offers to continue at the
 * first unanswered question. After the last question, a review: save, or change any answer
 * until the week closes.
 */

export interface DiaryView {
  studyWeek: number;
  /** Stored answers; null marks a question the participant chose to skip. */
  answers: Readonly<Record<string, AnswerValue | null>>;
  complete: boolean;
}

export type DiaryEffect = { type: 'answer'; questionId: string; value: AnswerValue | null } | { type: 'complete' };

type DiaryState = Extract<UssdState, { at: 'diaryResume' | 'diaryQuestion' | 'diaryReview' | 'diaryPick' }>;

export interface DiaryStep {
  state: UssdState;
  notice?: string;
  effect?: DiaryEffect;
}

/** Answers as conditions see them: skipped questions count as unanswered. */
function conditionAnswers(d: DiaryView): Answers {
  return Object.fromEntries(Object.entries(d.answers).filter(([, v]) => v !== null)) as Answers;
}

/** The first question asked on the current path that has no stored answer (or skip). */
export function firstUnanswered(form: Questionnaire, d: DiaryView): number | undefined {
  const answers = conditionAnswers(d);
  for (let i = nextAsked(form, answers, d.studyWeek); i !== undefined; i = nextAsked(form, answers, d.studyWeek, i + 1)) {
    if (!((form.questions[i] as Question).id in d.answers)) return i;
  }
  return undefined;
}

/** Where choosing the diary from the main menu leads. */
export function enterDiary(form: Questionnaire, d: DiaryView, lang: Lang): UssdState {
  if (d.complete) return { at: 'diaryReview', lang };
  const next = firstUnanswered(form, d);
  if (next === undefined) return { at: 'diaryReview', lang };
  if (Object.keys(d.answers).length > 0) return { at: 'diaryResume', lang };
  return { at: 'diaryQuestion', lang, index: next, page: 0, review: false };
}

/** Questions on the current path that have an answer, in order: the review list. */
function answeredOnPath(form: Questionnaire, d: DiaryView): Question[] {
  const live = liveAnswers(form, conditionAnswers(d), d.studyWeek);
  return form.questions.filter((q, i) => q.id in d.answers && isAsked(q, liveAnswers(form, live, d.studyWeek, i), d.studyWeek));
}

export function advanceDiary(state: DiaryState, input: string, form: Questionnaire, d: DiaryView, s: UiStrings, menu: UssdState): DiaryStep {
  switch (state.at) {
    case 'diaryResume': {
      if (input === '1') {
        const next = firstUnanswered(form, d);
        return { state: next === undefined ? { at: 'diaryReview', lang: state.lang } : { at: 'diaryQuestion', lang: state.lang, index: next, page: 0, review: false } };
      }
      if (input === '2') return { state: menu };
      return { state, notice: s.invalidChoice };
    }
    case 'diaryReview': {
      if (input === '1') return { state: { at: 'ended', lang: state.lang, message: 'diarySaved' }, effect: { type: 'complete' } };
      if (input === '2') return { state: { at: 'diaryPick', lang: state.lang, page: 0 } };
      if (input === BACK) return { state: menu };
      return { state, notice: s.invalidChoice };
    }
    case 'diaryPick': {
      const lines = reviewLines(form, d, state.lang, s);
      const pages = paginateOptions(s.diaryWhichChange, lines, s, { backOnFirstPage: true });
      const page = pages[Math.min(state.page, pages.length - 1)];
      const turn = turnPage(input, state.page, pages.length);
      if (typeof turn === 'object') return { state: { ...state, page: turn.to } };
      if (turn === 'beforeFirst') return { state: { at: 'diaryReview', lang: state.lang } };
      const n = /^\d{1,2}$/.test(input) ? Number(input) : 0;
      const q = answeredOnPath(form, d)[n - 1];
      if (!q) return { state, notice: s.invalidChoice };
      return { state: { at: 'diaryQuestion', lang: state.lang, index: form.questions.indexOf(q), page: 0, review: true } };
    }
    case 'diaryQuestion':
      return answerQuestion(state, input, form, d, s, menu);
  }
}

function answerQuestion(
  state: Extract<UssdState, { at: 'diaryQuestion' }>,
  input: string,
  form: Questionnaire,
  d: DiaryView,
  s: UiStrings,
  menu: UssdState,
): DiaryStep {
  const q = form.questions[state.index] as Question;
  if (q.type === 'select_one' || q.type === 'select_multiple') {
    const pages = questionPages(q, { lang: state.lang, strings: s, canGoBack: true });
    const turn = turnPage(input, state.page, pages);
    if (typeof turn === 'object') return { state: { ...state, page: turn.to } };
    if (turn === 'beforeFirst') {
      if (state.review) return { state: { at: 'diaryPick', lang: state.lang, page: 0 } };
      const previous = previousAsked(form, conditionAnswers(d), d.studyWeek, state.index);
      return { state: previous === undefined ? menu : { ...state, index: previous, page: 0 } };
    }
  }
  const parsed = parseAnswer(q, input, state.lang, s);
  if (!parsed.ok) return { state, notice: parsed.notice };
  const value = (parsed.value ?? null) as AnswerValue | null;
  // Where to go once this answer is stored: the next unanswered question on the (possibly
  // changed) path; after a change from the review, back to the review when none is left.
  const after: DiaryView = { ...d, answers: { ...d.answers, [q.id]: value } };
  const next = firstUnanswered(form, after);
  const nextState: UssdState =
    next === undefined ? { at: 'diaryReview', lang: state.lang } : { at: 'diaryQuestion', lang: state.lang, index: next, page: 0, review: state.review };
  return { state: nextState, effect: { type: 'answer', questionId: q.id, value } };
}

/** "N. Label: answer" for the review, shortened to what a screen with title and navigation leaves. */
function reviewLines(form: Questionnaire, d: DiaryView, lang: Lang, s: UiStrings): string[] {
  const frame = `CON ${s.diaryWhichChange}\n\n${s.more}\n${s.back}`;
  return answeredOnPath(form, d).map((q, i) => {
    const line = `${i + 1}. ${q.review?.[lang] ?? ussdLabel(q, lang)}: ${display(q, d.answers[q.id] ?? null, lang, s)}`;
    const ucs2 = encodingOf(frame + line) === 'UCS-2';
    const room = USSD_LIMIT[ucs2 ? 'UCS-2' : 'GSM-7'] - encodedLength(frame).length;
    // Counting UTF-16 units (as UCS-2 does) is safe for GSM-7 too: no GSM-7 character counts less.
    return encodedLength(line).length > room ? `${line.slice(0, Math.max(room - 2, 4))}..` : line;
  });
}

export function display(q: Question, value: AnswerValue | null, lang: Lang, s: UiStrings): string {
  if (value === null) return s.diaryNoAnswer;
  if (q.type === 'select_one' || q.type === 'select_multiple') {
    const names = Array.isArray(value) ? value : [String(value)];
    return names.map((n) => {
      const c = q.choices.find((ch) => ch.name === n);
      return c ? (c.ussd?.[lang] ?? c.label[lang] ?? n) : n;
    }).join(', ');
  }
  return typeof value === 'number' ? value.toLocaleString('en-US') : String(value);
}

export function viewDiary(state: DiaryState, form: Questionnaire, d: DiaryView, s: UiStrings, notice?: string): string {
  const withNotice = notice ? { notice } : {};
  switch (state.at) {
    case 'diaryResume':
      return renderScreen('CON', [s.diaryResume, s.diaryContinue, s.diaryRestart], notice);
    case 'diaryReview':
      return renderFirstFitting('CON', [[d.complete ? s.diaryDone : s.diaryReview, s.diarySave, s.diaryChange, s.back], [s.diarySave, s.diaryChange, s.back]], notice);
    case 'diaryPick': {
      const lines = reviewLines(form, d, state.lang, s);
      const pages = paginateOptions(s.diaryWhichChange, lines, s, { backOnFirstPage: true });
      const index = Math.min(state.page, pages.length - 1);
      const page = pages[index] ?? { options: [], hasMore: false };
      return renderScreen('CON', [s.diaryWhichChange, ...page.options, ...navLines(s, { more: page.hasMore, back: true })], notice);
    }
    case 'diaryQuestion': {
      const q = form.questions[state.index] as Question;
      return questionScreen(q, { lang: state.lang, strings: s, page: state.page, canGoBack: true, ...withNotice });
    }
  }
}
