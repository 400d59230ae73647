import { randomUUID } from 'node:crypto';
import { type StudyClaim, StudyTakenError } from '../core/errors.js';
import { parseEnrolmentCsv } from '../core/enrol/csv-import.js';
import type { Study } from '../core/model.js';
import { RandomizationError } from '../core/randomize/rng.js';
import { assignLateJoiners, randomizeStudy } from '../core/randomize/study.js';
import { outcomesProblems, studyProblems } from '../core/study/validate-study.js';
import { studyBalance } from '../core/stats/study-balance.js';
import type { ApiContext } from './context.js';
import { importBody, outcomesBody, randomizeBody, studyBody } from './schemas.js';
import { ApiError, validated } from './http.js';
import type { ApiRequest, RouteName } from './routes.js';
import { actor } from './auth.js';

/** Studies, enrolment from CSV, randomization and balance (researchers and admins). */

export function studyHandlers(ctx: ApiContext): Pick<Record<RouteName, (r: ApiRequest) => Promise<unknown>>, 'createStudy' | 'importParticipants' | 'randomize' | 'randomizations' | 'balance' | 'setOutcomes'> {
  const { participants, randomization } = ctx.ports;
  return {
    createStudy: async (r) => {
      const body = validated(studyBody, r.body, 'study') as Omit<Study, 'createdAt'>;
      const problems = studyProblems(body, await ctx.content());
      if (problems.length > 0) throw new ApiError(400, 'The study is not valid.', problems);
      const study: Study = { ...body, createdAt: ctx.clock.now().toISOString() };
      try {
        await ctx.ports.studyAdmin.create(study);
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
      ctx.log.info('study created', { studyId: study.studyId, ...actor(r.principal) });
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
      ctx.log.info('participants imported', { studyId: study.studyId, created, ...actor(r.principal) });
      return { valid: parsed.participants.length, created, existing: parsed.participants.length - created };
    },
    randomize: async (r) => {
      const study = await ctx.study(r);
      const body = validated(randomizeBody, r.body ?? {}, 'randomization request');
      const seed = body.seed ?? Math.floor(Math.random() * 4_294_967_296);
      const base = { seed, ...actor(r.principal), now: ctx.clock.now() };
      try {
        const outcome = body.rolling
          ? await assignLateJoiners(study, base, randomization)
          : await randomizeStudy(study, { ...base, method: body.method ?? 'complete' }, randomization);
        ctx.log.info('randomized', { studyId: study.studyId, randomizationId: outcome.run?.randomizationId ?? '(none)', assigned: outcome.assigned, ...actor(r.principal) });
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
      await ctx.ports.studyAdmin.setOutcomes(study.studyId, body.outcomes);
      // Pre-specification matters to referees: every change of the outcomes is on the record.
      ctx.log.warn('study outcomes set', { studyId: study.studyId, outcomes: body.outcomes.map((o) => o.id), ...actor(r.principal), at: ctx.clock.now().toISOString() });
      return { outcomes: body.outcomes };
    },
    randomizations: async (r) => ({ randomizations: await randomization.runs((await ctx.study(r)).studyId) }),
    balance: async (r) => {
      const study = await ctx.study(r);
      return { comparisons: studyBalance(study, await participants.listByStudy(study.studyId)) };
    },
  };
}
