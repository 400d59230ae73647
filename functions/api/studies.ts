import { randomUUID } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../adapters/dynamo/keys.js';
import { createStudy, type StudyClaim, StudyTakenError } from '../adapters/dynamo/study-admin.js';
import type { Content } from '../core/content/schema.js';
import { type OutcomeDefinition, outcomeProblems } from '../core/impact/outcomes.js';
import { DynamoParticipantStore } from '../adapters/dynamo/participant-store.js';
import { dynamoRandomizationPorts } from '../adapters/dynamo/randomization-store.js';
import { parseEnrolmentCsv } from '../core/enrol/csv-import.js';
import type { Study } from '../core/model.js';
import { countryProblem } from '../core/phone.js';
import { RandomizationError } from '../core/randomize/rng.js';
import { assignLateJoiners, randomizeStudy } from '../core/randomize/study.js';
import { policyProblems, studySchedule } from '../core/schedule/policy.js';
import { messagingProblems, providerOf } from '../core/sms/providers.js';
import { studyBalance } from '../core/stats/study-balance.js';
import type { ApiContext } from './context.js';
import { importBody, outcomesBody, randomizeBody, studyBody } from './schemas.js';
import { ApiError, validated } from './http.js';
import type { ApiRequest, RouteName } from './routes.js';

/** Studies, enrolment from CSV, randomization and balance (researchers and admins). */

export function studyHandlers(ctx: ApiContext): Pick<Record<RouteName, (r: ApiRequest) => Promise<unknown>>, 'createStudy' | 'importParticipants' | 'randomize' | 'randomizations' | 'balance' | 'setOutcomes'> {
  const participants = new DynamoParticipantStore(ctx.doc, ctx.tableName);
  const randomization = dynamoRandomizationPorts(ctx.doc, ctx.tableName);
  return {
    createStudy: async (r) => {
      const body = validated(studyBody, r.body, 'study');
      const content = await ctx.content();
      const country = countryProblem(body.country);
      const problems = [
        ...body.languages.filter((l) => !content.languages.includes(l)).map((l) => ({ field: 'languages', message: `"${l}" has no content; available: ${content.languages.join(', ')}.` })),
        ...[country].filter((m) => m !== undefined).map((message) => ({ field: 'country', message })),
        ...(validZone(body.timeZone) ? [] : [{ field: 'timeZone', message: `"${body.timeZone}" is not an IANA time zone (e.g. Africa/Nairobi).` }]),
        ...(body.arms.some((a) => !a.treatment) ? [] : [{ field: 'arms', message: 'A study needs a control arm (treatment: false) to estimate impact.' }]),
        ...(new Set(body.arms.map((a) => a.armId)).size === body.arms.length ? [] : [{ field: 'arms', message: 'Two arms have the same armId.' }]),
        ...policyProblems(studySchedule({ schedule: body.schedule as Study['schedule'] })).map((message) => ({ field: 'schedule', message })),
        ...outcomesProblems(body.outcomes ?? [], content),
        // Which providers serve a country is only worth saying of a real country.
        ...(country ? [] : messagingProblems(body.country, body.messaging ?? { provider: providerOf(body) })).map((message) => ({ field: 'messaging', message })),
      ];
      if (problems.length > 0) throw new ApiError(400, 'The study is not valid.', problems);
      const study: Study = { ...(body as Omit<Study, 'createdAt'>), createdAt: ctx.clock.now().toISOString() };
      try {
        await createStudy(ctx.doc, ctx.tableName, study);
      } catch (err) {
        if (err instanceof StudyTakenError) {
          const what: Record<StudyClaim, string> = {
            studyId: `the study id "${study.studyId}" is already taken`,
            serviceCode: `the USSD code ${study.serviceCode} is already taken by another study`,
            smsShortCode: `the SMS short code ${study.smsShortCode ?? ''} is already taken by another study`,
          };
          throw new ApiError(409, `The study cannot be created: ${err.taken.map((t) => what[t]).join('; ')}.`, err.taken.map((t) => ({ field: t, message: `${what[t]}; choose another.` })));
        }
        throw err;
      }
      ctx.log.info('study created', { studyId: study.studyId, by: r.principal.name });
      return { study };
    },
    importParticipants: async (r) => {
      const study = await ctx.study(r);
      const body = validated(importBody, r.body, 'import');
      const parsed = parseEnrolmentCsv(body.csv, study, { newId: () => `p_${randomUUID().replaceAll('-', '').slice(0, 16)}`, now: ctx.clock.now() });
      // Nothing is written unless every row is right: the report lists each bad row.
      if (parsed.problems.length > 0) throw new ApiError(400, `${new Set(parsed.problems.map((p) => p.line)).size} row(s) need fixing; nothing was imported.`, parsed.problems.map((p) => ({ field: `line ${p.line}: ${p.field}`, message: p.message })));
      if (body.dryRun) return { valid: parsed.participants.length, created: 0, existing: 0 };
      let created = 0;
      // A number already enrolled is left as it is, so importing the same file twice adds nobody.
      for (let i = 0; i < parsed.participants.length; i += 25) {
        const made = await Promise.all(parsed.participants.slice(i, i + 25).map((p) => participants.addParticipant(p)));
        created += made.filter(Boolean).length;
      }
      ctx.log.info('participants imported', { studyId: study.studyId, created, by: r.principal.name });
      return { valid: parsed.participants.length, created, existing: parsed.participants.length - created };
    },
    randomize: async (r) => {
      const study = await ctx.study(r);
      const body = validated(randomizeBody, r.body ?? {}, 'randomization request');
      const seed = body.seed ?? Math.floor(Math.random() * 4_294_967_296);
      const base = { seed, by: r.principal.name, now: ctx.clock.now() };
      try {
        const outcome = body.rolling
          ? await assignLateJoiners(study, base, randomization)
          : await randomizeStudy(study, { ...base, method: body.method ?? 'complete' }, randomization);
        ctx.log.info('randomized', { studyId: study.studyId, randomizationId: outcome.run?.randomizationId ?? '(none)', assigned: outcome.assigned, by: r.principal.name });
        return outcome;
      } catch (err) {
        if (err instanceof RandomizationError) throw new ApiError(409, err.message);
        throw err;
      }
    },
    setOutcomes: async (r) => {
      const study = await ctx.study(r);
      const body = validated(outcomesBody, r.body, 'outcome list');
      const problems = outcomesProblems(body.outcomes, await ctx.content());
      if (problems.length > 0) throw new ApiError(400, 'The outcomes are not valid.', problems);
      await ctx.doc.send(
        new UpdateCommand({ TableName: ctx.tableName, Key: keys.study(study.studyId), UpdateExpression: 'SET outcomes = :o', ExpressionAttributeValues: { ':o': body.outcomes } }),
      );
      // Pre-specification matters to referees: every change of the outcomes is on the record.
      ctx.log.warn('study outcomes set', { studyId: study.studyId, outcomes: body.outcomes.map((o) => o.id), by: r.principal.name, at: ctx.clock.now().toISOString() });
      return { outcomes: body.outcomes };
    },
    randomizations: async (r) => ({ randomizations: await randomization.runs((await ctx.study(r)).studyId) }),
    balance: async (r) => {
      const study = await ctx.study(r);
      return { comparisons: studyBalance(study, await participants.listByStudy(study.studyId)) };
    },
  };
}

/** Each outcome must be computable and name questions the diary has. */
function outcomesProblems(outcomes: readonly OutcomeDefinition[], content: Content): { field: string; message: string }[] {
  const questions = new Set((content.diary?.questions ?? []).map((q) => q.id));
  const ids = new Set<string>();
  return outcomes.flatMap((o, i) => {
    const field = `outcomes.${i}`;
    const named = [o.item, o.among?.item, ...(o.items ?? [])].filter((x): x is string => typeof x === 'string');
    const dup = ids.has(o.id);
    ids.add(o.id);
    return [
      ...outcomeProblems(o).map((message) => ({ field, message })),
      ...named.filter((q) => !questions.has(q)).map((q) => ({ field, message: `The diary has no question "${q}".` })),
      ...(dup ? [{ field, message: `Two outcomes have the id "${o.id}".` }] : []),
    ];
  });
}

function validZone(zone: string): boolean {
  try {
    return !Number.isNaN(new TZDate(0, zone).getTime()) && Intl.DateTimeFormat(undefined, { timeZone: zone }).resolvedOptions().timeZone !== undefined;
  } catch {
    return false;
  }
}
