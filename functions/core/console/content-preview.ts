import { SMS_BUDGET } from '../content/check-screens.js';
import type { Content, Lesson, Question, SmsTextKey, UiStrings } from '../content/schema.js';
import { feedbackScreen, lessonPageScreen, lessonPages, quizPageCount, quizScreen } from '../lessons/render.js';
import type { Participant, Study } from '../model.js';
import { questionPages, questionScreen } from '../questionnaire/render.js';
import { smsText } from '../sms/text.js';
import { encodedLength, type Encoding, nonGsmCharacters } from '../text/gsm7.js';
import { SMS_LIMITS, smsSize } from '../text/segments.js';
import { type FlowContext, view } from '../ussd/flow.js';
import { ScreenTooLongError, USSD_LIMIT } from '../ussd/limits.js';
import type { UssdState } from '../ussd/session.js';

/**
 * Every USSD screen and SMS a participant can be shown, as the phone shows it, per language:
 * the diary's questions (each page of a long choice list, and the SMS wording), each lesson's
 * pages, quiz and feedback and its SMS, and the system screens and texts (menus, consent,
 * prompts, reminders, STOP replies). Each comes with its size as the network counts it and the
 * content check's warnings for it (over the USSD limit, over the SMS budget), plus hints the
 * check does not fail on: a few stray characters forcing UCS-2, a blank left unfilled, a text
 * missing in the language (English is sent instead).
 */
export interface PreviewScreen {
  id: string;
  kind: 'ussd' | 'sms';
  /** `diary`, `module:<id>` or `system`. */
  group: string;
  lang: string;
  text: string;
  /** Septets (GSM-7, extension characters twice) or UTF-16 code units (UCS-2): what the limits count. */
  chars: number;
  /** SMS parts billed; a USSD screen is always one. */
  segments: number;
  encoding: Encoding;
  /** Characters allowed: a USSD screen's limit, or a single SMS's (longer ones split into parts). */
  limit: number;
  warnings: string[];
}

/** When a text is UCS-2 because of this few distinct characters, they are likely strays (’ “ …). */
const STRAY_LIMIT = 3;

export function ussdScreen(id: string, group: string, lang: string, render: () => string, extra: string[] = []): PreviewScreen {
  let text: string;
  const warnings = [...extra];
  try {
    text = render();
  } catch (err) {
    if (!(err instanceof ScreenTooLongError)) throw err;
    // The renderer refuses a screen over the limit; the preview shows it anyway, flagged.
    text = err.screen;
  }
  const { encoding, length } = encodedLength(text);
  const limit = USSD_LIMIT[encoding];
  if (length > limit) warnings.push(`USSD screen of ${length} characters, limit ${limit}`);
  return { id, kind: 'ussd', group, lang, text, chars: length, segments: 1, encoding, limit, warnings: [...warnings, ...hints(text)] };
}

export function smsScreen(id: string, group: string, lang: string, text: string, budget: number, extra: string[] = []): PreviewScreen {
  const size = smsSize(text);
  const warnings = [...extra];
  if (size.segments > budget) warnings.push(`SMS of ${size.segments} parts (${size.length} ${size.encoding} characters), budget ${budget}`);
  return { id, kind: 'sms', group, lang, text, chars: size.length, segments: size.segments, encoding: size.encoding, limit: SMS_LIMITS[size.encoding].single, warnings: [...warnings, ...hints(text)] };
}

function hints(text: string): string[] {
  const out: string[] = [];
  const odd = nonGsmCharacters(text);
  if (odd.length > 0 && odd.length <= STRAY_LIMIT) {
    out.push(`UCS-2 only because of ${odd.map((c) => JSON.stringify(c)).join(', ')}: replacing ${odd.length === 1 ? 'it' : 'them'} with GSM-7 characters would more than double the room`);
  }
  const blanks = text.match(/\{\w+\}/g);
  if (blanks) out.push(`Unfilled blank${blanks.length > 1 ? 's' : ''} ${[...new Set(blanks)].join(', ')}`);
  return out;
}

const missing = (t: Record<string, string> | undefined, lang: string) => (t && t[lang] === undefined ? [`No "${lang}" text: English is shown instead`] : []);

export function contentPreview(content: Content, study: Study, langs: readonly string[], week: string): PreviewScreen[] {
  const screens: PreviewScreen[] = [];
  for (const lang of langs) {
    const s = content.strings[lang] ?? content.strings.en;
    if (!s) continue;
    if (content.diary) screens.push(...diaryScreens(content.diary.questions, lang, s));
    for (const m of [...(content.modules ?? [])].sort((a, b) => a.order - b.order)) {
      for (const lesson of m.lessons) screens.push(...lessonScreens(`module:${m.id}`, `${m.id}.${lesson.id}`, lesson, lang, s));
    }
    screens.push(...systemScreens(content, study, lang, week));
  }
  return screens;
}

function diaryScreens(questions: readonly Question[], lang: string, s: UiStrings): PreviewScreen[] {
  const out: PreviewScreen[] = [];
  questions.forEach((q, i) => {
    // The first question has no earlier one to go back to; every later one offers "0. Back".
    const canGoBack = i > 0;
    const pages = questionPages(q, { lang, strings: s, canGoBack });
    for (let page = 0; page < pages; page += 1) {
      out.push(ussdScreen(`diary.${q.id}${pages > 1 ? `.page${page + 1}` : ''}`, 'diary', lang, () => questionScreen(q, { lang, strings: s, page, canGoBack }), missing(q.label, lang)));
    }
    if (q.sms) out.push(smsScreen(`diary.${q.id}.sms`, 'diary', lang, q.sms[lang] ?? q.sms.en ?? '', SMS_BUDGET.question, missing(q.sms, lang)));
  });
  return out;
}

function lessonScreens(group: string, id: string, lesson: Lesson, lang: string, s: UiStrings): PreviewScreen[] {
  const out: PreviewScreen[] = [];
  const noPages = lesson.ussd[lang] === undefined ? [`No "${lang}" pages: English is shown instead`] : [];
  lessonPages(lesson, lang).forEach((_, page) => out.push(ussdScreen(`${id}.page${page + 1}`, group, lang, () => lessonPageScreen(lesson, lang, page, s), noPages)));
  const quizPages = quizPageCount(lesson, lang, s);
  for (let page = 0; page < quizPages; page += 1) out.push(ussdScreen(`${id}.quiz${quizPages > 1 ? `.page${page + 1}` : ''}`, group, lang, () => quizScreen(lesson, lang, s, page), missing(lesson.quiz.question, lang)));
  for (const c of lesson.quiz.choices) out.push(ussdScreen(`${id}.feedback.${c.name}`, group, lang, () => feedbackScreen(lesson, lang, c.name), missing(c.feedback, lang)));
  out.push(smsScreen(`${id}.sms`, group, lang, lesson.sms[lang] ?? lesson.sms.en ?? '', SMS_BUDGET.lesson, missing(lesson.sms, lang)));
  return out;
}

/** A participant who has consented and is in a treatment arm: the one who sees every menu. */
function sampleParticipant(study: Study, lang: string): Participant {
  const arm = study.arms.find((a) => a.treatment) ?? study.arms[0];
  return {
    studyId: study.studyId, participantId: 'preview', phone: '', lang, consent: { state: 'consented' },
    ...(arm ? { armId: arm.armId } : {}), source: 'seed', createdAt: '', updatedAt: '',
  };
}

function systemScreens(content: Content, study: Study, lang: string, week: string): PreviewScreen[] {
  const out: PreviewScreen[] = [];
  const ctx: FlowContext = { study, content, participant: sampleParticipant(study, lang), diary: { studyWeek: 0, answers: {}, complete: false }, summary: [], sessionId: 'preview' };
  const states: [string, UssdState][] = [
    ['language', { at: 'language' }],
    ...(content.consent.pages[lang] ?? []).map((_, page): [string, UssdState] => [`consent.page${page + 1}`, { at: 'consent', lang, page }]),
    ['menu', { at: 'menu', lang, page: 0 }],
    ['enrolled', { at: 'ended', lang, message: 'enrolled' }],
    ['declined', { at: 'ended', lang, message: 'declined' }],
    ['lessons', { at: 'lessonsMenu', lang }],
    ['summary', { at: 'summary', lang }],
    ['problem.provider', { at: 'problemProvider', lang, page: 0 }],
    ['problem.thanks', { at: 'problemThanks', lang, ref: 'ABC123' }],
    ['settings', { at: 'settings', lang, page: 0 }],
    ['settings.stop', { at: 'stopConfirm', lang }],
    ['diary.saved', { at: 'ended', lang, message: 'diarySaved' }],
    ['settings.stopped', { at: 'ended', lang, message: 'stopped' }],
  ];
  for (const [id, state] of states) {
    try {
      out.push(ussdScreen(`system.${id}`, 'system', lang, () => view(state, ctx)));
    } catch {
      // A screen that needs more context than a preview has (none today) is left out, not guessed.
    }
  }
  const firstLesson = content.modules?.[0]?.lessons[0];
  const vars = { code: study.serviceCode, ref: 'ABC123', week, title: firstLesson?.title[lang] ?? firstLesson?.title.en ?? '' };
  for (const key of Object.keys(content.sms ?? {}) as SmsTextKey[]) {
    out.push(smsScreen(`sms.${key}`, 'system', lang, smsText(content, key, lang, vars), SMS_BUDGET.question, missing(content.sms?.[key], lang)));
  }
  return out;
}
