import type { Content, Lesson, UiStrings } from '../content/schema.js';
import { feedbackScreen, lessonPageScreen, lessonPages, quizScreen } from '../lessons/render.js';
import type { Lang, Participant, Study } from '../model.js';
import { readList } from './list.js';
import { BACK, turnPage } from './navigation.js';
import { renderScreen } from './screen.js';
import type { UssdState } from './session.js';

/**
 * Lessons over USSD: the next lesson in the participant's sequence, page by page, then its
 * quiz with immediate feedback (an END: the lesson is done and recorded). Treatment content:
 * every lesson state checks the arm again, so no key sequence brings a control participant
 * here, whatever state a conversation was left in.
 */

export type LessonEffect = { type: 'lessonDone'; lessonKey: string; choice: string; correct: boolean };
type LessonState = Extract<UssdState, { at: 'lessonsMenu' | 'lesson' | 'quiz' | 'feedback' }>;

export interface LessonContext {
  study: Study;
  content: Content;
  participant?: Participant;
}

export function inTreatment(ctx: LessonContext): boolean {
  return Boolean(ctx.study.arms.find((a) => a.armId === ctx.participant?.armId)?.treatment);
}

/** Every lesson in the order participants follow: modules by `order`, lessons as authored. */
export function lessonSequence(content: Content): { key: string; lesson: Lesson }[] {
  return [...(content.modules ?? [])]
    .sort((a, b) => a.order - b.order)
    .flatMap((m) => m.lessons.map((lesson) => ({ key: `${m.id}/${lesson.id}`, lesson })));
}

function find(content: Content, key: string): Lesson | undefined {
  return lessonSequence(content).find((l) => l.key === key)?.lesson;
}

export function nextLesson(ctx: LessonContext): string | undefined {
  const done = ctx.participant?.lessons ?? {};
  return lessonSequence(ctx.content).find((l) => !(l.key in done))?.key;
}

export function lastLesson(ctx: LessonContext): string | undefined {
  const done = Object.entries(ctx.participant?.lessons ?? {});
  return done.sort((a, b) => a[1].at.localeCompare(b[1].at)).at(-1)?.[0];
}

export function enterLessons(ctx: LessonContext, lang: Lang, menu: UssdState): UssdState {
  if (!inTreatment(ctx)) return menu;
  const next = nextLesson(ctx);
  if (next && !lastLesson(ctx)) return { at: 'lesson', lang, lessonKey: next, page: 0 };
  return { at: 'lessonsMenu', lang };
}

export function advanceLessons(state: LessonState, input: string, ctx: LessonContext, s: UiStrings, menu: UssdState): { state: UssdState; notice?: string; effect?: LessonEffect } {
  if (!inTreatment(ctx)) return { state: menu };
  switch (state.at) {
    case 'lessonsMenu': {
      const next = nextLesson(ctx);
      const last = lastLesson(ctx);
      if (input === '1' && next) return { state: { at: 'lesson', lang: state.lang, lessonKey: next, page: 0 } };
      if (input === '2' && last) return { state: { at: 'lesson', lang: state.lang, lessonKey: last, page: 0 } };
      if (input === BACK) return { state: menu };
      return { state, notice: s.invalidChoice };
    }
    case 'lesson': {
      const lesson = find(ctx.content, state.lessonKey);
      if (!lesson) return { state: menu };
      const pages = lessonPages(lesson, state.lang).length;
      const turn = turnPage(input, state.page, pages);
      if (typeof turn === 'object') return { state: { ...state, page: turn.to } };
      if (turn === 'afterLast') return { state: { at: 'quiz', lang: state.lang, lessonKey: state.lessonKey, page: 0 } };
      if (turn === 'beforeFirst') return { state: { at: 'lessonsMenu', lang: state.lang } };
      return { state, notice: s.invalidChoice };
    }
    case 'quiz': {
      const lesson = find(ctx.content, state.lessonKey);
      if (!lesson) return { state: menu };
      const labels = lesson.quiz.choices.map((c) => c.ussd?.[state.lang] ?? c.label[state.lang] ?? c.name);
      const question = lesson.quiz.ussd?.[state.lang] ?? lesson.quiz.question[state.lang] ?? '';
      const read = readList({ title: question, labels, canLeave: true }, s, state.page, input);
      if (read.kind === 'page') return { state: { ...state, page: read.page } };
      if (read.kind === 'back') return { state: { at: 'lesson', lang: state.lang, lessonKey: state.lessonKey, page: lessonPages(lesson, state.lang).length - 1 } };
      if (read.kind === 'invalid') return { state, notice: s.invalidChoice };
      const choice = lesson.quiz.choices[read.index]?.name ?? '';
      return {
        state: { at: 'feedback', lang: state.lang, lessonKey: state.lessonKey, choice },
        effect: { type: 'lessonDone', lessonKey: state.lessonKey, choice, correct: choice === lesson.quiz.correct },
      };
    }
    case 'feedback':
      return { state };
  }
}

export function viewLessons(state: LessonState, ctx: LessonContext, s: UiStrings, notice?: string): string | undefined {
  if (!inTreatment(ctx)) return undefined;
  switch (state.at) {
    case 'lessonsMenu': {
      const next = nextLesson(ctx);
      const nextLessonTitle = next ? find(ctx.content, next)?.title[state.lang] : undefined;
      const lines = [nextLessonTitle ?? s.lessonAllDone, ...(next ? [s.lessonNext] : []), ...(lastLesson(ctx) ? [s.lessonRepeat] : []), s.back];
      return renderScreen('CON', lines, notice);
    }
    case 'lesson': {
      const lesson = find(ctx.content, state.lessonKey);
      return lesson ? lessonPageScreen(lesson, state.lang, state.page, s, notice) : undefined;
    }
    case 'quiz': {
      const lesson = find(ctx.content, state.lessonKey);
      return lesson ? quizScreen(lesson, state.lang, s, state.page, notice) : undefined;
    }
    case 'feedback': {
      const lesson = find(ctx.content, state.lessonKey);
      return lesson ? feedbackScreen(lesson, state.lang, state.choice) : undefined;
    }
  }
}
