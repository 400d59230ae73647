import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { DATASETS } from '../core/export/variables.js';
import { SMS_PROVIDERS } from '../core/sms/providers.js';

// zod/mini ships no messages ("Invalid input"): English ones say what was expected wherever a
// field below has no message of its own.
z.config(en());

/**
 * The admin API's request bodies: validated by the handlers, and turned into the OpenAPI
 * document (openapi.ts), so the documentation cannot drift from what is accepted.
 */
export const slug = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{2,62}$/, 'lower-case letters, digits and dashes, 3 to 63 characters'));
const window = z.object({ fromStudyWeek: z.number().check(z.int(), z.gte(0)), toStudyWeek: z.number().check(z.int(), z.gte(0)) });
/** An impact outcome (functions/core/impact/outcomes.ts); its meaning is checked by outcomeProblems. */
export const outcomeBody = z.object({
  id: slug,
  label: z.string().check(z.minLength(1), z.maxLength(120)),
  kind: z.enum(['share_weeks', 'mean', 'any', 'quiz_score', 'index']),
  description: z.optional(z.string().check(z.maxLength(500))),
  item: z.optional(z.string()),
  values: z.optional(z.array(z.string())),
  among: z.optional(z.object({ item: z.string(), values: z.array(z.string()) })),
  items: z.optional(z.array(z.string())),
  codes: z.optional(z.record(z.string(), z.record(z.string(), z.number()))),
  window,
  baseline: z.optional(
    z.union([
      z.object({ kind: z.literal('covariate'), name: z.string(), values: z.optional(z.array(z.string())) }),
      z.object({ kind: z.literal('window'), fromStudyWeek: z.number().check(z.int(), z.gte(0)), toStudyWeek: z.number().check(z.int(), z.gte(0)) }),
    ]),
  ),
});

export const outcomesBody = z.object({ outcomes: z.array(outcomeBody).check(z.minLength(1), z.maxLength(30)) });

export const studyBody = z.object({
  studyId: slug,
  name: z.string({ error: 'the study name, 1 to 200 characters' }).check(z.trim(), z.minLength(1, 'the study name, 1 to 200 characters'), z.maxLength(200, 'the study name, 1 to 200 characters')),
  country: z.string().check(z.regex(/^[A-Z]{2}$/, 'a two-letter country code, e.g. KE')),
  timeZone: z.string(),
  languages: z.array(z.string()).check(z.minLength(1)),
  serviceCode: z.string().check(z.regex(/^\*\d+(\*\d+)*#$/, 'a USSD code like *384*123#')),
  smsShortCode: z.optional(z.string().check(z.regex(/^\d{3,15}$/, 'digits only'))),
  /** The SMS provider and sender; checked against the country by messagingProblems. */
  messaging: z.optional(
    z.object({
      provider: z.enum(SMS_PROVIDERS, `one of ${SMS_PROVIDERS.join(', ')}`),
      from: z.optional(z.string().check(z.regex(/^[A-Za-z0-9 ._-]{1,16}$/, 'a sender id or short code (letters, digits, up to 16)'))),
      masked: z.optional(z.boolean()),
    }),
  ),
  contact: z.string({ error: 'who participants call with questions, e.g. a phone number, 1 to 40 characters' }).check(
    z.minLength(1, 'who participants call with questions, e.g. a phone number, 1 to 40 characters'),
    z.maxLength(40, 'who participants call with questions, 1 to 40 characters'),
  ),
  arms: z
    .array(
      z.object({
        armId: slug,
        name: z.string({ error: 'the arm name, e.g. "Diary only"' }).check(z.minLength(1, 'the arm name, e.g. "Diary only"')),
        ratio: z.number({ error: 'the arm\'s share in randomization, a number above 0 (e.g. 1)' }).check(z.positive('the arm\'s share in randomization, a number above 0 (e.g. 1)')),
        treatment: z.boolean({ error: 'true for an arm that gets lessons, false for the control' }),
      }),
      { error: 'a list of at least two arms: a control (treatment: false) and a treatment arm' },
    )
    .check(z.minLength(2, 'a list of at least two arms: a control (treatment: false) and a treatment arm')),
  providers: z._default(z.array(z.object({ id: slug, name: z.string().check(z.minLength(1), z.maxLength(20)), kind: z.enum(['bank', 'mobile_money', 'agent', 'other']) })), []),
  startsOn: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'))),
  schedule: z.optional(z.record(z.string(), z.unknown())),
  smsCost: z.optional(z.object({ perSegment: z.number().check(z.nonnegative()), currency: z.string().check(z.regex(/^[A-Z]{3}$/)) })),
  outcomes: z.optional(z.array(outcomeBody).check(z.minLength(1), z.maxLength(30))),
  /** Raw SMS and USSD text is blanked this many days after it arrived (core/privacy/retention.ts). */
  retention: z.optional(z.object({ rawSmsDays: z.number().check(z.int(), z.gte(1), z.lte(3650)) })),
});

export const randomizeBody = z.object({
  method: z.optional(z.enum(['complete', 'block', 'cluster', 'block_cluster'])),
  seed: z.optional(z.number().check(z.int(), z.gte(0), z.lte(4_294_967_295))),
  rolling: z._default(z.boolean(), false),
});

export const importBody = z.object({ csv: z.string().check(z.maxLength(10_000_000)), dryRun: z._default(z.boolean(), false) });

export const campaignBody = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
  modules: z.array(z.string()).check(z.minLength(1), z.maxLength(24)),
  targetArms: z.array(z.string()).check(z.minLength(1)),
  startsOn: z.string(),
  everyWeeks: z._default(z.number(), 1),
  day: z.number(),
  hour: z.number(),
  channel: z.enum(['sms', 'ussd', 'both']),
});

export const exportBody = z.object({
  dataset: z.enum(DATASETS),
  /** Start the CSV with a UTF-8 byte-order mark, for Excel. */
  bom: z._default(z.boolean(), false),
  /** Add participants' phone numbers: admins only, and logged. */
  includePhone: z._default(z.boolean(), false),
});

export const simulateBody = z.object({
  weeks: z._default(z.number().check(z.int(), z.gte(1), z.lte(52)), 8),
  seed: z._default(z.number().check(z.int(), z.gte(0), z.lte(4_294_967_295)), 1),
  savingsEffect: z._default(z.number().check(z.gte(0), z.lte(100_000)), 300),
});

/** Revealing a participant's phone number (admins): the reason goes on the audit record. */
export const revealPhoneBody = z.object({
  reason: z.string().check(z.trim(), z.minLength(5, 'say why, in at least 5 characters'), z.maxLength(500)),
});

/** Query of the console's participant list: a page size, the cursor of the previous page, an arm. */
export const participantsQuery = z.object({
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/, 'a number from 1 to 500'))),
  cursor: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,200}$/, 'the nextCursor of the previous page'))),
  arm: z.optional(z.string().check(z.minLength(1))),
  /** The participant whose export id (`pid`) this is. */
  exportId: z.optional(z.string().check(z.regex(/^[0-9a-f]{16}$/, 'an export id (pid): 16 hexadecimal characters'))),
});

/** Query of the content preview: one language, or every language of the study. */
export const contentPreviewQuery = z.object({
  lang: z.optional(z.string().check(z.regex(/^[a-z]{2,3}$/, 'a language code such as en'))),
});

/** "Forget me" by an admin: an explicit confirmation, and why (kept in the audit record). */
export const forgetBody = z.object({
  confirm: z.literal(true, 'send "confirm": true to forget this participant for good'),
  reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(500)),
});

const role = z.enum(['researcher', 'ngo', 'admin', 'enumerator'], 'one of researcher, ngo, admin, enumerator');

/** Inviting a staff member (admins): their email and one role. */
export const inviteUserBody = z.object({
  email: z.string().check(z.trim(), z.email('an email address')),
  role,
});

/** A staff member's new role (admins). */
export const userRoleBody = z.object({ role });

/** One step on a complaint case (core/cases/model.ts CaseAction); who may take it is the core's rule. */
const note = z.optional(z.string().check(z.maxLength(1000)));
export const caseActionBody = z.union([
  z.object({ type: z.enum(['acknowledge', 'refer', 'resolve', 'markUnresolved', 'close']), note }),
  z.object({ type: z.literal('triage'), provider: z.optional(z.string()), category: z.optional(z.string()), note }),
  z.object({ type: z.literal('respond'), note: z.string().check(z.minLength(1, 'the response, 1 to 1000 characters'), z.maxLength(1000)) }),
  z.object({ type: z.literal('merge'), into: z.string().check(z.minLength(1)), note }),
]);
