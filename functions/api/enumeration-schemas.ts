import * as z from 'zod/mini';
import { DISPOSITIONS } from '../core/enumerate/model.js';

/** Request bodies of the enumerator routes (issue 18), beside schemas.ts to keep that file one idea. */
const id = z.string().check(z.minLength(1), z.maxLength(120));
const key = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,80}$/, 'an idempotency key: 8 to 80 letters, digits, _ or -'));

/** By hand (these participants to this enumerator) or balanced (every consented participant across these enumerators). */
export const assignBody = z.union([
  z.object({ mode: z.literal('hand'), enumeratorId: id, participantIds: z.array(id).check(z.minLength(1), z.maxLength(1000)) }),
  z.object({ mode: z.literal('balanced'), enumeratorIds: z.array(id).check(z.minLength(1), z.maxLength(200)), onlyUnassigned: z.optional(z.boolean()) }),
]);

export const interviewAnswerBody = z.object({
  questionId: id,
  input: z.string().check(z.maxLength(500)),
  key,
  basedOn: z.optional(z.string()),
  lang: z.string().check(z.regex(/^[a-z]{2,3}$/, 'a language code such as en')),
  overrodePrompt: z.optional(z.boolean()),
});

export const callAttemptBody = z.object({
  attemptId: key,
  disposition: z.enum(DISPOSITIONS, `one of ${DISPOSITIONS.join(', ')}`),
  callBackAt: z.optional(z.iso.datetime({ offset: true, error: 'an ISO date-time such as 2026-11-24T17:00:00+03:00' })),
  note: z.optional(z.string().check(z.maxLength(500))),
  durationMs: z.optional(z.number().check(z.gte(0), z.lte(86_400_000))),
  promptsShown: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1000))),
});

export const backCheckBody = z.object({
  week: z.string().check(z.regex(/^\d{4}-W\d{2}$/, 'an ISO week such as 2026-W48')),
  answers: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string()), z.null()])),
});
