import * as z from 'zod/mini';

/**
 * The content model: UI strings, consent text and questionnaires, authored as data in
 * `content/` and validated here. zod/mini keeps this importable from Lambda bundles, but the
 * USSD handler only uses the inferred types: validation runs in tests and content checks.
 */

export const languageCode = z.string().check(z.regex(/^[a-z]{2,3}$/));

/** Every key must be present, non-empty, in every language. */
export const uiStringKeys = [
  'languageName', 'chooseLanguage', 'invalidChoice', 'invalidNumber', 'more', 'back',
  'agree', 'decline', 'declined', 'enrolled', 'declinedBefore', 'readAgain', 'exit',
  'goodbye', 'mainMenuTitle', 'menuDiary', 'menuLessons', 'menuSummary', 'menuProblem',
  'menuSettings', 'comingSoon', 'unavailable', 'sorry',
] as const;
export type UiStringKey = (typeof uiStringKeys)[number];

const nonEmpty = z.string().check(z.minLength(1), z.trim());
export const uiStringsSchema = z.strictObject(
  Object.fromEntries(uiStringKeys.map((k) => [k, nonEmpty])) as Record<UiStringKey, typeof nonEmpty>,
);
export type UiStrings = z.infer<typeof uiStringsSchema>;

const translated = z.record(languageCode, nonEmpty);

const choiceSchema = z.strictObject({
  code: z.int(),
  name: z.string().check(z.regex(/^[a-z][a-z0-9_]*$/)),
  label: translated,
});

const selectOneSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z][a-z0-9_]*$/)),
  type: z.literal('select_one'),
  label: translated,
  choices: z.array(choiceSchema).check(z.minLength(2)),
});

const integerSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z][a-z0-9_]*$/)),
  type: z.literal('integer'),
  label: translated,
  constraint: z.strictObject({ min: z.int(), max: z.int(), message: translated }),
});

export const questionSchema = z.discriminatedUnion('type', [selectOneSchema, integerSchema]);
export type Question = z.infer<typeof questionSchema>;

export const questionnaireSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z][a-z0-9_]*$/)),
  version: z.int().check(z.gte(1)),
  questions: z.array(questionSchema).check(z.minLength(1)),
});
export type Questionnaire = z.infer<typeof questionnaireSchema>;

export const consentSchema = z.strictObject({
  version: nonEmpty,
  pages: z.record(languageCode, z.array(nonEmpty).check(z.minLength(1))),
});
export type Consent = z.infer<typeof consentSchema>;

export const contentSchema = z.strictObject({
  languages: z.array(languageCode).check(z.minLength(1)),
  strings: z.record(languageCode, uiStringsSchema),
  consent: consentSchema,
  baseline: questionnaireSchema,
});
export type Content = z.infer<typeof contentSchema>;

/**
 * Cross-references zod cannot express: every language has strings, consent pages and every
 * label; choice codes and names are unique. Returns human-readable problems (empty = valid).
 */
export function contentProblems(content: Content): string[] {
  const problems: string[] = [];
  for (const lang of content.languages) {
    if (!content.strings[lang]) problems.push(`strings: missing language "${lang}"`);
    if (!content.consent.pages[lang]) problems.push(`consent: missing pages for "${lang}"`);
    for (const q of content.baseline.questions) {
      if (!q.label[lang]) problems.push(`${content.baseline.id}.${q.id}: missing label in "${lang}"`);
      if (q.type === 'select_one') {
        for (const c of q.choices) {
          if (!c.label[lang]) problems.push(`${content.baseline.id}.${q.id}.${c.name}: missing label in "${lang}"`);
        }
      } else if (!q.constraint.message[lang]) {
        problems.push(`${content.baseline.id}.${q.id}: missing constraint message in "${lang}"`);
      }
    }
  }
  const pageCounts = new Set(Object.values(content.consent.pages).map((p) => p.length));
  if (pageCounts.size > 1) problems.push('consent: languages have different numbers of pages');
  const ids = content.baseline.questions.map((q) => q.id);
  if (new Set(ids).size !== ids.length) problems.push(`${content.baseline.id}: duplicate question ids`);
  for (const q of content.baseline.questions) {
    if (q.type === 'select_one') {
      if (new Set(q.choices.map((c) => c.code)).size !== q.choices.length) problems.push(`${q.id}: duplicate choice codes`);
      if (new Set(q.choices.map((c) => c.name)).size !== q.choices.length) problems.push(`${q.id}: duplicate choice names`);
    } else if (q.constraint.min > q.constraint.max) {
      problems.push(`${q.id}: constraint min is above max`);
    }
  }
  return problems;
}
