import type { Content, Question, VoiceStringKey, VoiceStrings } from '../content/schema.js';
import { lessonPages } from '../lessons/render.js';
import type { Lang, Study } from '../model.js';
import { lessonSequence } from '../ussd/lessons-flow.js';
import { fill } from '../ussd/text.js';

/**
 * Every prompt the voice channel can play, by key, with its text in one language. The key
 * names the recording: `audio/<lang>/<key>.<wav|mp3>` (a field recording in content/audio/,
 * or one generated from the text by `npm run audio`). A prompt is one clip because GetDigits
 * and Record hold exactly one Say or Play: the question and its "press 1 for …" options are
 * recorded together, so a caller can answer before the options end.
 *
 * Keys: `voice.<string>` (content/voice.json), `<form>.<question>` (the diary), `lesson.<module>.<lesson>`,
 * `quiz.<module>.<lesson>`, `feedback.<module>.<lesson>.<choice>`, `complaints.categories`, and
 * `study.<studyId>.providers` (providers are the study's, not the content's).
 */

export type VoicePromptMap = ReadonlyMap<string, string>;

export const voiceKey = (k: VoiceStringKey) => `voice.${k}`;
export const questionKey = (formId: string, questionId: string) => `${formId}.${questionId}`;
/** Lesson keys are `module/lesson` elsewhere; a slash would make a folder of the recording. */
const lessonPart = (lessonKey: string) => lessonKey.replace('/', '.');
export const lessonKey = (lesson: string) => `lesson.${lessonPart(lesson)}`;
export const quizKey = (lesson: string) => `quiz.${lessonPart(lesson)}`;
export const feedbackKey = (lesson: string, choice: string) => `feedback.${lessonPart(lesson)}.${choice}`;
export const CATEGORIES_KEY = 'complaints.categories';
export const providersKey = (studyId: string) => `study.${studyId}.providers`;

/** Digits and the decimal point, read one by one when an amount is confirmed back. */
export function digitKeys(value: number): string[] {
  return [...String(value)].map((ch) => (ch === '.' ? voiceKey('point') : voiceKey(`digit${ch}` as VoiceStringKey)));
}

function options(labels: readonly string[], v: VoiceStrings): string {
  return labels.map((label, i) => fill(v.pressFor, { n: i + 1, label })).join(' ');
}

/** The spoken question: its label, then how to answer it by key. */
export function questionText(q: Question, lang: Lang, v: VoiceStrings): string {
  const label = q.label[lang] ?? q.label.en ?? q.id;
  const skip = q.required === false ? ` ${v.skipStar}` : '';
  switch (q.type) {
    case 'select_one':
      return `${label} ${options(q.choices.map((c) => c.label[lang] ?? c.name), v)}${skip}`;
    case 'select_multiple':
      return `${label} ${options(q.choices.map((c) => c.label[lang] ?? c.name), v)} ${v.typeSeveral}${skip}`;
    case 'integer':
    case 'decimal':
      return `${label} ${v.typeNumber}${skip}`;
    case 'text':
      // Nothing can be typed by keypad: the voice dialogue passes text questions by.
      return label;
  }
}

const cache = new WeakMap<Content, Map<string, VoicePromptMap>>();

/** Every prompt of the content (and of the given studies' provider lists) in one language. */
export function voicePrompts(content: Content, lang: Lang, studies: readonly Study[] = []): VoicePromptMap {
  const id = `${lang}|${studies.map((s) => s.studyId).join(',')}`;
  let byLang = cache.get(content);
  if (!byLang) cache.set(content, (byLang = new Map()));
  const hit = byLang.get(id);
  if (hit) return hit;
  const out = new Map<string, string>();
  const v = content.voice?.strings[lang];
  if (v) {
    for (const [k, text] of Object.entries(v)) if (k !== 'pressFor') out.set(voiceKey(k as VoiceStringKey), text);
    const form = content.diary;
    for (const q of form?.questions ?? []) if (q.type !== 'text') out.set(questionKey(form?.id ?? 'diary', q.id), questionText(q, lang, v));
    for (const { key, lesson } of lessonSequence(content)) {
      out.set(lessonKey(key), `${lesson.title[lang] ?? ''}. ${lessonPages(lesson, lang).join(' ')}`);
      const quiz = lesson.quiz;
      out.set(quizKey(key), `${v.lessonQuiz} ${quiz.question[lang] ?? ''} ${options(quiz.choices.map((c) => c.label[lang] ?? c.name), v)}`);
      for (const c of quiz.choices) out.set(feedbackKey(key, c.name), c.feedback[lang] ?? '');
    }
    const categories = content.complaints?.categories ?? [];
    out.set(CATEGORIES_KEY, `${v.problemCategory} ${options(categories.map((c) => c.label[lang] ?? c.name), v)}`);
    for (const s of studies) out.set(providersKey(s.studyId), providersText(s, v));
  }
  byLang.set(id, out);
  return out;
}

export function providersText(study: Study, v: VoiceStrings): string {
  return `${v.problemProvider} ${options(study.providers.map((p) => p.name), v)}`;
}
