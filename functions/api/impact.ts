import { studyWeeks } from '../core/time/study-calendar.js';
import { impactHtml } from '../core/impact/html.js';
import { impactReport } from '../core/impact/report.js';
import type { ApiContext } from './context.js';
import type { ApiRequest, RouteName } from './routes.js';
import { actor } from './auth.js';

/**
 * The impact report (researchers, admins): every participant, every diary week from the
 * study's first to the current one, the randomization record (for the design) and the modules
 * (who completed one) go into the pure report; the answer is its JSON and the self-contained
 * HTML page. Outcomes are the study's own, or the demo diary's defaults when it has none.
 * With ?ri=1 the report adds randomization-inference p-values (core/impact/ri.ts).
 */
export function impactHandlers(ctx: ApiContext): Pick<Record<RouteName, (r: ApiRequest) => Promise<unknown>>, 'impact'> {
  const { participants, diary, randomization } = ctx.ports;
  return {
    impact: async (r) => {
      const study = await ctx.study(r);
      const now = ctx.clock.now();
      const [people, runs, content, weeks] = await Promise.all([
        participants.listByStudy(study.studyId),
        randomization.runs(study.studyId),
        ctx.content(),
        diary.weeks(study.studyId, studyWeeks(study, now).map((w) => w.id)),
      ]);
      const initial = runs.find((run) => run.kind === 'initial' && run.status === 'complete') ?? runs.find((run) => run.kind === 'initial');
      const report = impactReport({
        study,
        participants: people,
        weeks,
        now,
        ...(initial ? { method: initial.method, initialRandomizationId: initial.randomizationId, randomization: { seed: initial.seed, algorithm: initial.algorithm } } : {}),
        modules: content.modules ?? [],
        ...(study.outcomes ? { outcomes: study.outcomes } : {}),
        // ?ri=1: randomization inference beside every estimator; the Monte Carlo stream is seeded by the
        // study's own randomization seed, so the same data give the same p-values.
        ...(r.query.ri === '1' || r.query.ri === 'true' ? { ri: { seed: initial?.seed ?? 1 } } : {}),
      });
      ctx.log.info('impact report', { studyId: study.studyId, participants: people.length, weeks: weeks.length, ...actor(r.principal) });
      return { report, html: impactHtml(report) };
    },
  };
}
