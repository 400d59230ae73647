import { differenceInMeans } from '../stats/dim.js';
import { attempt, regression } from './attempt.js';
import { describe, varies } from './descriptive.js';
import type { OutcomeDefinition } from './outcomes.js';
import type { AttritionTest, ImpactDesign } from './report-model.js';
import { responded } from './response-rates.js';
import type { Unit } from './sample.js';

/** The follow-up weeks of the ITT outcomes, and each unit's share of them answered since joining. */
export interface FollowUp {
  from: number;
  /** Below `from` when no follow-up week has begun. */
  to: number;
  /** Per unit; null when none of the follow-up weeks falls after joining. */
  share: (number | null)[];
}

/** Share of follow-up weeks answered, since joining. */
export function followUp(valid: readonly OutcomeDefinition[], units: readonly Unit[], currentStudyWeek: number): FollowUp {
  const ittDefs = valid.filter((o) => o.kind !== 'quiz_score');
  const followFrom = ittDefs.length > 0 ? Math.min(...ittDefs.map((o) => o.window.fromStudyWeek)) : 0;
  const followTo = ittDefs.length > 0 ? Math.min(Math.max(...ittDefs.map((o) => o.window.toStudyWeek)), currentStudyWeek) : -1;
  const share = units.map((u) => {
    const from = Math.max(followFrom, u.entryWeek);
    if (followTo < from) return null;
    const answered = new Set(u.weeks.filter((r) => r.studyWeek >= from && r.studyWeek <= followTo && responded(r)).map((r) => r.studyWeek));
    return answered.size / (followTo - from + 1);
  });
  return { from: followFrom, to: followTo, share };
}

/** The attrition test of one comparison: do the arms answer different shares of the follow-up weeks? */
export function attritionTest(
  ctx: { units: readonly Unit[]; alpha: number; design: Pick<ImpactDesign, 'blocked' | 'clustersKnown'> },
  follow: FollowUp,
  idx: readonly number[],
  zOf: (i: number) => number,
): AttritionTest {
  const { units, alpha } = ctx;
  const { blocked, clustersKnown } = ctx.design;
  const { from: followFrom, to: followTo, share: responseShare } = follow;
  const test: AttritionTest = {
    measure: 'share of follow-up weeks (since joining) with at least one diary answer',
    weeks: followTo >= followFrom ? { from: followFrom, to: followTo } : null,
    n1: 0,
    n0: 0,
    rate1: null,
    rate0: null,
    notes: [],
  };
  const obs = idx.filter((i) => responseShare[i] !== null);
  const y = obs.map((i) => responseShare[i] as number);
  const z = obs.map(zOf);
  const d1 = describe(y.filter((_, k) => z[k] === 1));
  const d0 = describe(y.filter((_, k) => z[k] === 0));
  Object.assign(test, { n1: d1.n, n0: d0.n, rate1: d1.mean, rate0: d0.mean });
  if (!test.weeks) {
    test.notes.push(`No follow-up week has begun yet (follow-up starts in study week ${followFrom}).`);
    return test;
  }
  if (d1.n < 2 || d0.n < 2) {
    test.notes.push('Too few people in an arm for an attrition test.');
    return test;
  }
  if (!varies(y)) {
    test.notes.push('Everyone answered the same share of weeks: no difference to test.');
    return test;
  }
  const blocks = blocked ? obs.map((i) => (units[i] as Unit).participant.stratum as string) : undefined;
  test.dim = attempt(test.notes, 'Difference in response', () => (blocks ? differenceInMeans({ y, z, blocks, alpha }) : differenceInMeans({ y, z, alpha })));
  if (!test.dim && blocks) test.dim = attempt(test.notes, 'Difference in response (not blocked)', () => differenceInMeans({ y, z, alpha }));
  if (clustersKnown) test.cr2 = attempt(test.notes, 'CR2', () => regression(y, z, {}, alpha, obs.map((i) => (units[i] as Unit).participant.cluster as string)));
  return test;
}
