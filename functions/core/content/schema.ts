import * as z from 'zod/mini';

/**
 * The content model: UI strings, consent text, questionnaires (XLSForm-like) and education
 * modules, authored as data in `content/` and validated here. zod/mini keeps this importable
 * from Lambda bundles, but handlers only use the inferred types: validation runs in
 * `npm run content:check` and the tests, not at cold start.
 */

export const languageCode = z.string().check(z.regex(/^[a-z]{2,3}$/));
const identifier = z.string().check(z.regex(/^[a-z][a-z0-9_]*$/));

/** Every key must be present, non-empty, in every language. `{name}` marks a placeholder. */
export const uiStringKeys = [
  // Enrolment and consent
  'languageName', 'chooseLanguage', 'invalidChoice', 'invalidNumber', 'more', 'back',
  'agree', 'decline', 'declined', 'enrolled', 'declinedBefore', 'readAgain', 'exit',
  'goodbye', 'unavailable', 'sorry',
  // Main menu
  'mainMenuTitle', 'menuDiary', 'menuLessons', 'menuSummary', 'menuProblem', 'menuSettings', 'comingSoon',
  // Questions
  'skip', 'invalidRange', 'invalidText', 'chooseSeveral',
  // Diary
  'diaryResume', 'diaryContinue', 'diaryRestart', 'diaryReview', 'diarySave', 'diaryChange',
  'diaryWhichChange', 'diarySaved', 'diaryDone', 'diaryNoAnswer',
  // Lessons
  'lessonNext', 'lessonRepeat', 'lessonQuiz', 'lessonAllDone', 'lessonFinished',
  // My summary
  'summaryTitle', 'summaryMonth', 'summaryEmpty',
  // Report a problem
  'problemProvider', 'problemCategory', 'problemText', 'problemShare', 'problemThanks',
  // Settings
  'settingsLanguage', 'settingsReminder', 'settingsChannel', 'settingsStop', 'reminderDay',
  'reminderHour', 'channelUssdOnly', 'channelSms', 'settingsSaved', 'stopConfirm', 'stopYes',
  'stopNo', 'stopped',
  'dayMon', 'dayTue', 'dayWed', 'dayThu', 'dayFri', 'daySat', 'daySun',
] as const;
export type UiStringKey = (typeof uiStringKeys)[number];

const nonEmpty = z.string().check(z.minLength(1), z.trim());
export const uiStringsSchema = z.strictObject(
  Object.fromEntries(uiStringKeys.map((k) => [k, nonEmpty])) as Record<UiStringKey, typeof nonEmpty>,
);
export type UiStrings = z.infer<typeof uiStringsSchema>;

/** Text per language code. */
export const translated = z.record(languageCode, nonEmpty);
export type Translated = z.infer<typeof translated>;

const choiceSchema = z.strictObject({
  /** Numeric code used in exports (stable across versions). */
  code: z.int(),
  /** Value stored and used in `relevant` conditions. */
  name: identifier,
  label: translated,
  /** Shorter label for USSD screens, where a language needs it (e.g. Bengali's 80 characters). */
  ussd: z.optional(translated),
  /** In a select_multiple, a choice that cannot be combined with others (e.g. "none"). */
  exclusive: z.optional(z.boolean()),
});
export type Choice = z.infer<typeof choiceSchema>;

/** Fields every question type shares (XLSForm: name, label, required, relevant). */
const common = {
  id: identifier,
  label: translated,
  /** Shorter label for USSD screens. */
  ussd: z.optional(translated),
  /** A few words naming the question in the diary's review list, e.g. "Wage received". */
  review: z.optional(translated),
  /** Wording for an SMS prompt, where it differs from the label. */
  sms: z.optional(translated),
  /** Default true: a required question offers no "skip". */
  required: z.optional(z.boolean()),
  /** Skip logic on earlier answers, e.g. `${wage_received} = 'yes' and ${amount} > 0`. */
  relevant: z.optional(z.string().check(z.minLength(1))),
  /** Asked only in some study weeks: when (studyWeek - offset) is a multiple of `every`. */
  rotation: z.optional(z.strictObject({ every: z.int().check(z.gte(2)), offset: z.int().check(z.gte(0)) })),
};

const rangeConstraint = z.strictObject({ min: z.number(), max: z.number(), message: translated });

export const questionSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...common, type: z.literal('select_one'), choices: z.array(choiceSchema).check(z.minLength(2)) }),
  z.strictObject({ ...common, type: z.literal('select_multiple'), choices: z.array(choiceSchema).check(z.minLength(2)) }),
  z.strictObject({ ...common, type: z.literal('integer'), constraint: rangeConstraint }),
  z.strictObject({ ...common, type: z.literal('decimal'), constraint: rangeConstraint }),
  z.strictObject({ ...common, type: z.literal('text'), maxLength: z.int().check(z.gte(1), z.lte(120)) }),
]);
export type Question = z.infer<typeof questionSchema>;
export type QuestionType = Question['type'];

export const questionnaireSchema = z.strictObject({
  id: identifier,
  version: z.int().check(z.gte(1)),
  title: z.optional(translated),
  questions: z.array(questionSchema).check(z.minLength(1)),
});
export type Questionnaire = z.infer<typeof questionnaireSchema>;

export const quizSchema = z.strictObject({
  question: translated,
  ussd: z.optional(translated),
  choices: z
    .array(z.strictObject({ name: identifier, label: translated, ussd: z.optional(translated), feedback: translated }))
    .check(z.minLength(2), z.maxLength(4)),
  /** Name of the correct choice. */
  correct: identifier,
});
export type Quiz = z.infer<typeof quizSchema>;

export const lessonSchema = z.strictObject({
  id: identifier,
  title: translated,
  /** USSD pages per language: each page is one screen with its navigation line(s). */
  ussd: z.record(languageCode, z.array(nonEmpty).check(z.minLength(1))),
  /** The lesson as one SMS per language, within the segment budget. */
  sms: translated,
  quiz: quizSchema,
});
export type Lesson = z.infer<typeof lessonSchema>;

export const moduleSchema = z.strictObject({
  id: identifier,
  /** Position in the sequence a participant follows. */
  order: z.int().check(z.gte(1)),
  title: translated,
  lessons: z.array(lessonSchema).check(z.minLength(1)),
});
export type Module = z.infer<typeof moduleSchema>;

export const consentSchema = z.strictObject({
  version: nonEmpty,
  pages: z.record(languageCode, z.array(nonEmpty).check(z.minLength(1))),
});
export type Consent = z.infer<typeof consentSchema>;

/** Complaint categories ("report a problem"), fixed across studies so they can be compared. */
export const complaintsSchema = z.strictObject({
  categories: z.array(z.strictObject({ name: identifier, label: translated, ussd: z.optional(translated) })).check(z.minLength(2)),
});
export type Complaints = z.infer<typeof complaintsSchema>;

/** Outbound SMS texts: each one SMS part in every language, placeholders as in English. */
export const smsTextKeys = [
  'prompt', 'reminder', 'stopConfirmation', 'startConfirmation', 'help', 'diaryReceived', 'diaryInvalid',
  'diaryOutOfRange', 'complaintReceived', 'notEnrolled', 'lessonInvite',
  // "Forget me" by SMS: the question, the confirmation, and no request to confirm.
  'forgetAsk', 'forgetDone', 'forgetNothing',
  // Prompt and reminder on a one-way route (Bangladesh): they offer USSD only, never an SMS reply.
  'promptOneWay', 'reminderOneWay',
  // Complaint cases (core/cases/notify.ts): acknowledgement and resolution (each with a
  // one-way variant pointing to USSD), the answers to "Was your problem solved?", the status
  // of a case (`P <ref>`, "My problems": also USSD END screens), and thanks for kudos.
  'caseAcknowledged', 'caseAcknowledgedOneWay', 'caseResolved', 'caseResolvedOneWay', 'caseAnswerYes', 'caseAnswerNo',
  'caseStatusOpen', 'caseStatusReferred', 'caseStatusResolved', 'caseStatusUnresolved', 'caseStatusClosed', 'caseNotFound',
  'kudosReceived',
  // After a payout succeeded (core/payouts): never after STOP.
  'payoutReceipt',
] as const;
export type SmsTextKey = (typeof smsTextKeys)[number];
export const smsTextsSchema = z.strictObject(
  Object.fromEntries(smsTextKeys.map((k) => [k, translated])) as Record<SmsTextKey, typeof translated>,
);
export type SmsTexts = z.infer<typeof smsTextsSchema>;

/** Inbound SMS keywords per intent and language. */
export const keywordsSchema = z.strictObject({
  stop: z.record(languageCode, z.array(nonEmpty).check(z.minLength(1))),
  start: z.record(languageCode, z.array(nonEmpty).check(z.minLength(1))),
  help: z.record(languageCode, z.array(nonEmpty).check(z.minLength(1))),
  /** "Forget me": the request, then its confirmation within 24 hours (core/privacy/forget.ts). */
  forget: z.optional(z.record(languageCode, z.array(nonEmpty).check(z.minLength(1)))),
  forgetConfirm: z.optional(z.record(languageCode, z.array(nonEmpty).check(z.minLength(1)))),
});
export type Keywords = z.infer<typeof keywordsSchema>;

/**
 * What the voice channel (IVR) says besides the questionnaire, lesson and complaint texts: the
 * prompts around them, per language. Every prompt is played from a recording (core/voice/
 * prompts.ts names them); `tts` lists the languages where a prompt without a recording may be
 * spoken by the provider's text-to-speech instead, with its voice (content:check refuses a
 * language the provider's TTS cannot speak).
 */
export const voiceStringKeys = [
  'welcome', 'welcomeBack', 'pressFor', 'typeNumber', 'typeSeveral', 'skipStar', 'youTyped',
  'confirmAmount', 'notHeard', 'callLater', 'diarySaved', 'menuTreatment', 'menuControl',
  'lessonQuiz', 'problemProvider', 'problemCategory', 'problemRecord', 'problemThanks',
  'goodbye', 'notEnrolled', 'sorry', 'point',
  'digit0', 'digit1', 'digit2', 'digit3', 'digit4', 'digit5', 'digit6', 'digit7', 'digit8', 'digit9',
] as const;
export type VoiceStringKey = (typeof voiceStringKeys)[number];
export const voiceStringsSchema = z.strictObject(
  Object.fromEntries(voiceStringKeys.map((k) => [k, nonEmpty])) as Record<VoiceStringKey, typeof nonEmpty>,
);
export type VoiceStrings = z.infer<typeof voiceStringsSchema>;
export const voiceSchema = z.strictObject({
  tts: z.record(languageCode, z.enum(['man', 'woman'])),
  strings: z.record(languageCode, voiceStringsSchema),
});
export type VoiceContent = z.infer<typeof voiceSchema>;

export const contentSchema = z.strictObject({
  languages: z.array(languageCode).check(z.minLength(1)),
  strings: z.record(languageCode, uiStringsSchema),
  consent: consentSchema,
  baseline: questionnaireSchema,
  diary: z.optional(questionnaireSchema),
  modules: z.optional(z.array(moduleSchema)),
  complaints: z.optional(complaintsSchema),
  keywords: z.optional(keywordsSchema),
  sms: z.optional(smsTextsSchema),
  voice: z.optional(voiceSchema),
});
export type Content = z.infer<typeof contentSchema>;
