import { questionnaireProblems } from './check-questionnaire.js';
import { screenProblems, smsProblems, smsRows } from './check-screens.js';
import { translationProblems } from './check-translations.js';
import { voiceProblems } from './check-voice.js';
import { normalizeSms } from '../sms/keywords.js';
import { type Content, contentSchema, type SmsTextKey } from './schema.js';

/**
 * Everything `npm run content:check` verifies, as a list of problems (empty: the content can
 * ship). Schema errors stop the other checks, which assume the shape.
 */
export function contentProblems(content: unknown): string[] {
  const parsed = contentSchema.safeParse(content);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  const c: Content = parsed.data;
  const problems = [...translationProblems(c)];
  const forms = [c.baseline, ...(c.diary ? [c.diary] : [])].flatMap((form) => questionnaireProblems(form));
  problems.push(...forms);
  const modules = c.modules ?? [];
  if (new Set(modules.map((m) => m.id)).size !== modules.length) problems.push('modules: duplicate module ids');
  if (new Set(modules.map((m) => m.order)).size !== modules.length) problems.push('modules: two modules share an order');
  for (const m of modules) {
    if (new Set(m.lessons.map((l) => l.id)).size !== m.lessons.length) problems.push(`modules.${m.id}: duplicate lesson ids`);
    for (const l of m.lessons) {
      if (!l.quiz.choices.some((ch) => ch.name === l.quiz.correct)) problems.push(`modules.${m.id}.${l.id}: quiz answer "${l.quiz.correct}" is not a choice`);
    }
  }
  problems.push(...keywordProblems(c), ...oneWayProblems(c), ...voiceProblems(c));
  // The screen check walks the questionnaires' skip logic: only once that logic is sound (a
  // condition that does not parse would throw there; the fuzzer found one: relevant " ").
  if (forms.length === 0) problems.push(...screenProblems(c));
  problems.push(...smsProblems(smsRows(c)));
  return problems;
}

/** Every language has each keyword intent, and no word means two things. */
function keywordProblems(c: Content): string[] {
  if (!c.keywords) return [];
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const [intent, byLang] of Object.entries(c.keywords)) {
    for (const lang of c.languages) if (!byLang[lang]?.length) problems.push(`keywords.${intent}: missing "${lang}"`);
    for (const words of Object.values(byLang)) {
      for (const w of words) {
        const key = normalizeSms(w);
        const other = owner.get(key);
        if (other && other !== intent) problems.push(`keywords: "${w}" is both ${other} and ${intent}`);
        owner.set(key, intent);
      }
    }
  }
  return problems;
}

/**
 * Texts sent on one-way routes (Bangladesh) must not invite an SMS answer that cannot
 * arrive: no "SMS", no "reply", no example of the SMS diary reply (D 8000 …).
 */
function oneWayProblems(c: Content): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(c.sms ?? {}).filter((k): k is SmsTextKey => k.endsWith('OneWay'))) {
    for (const [lang, text] of Object.entries(c.sms?.[key] ?? {})) {
      if (/\bSMS\b|\brepl|\bjibu|\bD \d/i.test(text)) problems.push(`sms.${key} [${lang}]: offers an SMS answer, which a one-way route cannot carry`);
    }
  }
  return problems;
}
