import { subWeeks } from 'date-fns';
import { StaleSessionError } from '../core/errors.js';
import { simulateDiaries } from '../core/simulate/diaries.js';
import { diaryWeek } from '../core/time/week.js';
import { studyStart } from '../core/time/study-calendar.js';
import type { ApiContext } from './context.js';
import { ApiError, validated } from './http.js';
import type { ApiRequest, RouteName } from './routes.js';
import { simulateBody } from './schemas.js';
import { actor } from './auth.js';

/**
 * Synthetic diaries for the local stack (demos, training, trying the research workflow end to
 * end). Off unless SAUTI_ALLOW_SIMULATION=true, which only `npm start` sets: a deployed API
 * answers 404, so no real study can be filled with made-up data.
 */
export function simulateHandlers(ctx: ApiContext): Pick<Record<RouteName, (r: ApiRequest) => Promise<unknown>>, 'simulate'> {
  const { participants, ussd: store } = ctx.ports;
  return {
    simulate: async (r) => {
      if (process.env.SAUTI_ALLOW_SIMULATION !== 'true') throw new ApiError(404, 'Simulation is only available in the local stack.');
      const study = await ctx.study(r);
      const body = validated(simulateBody, r.body ?? {}, 'simulation');
      const now = ctx.clock.now();
      const start = studyStart(study);
      const weeks = new Map<string, number>();
      for (let k = body.weeks - 1; k >= 0; k -= 1) {
        const w = diaryWeek(subWeeks(now, k), study.timeZone, start);
        weeks.set(w.id, w.studyWeek);
      }
      const form = (await ctx.content()).diary;
      if (!form) throw new ApiError(409, 'The content has no diary questionnaire to simulate.');
      const treatment = new Set(study.arms.filter((a) => a.treatment).map((a) => a.armId));
      const records = simulateDiaries(await participants.listByStudy(study.studyId), treatment, form, {
        weeks: [...weeks].map(([id, studyWeek]) => ({ id, studyWeek })),
        seed: body.seed,
        savingsEffect: body.savingsEffect,
        response: { treatment: 0.85, control: 0.8 },
        at: now,
      });
      let written = 0;
      for (let i = 0; i < records.length; i += 25) {
        const done = await Promise.all(
          records.slice(i, i + 25).map(async (w) => {
            try {
              await store.saveWeek(w, undefined);
              return true;
            } catch (err) {
              // A week the participant (or an earlier simulation) already has is left alone.
              if (err instanceof StaleSessionError) return false;
              throw err;
            }
          }),
        );
        written += done.filter(Boolean).length;
      }
      ctx.log.info('diaries simulated', { studyId: study.studyId, written, ...actor(r.principal) });
      return { weeks: [...weeks.keys()], written, kept: records.length - written };
    },
  };
}
