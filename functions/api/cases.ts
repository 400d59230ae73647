import { stepCase } from '../core/cases/act.js';
import type { CaseAction, CaseActor, CaseRole, ComplaintCase } from '../core/cases/model.js';
import { providerCaseList, providerCaseView } from '../core/cases/provider-view.js';
import { caseSla, slaStatus } from '../core/cases/sla.js';
import type { Study } from '../core/model.js';
import type { SendQueue } from '../core/ports/queue.js';
import type { Principal } from './auth.js';
import type { ApiContext } from './context.js';
import { ApiError, validated } from './http.js';
import type { ApiRequest, RouteName } from './routes.js';
import { caseActionBody } from './schemas.js';

/**
 * Complaint cases on the admin API. NGO staff and admins see every case of a study with its SLA
 * flags and act on them; a provider's desk sees only its own referred cases, pseudonymous (the
 * number only if the participant shared it for that case), and another provider's case is a 404.
 */
type CaseRoutes = 'listCases' | 'getCase' | 'caseAction';

// The strongest of the caller's roles decides how it acts (an admin who is also a desk acts as admin).
const ACTING_ORDER: readonly CaseRole[] = ['admin', 'ngo', 'researcher', 'provider'];

export function caseActor(p: Principal): CaseActor {
  const role = ACTING_ORDER.find((r) => (p.roles as readonly string[]).includes(r)) ?? 'researcher';
  return { id: p.name, label: p.name, role, ...(role === 'provider' && p.providerId ? { providerId: p.providerId } : {}) };
}

function staffView(c: ComplaintCase, study: Study, now: Date) {
  return { ...c, sla: slaStatus(c, now, caseSla(study), study.timeZone) };
}

export function caseHandlers(ctx: ApiContext, queue: SendQueue): Pick<Record<RouteName, (r: ApiRequest) => Promise<unknown>>, CaseRoutes> {
  const { cases } = ctx.ports;
  const notFound = (ref: string) => new ApiError(404, `No case "${ref}".`);
  const deskView = async (study: Study, c: ComplaintCase, actor: CaseActor) => {
    const phone = c.shareNumber ? await ctx.ports.console.phoneOf(study.studyId, c.participantId) : undefined;
    return providerCaseView(c, actor, phone);
  };
  return {
    listCases: async (r) => {
      const study = await ctx.study(r);
      const actor = caseActor(r.principal);
      if (actor.role === 'provider') {
        if (!actor.providerId) return { cases: [] };
        return { cases: providerCaseList(await cases.listCases(study.studyId, { provider: actor.providerId }), actor) };
      }
      const now = ctx.clock.now();
      return { cases: (await cases.listCases(study.studyId)).map((c) => staffView(c, study, now)) };
    },
    getCase: async (r) => {
      const study = await ctx.study(r);
      const ref = r.params.ref ?? '';
      const actor = caseActor(r.principal);
      const c = await cases.getCase(study.studyId, ref);
      if (!c) throw notFound(ref);
      if (actor.role !== 'provider') return staffView(c, study, ctx.clock.now());
      const view = await deskView(study, c, actor);
      if (!view) throw notFound(ref);
      return view;
    },
    caseAction: async (r) => {
      const action = validated(caseActionBody, r.body, 'case action') as CaseAction;
      const study = await ctx.study(r);
      const ref = r.params.ref ?? '';
      const actor = caseActor(r.principal);
      const content = await ctx.content();
      const result = await stepCase(
        { cases, phones: ctx.ports.console, participants: ctx.ports.participants, messages: ctx.ports.messages, queue, content, now: () => ctx.clock.now() },
        study,
        { ref, action, actor },
      );
      if (!result.ok) throw result.notFound ? notFound(ref) : new ApiError(409, result.reason);
      ctx.log.info('case step', { studyId: study.studyId, ref, action: action.type, to: result.step.to, role: actor.role });
      if (actor.role === 'provider') return (await deskView(study, result.case, actor)) ?? { ref, state: result.case.state };
      return staffView(result.case, study, ctx.clock.now());
    },
  };
}
