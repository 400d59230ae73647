import type { Content, Question } from '../content/schema.js';
import type { AnswerValue, Lang, Participant, Study } from '../model.js';
import { parseAnswer, SKIP } from '../questionnaire/answer.js';
import { type DiaryView, firstUnanswered } from '../ussd/diary-flow.js';
import { inTreatment, lastLesson, lessonSequence, nextLesson } from '../ussd/lessons-flow.js';
import { complaintRef } from '../ussd/problem-flow.js';
import { CATEGORIES_KEY, digitKeys, feedbackKey, lessonKey, providersKey, questionKey, quizKey, voiceKey } from './prompts.js';

/**
 * The weekly diary by voice, on the questionnaire engine the USSD diary uses (skip logic,
 * validation, rotation; resume at the first unanswered question of the week). A call opens on
 * the diary while it is unfinished, then a short menu: a lesson (treatment arms only, checked at
 * every step: invariant 2) or a complaint (provider and category by key, then a recording).
 *
 * Keys: a choice is one key; a number is typed and ended with `#`, then confirmed back ("you
 * typed 5 0 0 0; press 1 if right, 2 to change"); `*` skips an optional question. A silence or a
 * wrong key repeats the prompt once; the second time an optional question is passed (stored as
 * skipped), anything else ends the call politely. Answers already given are kept either way.
 */

export type VoiceState =
  | { at: 'question'; index: number; tries: number }
  | { at: 'confirm'; index: number; value: number; tries: number }
  | { at: 'menu'; tries: number }
  | { at: 'quiz'; lessonKey: string; tries: number }
  | { at: 'problemProvider'; tries: number }
  | { at: 'problemCategory'; provider: string; tries: number }
  | { at: 'problemRecord'; provider: string; category: string; tries: number }
  | { at: 'ended' };

/** What AT sent after the last prompt: the keys pressed (GetDigits) or a recording (Record). */
export interface VoiceInput {
  digits?: string;
  recordingUrl?: string;
}

export type VoiceEffect =
  | { type: 'answer'; questionId: string; value: AnswerValue | null }
  | { type: 'complete' }
  | { type: 'lessonDone'; lessonKey: string; choice: string; correct: boolean }
  | { type: 'complaint'; ref: string; provider: string; category: string; recordingUrl?: string };

export interface VoiceContext {
  study: Study;
  content: Content;
  participant: Participant;
  diary: DiaryView;
  sessionId: string;
  lang: Lang;
}

/** What to ask next: digits after a prompt, or a recording. */
export type Ask = { kind: 'digits'; prompt: string; numDigits?: number; timeout: number } | { kind: 'record'; prompt: string };

/** One response: clips played first (notices, a lesson, digits read back), then at most one question. */
export interface VoiceTurn {
  lead: string[];
  ask?: Ask;
}

export interface VoiceStep {
  state: VoiceState;
  lead: string[];
  effects: VoiceEffect[];
}

/** Seconds AT waits for a key: a choice is quick, a number takes typing. */
const CHOICE_TIMEOUT = 10;
const NUMBER_TIMEOUT = 20;
/** A short complaint: a minute at most. */
export const RECORD_MAX_SECONDS = 60;

const form = (ctx: Pick<VoiceContext, 'content'>) => ctx.content.diary;

/** The first unanswered question the voice dialogue can ask (text questions cannot be typed). */
function nextQuestion(ctx: VoiceContext, diary: DiaryView): number | undefined {
  const f = form(ctx);
  return f ? firstUnanswered(f, diary) : undefined;
}

/** Where a call opens: the diary while this week's is unfinished, else the menu. */
export function beginCall(ctx: VoiceContext): VoiceStep {
  const next = ctx.diary.complete ? undefined : nextQuestion(ctx, ctx.diary);
  if (next === undefined) return { state: { at: 'menu', tries: 0 }, lead: [], effects: [] };
  const resumed = Object.keys(ctx.diary.answers).length > 0;
  return passText(ctx, { state: { at: 'question', index: next, tries: 0 }, lead: [voiceKey(resumed ? 'welcomeBack' : 'welcome')], effects: [] });
}

export function advanceVoice(state: VoiceState, input: VoiceInput, ctx: VoiceContext): VoiceStep {
  const digits = (input.digits ?? '').trim();
  switch (state.at) {
    case 'question':
      return answerQuestion(state, digits, ctx);
    case 'confirm': {
      if (digits === '1') return store(ctx, state.index, state.value);
      if (digits === '2') return { state: { at: 'question', index: state.index, tries: 0 }, lead: [], effects: [] };
      return retry(state, ctx, [voiceKey('youTyped'), ...digitKeys(state.value)]);
    }
    case 'menu': {
      if (digits === '1' && inTreatment(ctx)) {
        const lesson = nextLesson(ctx) ?? lastLesson(ctx);
        if (lesson) return { state: { at: 'quiz', lessonKey: lesson, tries: 0 }, lead: [lessonKey(lesson)], effects: [] };
      }
      if (digits === '2') return { state: { at: 'problemProvider', tries: 0 }, lead: [], effects: [] };
      return retry(state, ctx);
    }
    case 'quiz': {
      // The arm is read at call time: a participant moved to control mid-call hears no lesson.
      if (!inTreatment(ctx)) return { state: { at: 'menu', tries: 0 }, lead: [], effects: [] };
      const lesson = lessonSequence(ctx.content).find((l) => l.key === state.lessonKey)?.lesson;
      const choice = lesson?.quiz.choices[pick(digits, lesson.quiz.choices.length)];
      if (!lesson || !choice) return retry(state, ctx);
      return {
        state: { at: 'menu', tries: 0 },
        lead: [feedbackKey(state.lessonKey, choice.name)],
        effects: [{ type: 'lessonDone', lessonKey: state.lessonKey, choice: choice.name, correct: choice.name === lesson.quiz.correct }],
      };
    }
    case 'problemProvider': {
      const provider = ctx.study.providers[pick(digits, ctx.study.providers.length)];
      if (!provider) return retry(state, ctx);
      return { state: { at: 'problemCategory', provider: provider.id, tries: 0 }, lead: [], effects: [] };
    }
    case 'problemCategory': {
      const categories = ctx.content.complaints?.categories ?? [];
      const category = categories[pick(digits, categories.length)];
      if (!category) return retry(state, ctx);
      return { state: { at: 'problemRecord', provider: state.provider, category: category.name, tries: 0 }, lead: [], effects: [] };
    }
    case 'problemRecord': {
      const url = input.recordingUrl?.trim();
      // No recording twice: the provider and category alone are still a complaint worth counting.
      if (!url && state.tries === 0) return { state: { ...state, tries: 1 }, lead: [voiceKey('notHeard')], effects: [] };
      const effect: VoiceEffect = { type: 'complaint', ref: complaintRef(ctx.sessionId), provider: state.provider, category: state.category, ...(url ? { recordingUrl: url } : {}) };
      return { state: { at: 'ended' }, lead: [voiceKey('problemThanks'), voiceKey('goodbye')], effects: [effect] };
    }
    case 'ended':
      return { state, lead: [voiceKey('goodbye')], effects: [] };
  }
}

/** A one-based key among `count` choices, as an index; -1 for anything else. */
function pick(digits: string, count: number): number {
  const n = /^\d{1,2}$/.test(digits) ? Number(digits) : 0;
  return n >= 1 && n <= count ? n - 1 : -1;
}

/** A silence or a wrong key: the prompt once more; the second time the call ends politely. */
function retry(state: Exclude<VoiceState, { at: 'ended' }>, _ctx: VoiceContext, replay: string[] = []): VoiceStep {
  if (state.tries === 0) return { state: { ...state, tries: 1 }, lead: [voiceKey('notHeard'), ...replay], effects: [] };
  const unfinished = state.at === 'question' || state.at === 'confirm';
  return { state: { at: 'ended' }, lead: [voiceKey(unfinished ? 'callLater' : 'goodbye')], effects: [] };
}

function answerQuestion(state: Extract<VoiceState, { at: 'question' }>, digits: string, ctx: VoiceContext): VoiceStep {
  const f = form(ctx);
  const q = f?.questions[state.index];
  if (!q) return { state: { at: 'menu', tries: 0 }, lead: [], effects: [] };
  const optional = q.required === false;
  if (digits === '*' && optional) return store(ctx, state.index, null);
  const parsed = digits === '' ? undefined : parseAnswer(q, digits === '*' ? SKIP : digits, ctx.lang, ctx.content.strings[ctx.lang] ?? ctx.content.strings.en!);
  if (!parsed?.ok) {
    // The second silence on an optional question passes it, as "skip" would.
    if (state.tries > 0 && optional) return store(ctx, state.index, null);
    return retry(state, ctx);
  }
  const value = (parsed.value ?? null) as AnswerValue | null;
  if ((q.type === 'integer' || q.type === 'decimal') && typeof value === 'number') {
    return { state: { at: 'confirm', index: state.index, value, tries: 0 }, lead: [voiceKey('youTyped'), ...digitKeys(value)], effects: [] };
  }
  return store(ctx, state.index, value);
}

/** Stores an answer and moves to the next unanswered question, or saves the week and offers the menu. */
function store(ctx: VoiceContext, index: number, value: AnswerValue | null): VoiceStep {
  const q = form(ctx)?.questions[index] as Question;
  const answer: VoiceEffect = { type: 'answer', questionId: q.id, value };
  const after: DiaryView = { ...ctx.diary, answers: { ...ctx.diary.answers, [q.id]: value } };
  const next = nextQuestion(ctx, after);
  if (next !== undefined) return passText(ctx, { state: { at: 'question', index: next, tries: 0 }, lead: [], effects: [answer] }, after);
  return { state: { at: 'menu', tries: 0 }, lead: [voiceKey('diarySaved')], effects: [answer, { type: 'complete' }] };
}

/** A text question cannot be typed by keypad: it is stored as skipped and the next one asked. */
function passText(ctx: VoiceContext, step: VoiceStep, diary = ctx.diary): VoiceStep {
  if (step.state.at !== 'question') return step;
  const q = form(ctx)?.questions[step.state.index];
  if (q?.type !== 'text') return step;
  const rest = store({ ...ctx, diary }, step.state.index, null);
  return { ...rest, lead: [...step.lead, ...rest.lead], effects: [...step.effects, ...rest.effects] };
}

/** The question a state asks, as a prompt key and how many keys it takes. */
export function turnOf(state: VoiceState, lead: string[], ctx: VoiceContext): VoiceTurn {
  const one = (count: number) => (count <= 9 ? 1 : undefined);
  switch (state.at) {
    case 'question': {
      const f = form(ctx);
      const q = f?.questions[state.index] as Question;
      // One key ends a choice among nine or fewer (`*`, skip, is one key too); longer input ends with `#`.
      const numDigits = q.type === 'select_one' ? one(q.choices.length) : undefined;
      const timeout = q.type === 'integer' || q.type === 'decimal' || q.type === 'select_multiple' ? NUMBER_TIMEOUT : CHOICE_TIMEOUT;
      return { lead, ask: { kind: 'digits', prompt: questionKey(f?.id ?? 'diary', q.id), timeout, ...(numDigits ? { numDigits } : {}) } };
    }
    case 'confirm':
      return { lead, ask: { kind: 'digits', prompt: voiceKey('confirmAmount'), numDigits: 1, timeout: CHOICE_TIMEOUT } };
    case 'menu':
      return { lead, ask: { kind: 'digits', prompt: voiceKey(inTreatment(ctx) ? 'menuTreatment' : 'menuControl'), numDigits: 1, timeout: CHOICE_TIMEOUT } };
    case 'quiz':
      if (!inTreatment(ctx)) return { lead: lead.filter((k) => !k.startsWith('lesson.')), ask: { kind: 'digits', prompt: voiceKey('menuControl'), numDigits: 1, timeout: CHOICE_TIMEOUT } };
      return { lead, ask: { kind: 'digits', prompt: quizKey(state.lessonKey), numDigits: 1, timeout: CHOICE_TIMEOUT } };
    case 'problemProvider':
      return { lead, ask: { kind: 'digits', prompt: providersKey(ctx.study.studyId), timeout: CHOICE_TIMEOUT, ...(one(ctx.study.providers.length) ? { numDigits: 1 } : {}) } };
    case 'problemCategory':
      return { lead, ask: { kind: 'digits', prompt: CATEGORIES_KEY, timeout: CHOICE_TIMEOUT, ...(one(ctx.content.complaints?.categories.length ?? 0) ? { numDigits: 1 } : {}) } };
    case 'problemRecord':
      return { lead, ask: { kind: 'record', prompt: voiceKey('problemRecord') } };
    case 'ended':
      return { lead };
  }
}
