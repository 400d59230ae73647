import { recordAttempt } from '../core/enumerate/attempts.js';
import { balancedPlan, reassign } from '../core/enumerate/assign.js';
import { callList } from '../core/enumerate/call-list.js';
import { EnumerationError } from '../core/enumerate/errors.js';
import { type InterviewDeps, openInterview, participantFor, promptsShown, saveInterviewAnswer, updateCallRecord } from '../core/enumerate/interview.js';
import type { Assignment } from '../core/enumerate/model.js';
import { backCheckList, differences, enumeratorStats } from '../core/enumerate/supervision.js';
import type { Study } from '../core/model.js';
import { studyWeekAt, studyWeeks } from '../core/time/study-calendar.js';
import { researchParticipants } from '../core/training.js';
import type { ApiContext } from './context.js';
import { ApiError, validated } from './http.js';
import type { Principal } from './auth.js';
import type { ApiRequest, RouteName } from './routes.js';
import { assignBody, backCheckBody, callAttemptBody, interviewAnswerBody } from './enumeration-schemas.js';

type EnumerationRoute = 'callList' | 'callPhone' | 'openInterview' | 'interviewAnswer' | 'callAttempt' | 'assignments' | 'assign' | 'supervision' | 'backCheck';

/** The enumerator's id: their account (one place to change when principals carry an immutable id). */
export const enumeratorIdOf = (p: Principal): string => p.name;

/** What an enumerator may see of a study: nothing of its arms or outcomes, so interviewers stay blind. */
export function blindStudy(s: Study): Omit<Study, 'arms' | 'outcomes'> & { arms: [] } {
  const { arms: _arms, outcomes: _outcomes, ...rest } = s;
  return { ...rest, arms: [] };
}

const STATUS = { notFound: 404, held: 409, stopped: 410, cap: 409, invalid: 400, conflict: 409 } as const;

async function refusalsAsHttp<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof EnumerationError) throw new ApiError(STATUS[err.kind], err.message, err.detail.questionId ? [{ field: 'input', message: err.message }] : []);
    throw err;
  }
}

/**
 * Enumerator phone interviews on the admin API: the enumerator's call list, the number to dial
 * (audited), the interview screen's reads and writes, call attempts; the supervisor's
 * assignments, dashboard and back-checks. Handlers parse, call one use case of
 * core/enumerate, and shape the answer; an enumerator's answers never carry an arm.
 */
export function enumerationHandlers(ctx: ApiContext): Pick<Record<RouteName, (r: ApiRequest) => Promise<unknown>>, EnumerationRoute> {
  const { ports } = ctx;
  const deps = async (): Promise<InterviewDeps> => ({
    participants: { findById: (s, id) => ports.forget.findById(s, id), saveParticipant: (p, prev) => ports.participants.saveParticipant(p, prev) },
    diary: ports.ussd,
    calls: ports.enumeration,
    audit: ports.audit,
    content: await ctx.content(),
    clock: ctx.clock,
  });
  const pid = (r: ApiRequest) => r.params.participantId ?? '';

  return {
    callList: async (r) => {
      const study = await ctx.study(r);
      const now = ctx.clock.now();
      const week = studyWeekAt(study, now).id;
      const mine = new Set((await ports.enumeration.assignments(study.studyId, enumeratorIdOf(r.principal))).map((a) => a.participantId));
      const participants = (await ports.participants.listByStudy(study.studyId)).filter((p) => mine.has(p.participantId));
      const answeredPhones = await ports.ussd.answeredAmong(study.studyId, participants.map((p) => p.phone), week);
      const answered = new Set(participants.filter((p) => answeredPhones.has(p.phone)).map((p) => p.participantId));
      const records = await ports.enumeration.callRecords(study.studyId, week, [...mine]);
      return { week, calls: callList({ study, participants, answered, records, now }) };
    },

    callPhone: async (r) => {
      const study = await ctx.study(r);
      const p = await refusalsAsHttp(async () => participantFor(await deps(), study, pid(r), enumeratorIdOf(r.principal)));
      const at = ctx.clock.now().toISOString();
      // The durable record first: if it cannot be written, the number is not given.
      await ports.audit.append({ studyId: study.studyId, at, by: r.principal.name, action: 'enumerator-view-phone', participantId: p.participantId, reason: 'to call for the weekly diary' });
      ctx.log.info('phone number shown to enumerator', { audit: 'enumerator-view-phone', studyId: study.studyId, participantId: p.participantId, by: r.principal.name, at });
      return { phone: p.phone };
    },

    openInterview: async (r) => {
      const study = await ctx.study(r);
      return { interview: await refusalsAsHttp(async () => openInterview(await deps(), study, pid(r), enumeratorIdOf(r.principal))) };
    },

    interviewAnswer: async (r) => {
      const body = validated(interviewAnswerBody, r.body, 'answer');
      const study = await ctx.study(r);
      const result = await refusalsAsHttp(async () => saveInterviewAnswer(await deps(), study, pid(r), enumeratorIdOf(r.principal), stripUndefined(body)));
      return result;
    },

    callAttempt: async (r) => {
      const body = validated(callAttemptBody, r.body, 'call attempt');
      const study = await ctx.study(r);
      const d = await deps();
      const who = enumeratorIdOf(r.principal);
      return refusalsAsHttp(async () => {
        if (body.promptsShown) await promptsShown(d, study, pid(r), who, body.promptsShown);
        const { promptsShown: _shown, ...attempt } = body;
        return { record: await recordAttempt(d, study, pid(r), who, stripUndefined(attempt)) };
      });
    },

    assignments: async (r) => {
      const study = await ctx.study(r);
      const [assignments, participants] = await Promise.all([ports.enumeration.assignments(study.studyId), ports.participants.listByStudy(study.studyId)]);
      const byId = new Map(participants.map((p) => [p.participantId, p]));
      const perEnumerator: Record<string, Record<string, number>> = {};
      for (const a of assignments) {
        const p = byId.get(a.participantId);
        const cell = `${p?.armId ?? 'unassigned'}${p?.stratum ? ` / ${p.stratum}` : ''}`;
        const counts = (perEnumerator[a.enumeratorId] ??= {});
        counts[cell] = (counts[cell] ?? 0) + 1;
      }
      return { assignments, perEnumerator };
    },

    assign: async (r) => {
      const body = validated(assignBody, r.body, 'assignment');
      const study = await ctx.study(r);
      const at = ctx.clock.now().toISOString();
      const current = new Map((await ports.enumeration.assignments(study.studyId)).map((a) => [a.participantId, a]));
      const participants = researchParticipants(await ports.participants.listByStudy(study.studyId)).filter((p) => p.consent.state === 'consented' && !p.forgotten);
      let plan: Map<string, string>;
      if (body.mode === 'hand') {
        const known = new Set(participants.map((p) => p.participantId));
        const unknown = body.participantIds.filter((id) => !known.has(id));
        if (unknown.length > 0) throw new ApiError(400, 'The assignment is not valid.', [{ field: 'participantIds', message: `not consented participants of this study: ${unknown.slice(0, 10).join(', ')}` }]);
        plan = new Map(body.participantIds.map((id) => [id, body.enumeratorId]));
      } else {
        plan = balancedPlan(participants.filter((p) => !body.onlyUnassigned || !current.has(p.participantId)), body.enumeratorIds);
      }
      const how = body.mode;
      let changed = 0;
      for (const [participantId, enumeratorId] of plan) {
        const before = current.get(participantId);
        const next: Assignment = reassign(before, { studyId: study.studyId, participantId }, { enumeratorId, at, by: r.principal.name, how });
        if (next === before) continue;
        await ports.enumeration.saveAssignment(next, before?.version ?? 0);
        changed += 1;
      }
      return { assigned: plan.size, changed };
    },

    supervision: async (r) => {
      const study = await ctx.study(r);
      const weeks = studyWeeks(study, ctx.clock.now()).map((w) => w.id);
      const [assignments, records] = await Promise.all([ports.enumeration.assignments(study.studyId), Promise.all(weeks.map((w) => ports.enumeration.callRecords(study.studyId, w))).then((x) => x.flat())]);
      return { enumerators: enumeratorStats(assignments, records), backChecks: backCheckList(records) };
    },

    backCheck: async (r) => {
      const body = validated(backCheckBody, r.body, 'back-check');
      const study = await ctx.study(r);
      const found = await ports.forget.findById(study.studyId, pid(r));
      const p = found.active;
      if (!p) throw new ApiError(404, `No participant "${pid(r)}" in study "${study.studyId}".`);
      const [week] = await ports.ussd.listWeeks(study.studyId, p.phone, body.week, body.week);
      const recorded = Object.fromEntries(Object.entries(week?.answers ?? {}).map(([id, a]) => [id, a.value]));
      const diff = differences(recorded, body.answers);
      const at = ctx.clock.now().toISOString();
      const record = await updateCallRecord({ calls: ports.enumeration, clock: ctx.clock }, study.studyId, body.week, p.participantId, (c) => {
        if (!c.backCheck) throw new EnumerationError('notFound', `The interview of ${p.participantId} in ${body.week} is not in the back-check sample.`);
        return { ...c, backCheck: { ...c.backCheck, checkedAt: at, checkedBy: r.principal.name, differences: diff } };
      }).catch((err: unknown) => refusalsAsHttp(() => Promise.reject(err)));
      return { backCheck: record.backCheck, differing: Object.keys(diff) };
    },
  };
}

/** zod/mini gives optional fields as `undefined`; the core's types (exactOptionalPropertyTypes) want them absent. */
function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
