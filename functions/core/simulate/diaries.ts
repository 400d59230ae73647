import type { Question, Questionnaire } from '../content/schema.js';
import { type DiaryAnswer, nextWeekRecord, type WeekRecord } from '../diary/week-record.js';
import type { Participant } from '../model.js';
import type { AnswerLike } from '../questionnaire/condition.js';
import { isAsked } from '../questionnaire/walk.js';
import { deriveRng, standardNormal, type Rng } from '../randomize/rng.js';

/**
 * Synthetic diaries for demos, training and trying the research workflow on a laptop: each
 * participant answers each week with some probability, walking the real questionnaire (skip
 * logic and rotation), with a planted effect in the treatment arm (more digital pay, more
 * saved) so the impact report has something to find. Seeded: the same inputs give the same
 * diaries. Never for real studies: the API route is off unless the local stack turns it on.
 */
export interface SimulationPlan {
  weeks: { id: string; studyWeek: number }[];
  seed: number;
  /** Extra amount saved a week in treatment arms. */
  savingsEffect: number;
  /** Chance a participant answers a given week (treatment, control). */
  response: { treatment: number; control: number };
  /** When the answers are stamped. */
  at: Date;
}

export function simulateDiaries(people: readonly Participant[], treatmentArms: ReadonlySet<string>, form: Questionnaire, plan: SimulationPlan): WeekRecord[] {
  const records: WeekRecord[] = [];
  for (const p of people) {
    if (p.consent.state !== 'consented' || !p.armId) continue;
    const treated = treatmentArms.has(p.armId);
    for (const week of plan.weeks) {
      const rng = deriveRng(plan.seed, ['diary', p.participantId, week.id]);
      if (rng.nextFloat() >= (treated ? plan.response.treatment : plan.response.control)) continue;
      const given: Record<string, AnswerLike | undefined> = {};
      const answers: Record<string, DiaryAnswer> = {};
      const stamp = plan.at.toISOString();
      for (const q of form.questions) {
        if (!isAsked(q, given, week.studyWeek)) continue;
        const value = answer(q, rng, treated && week.studyWeek > 0, plan.savingsEffect);
        given[q.id] = value;
        answers[q.id] = { value: value as DiaryAnswer['value'], at: stamp, channel: 'ussd', sessionId: 'simulated' };
      }
      records.push(nextWeekRecord(undefined, { participant: p, week: week.id, studyWeek: week.studyWeek, form, stamp }, { answers, complete: true, completedAt: stamp }));
    }
  }
  return records;
}

/** One plausible answer; treated participants lean to digital pay and save more after week 0. */
function answer(q: Question, rng: Rng, treated: boolean, effect: number): AnswerLike {
  const pick = <T>(xs: readonly T[]) => xs[rng.int(xs.length)] as T;
  const weighted = (w: Record<string, number>) => {
    let r = rng.nextFloat() * Object.values(w).reduce((a, b) => a + b, 0);
    for (const [k, v] of Object.entries(w)) if ((r -= v) < 0) return k;
    return Object.keys(w)[0] as string;
  };
  const normal = () => standardNormal(rng);
  const amount = (mean: number, sd: number) => Math.max(0, Math.round((mean + sd * normal()) / 50) * 50);
  switch (q.id) {
    case 'wage_received':
      return rng.nextFloat() < 0.9 ? 'yes' : 'no';
    case 'wage_how':
      return weighted(treated ? { cash: 2, bank: 3, mobile_money: 4, mixed: 1 } : { cash: 4, bank: 2, mobile_money: 3, mixed: 1 });
    case 'wage_amount':
      return amount(8000, 1500);
    case 'fee_amount':
      return amount(120, 60);
    case 'saved_amount':
      return amount(treated ? 600 + effect : 600, 400);
  }
  if (q.type === 'select_one') return pick(q.choices).name;
  if (q.type === 'select_multiple') return [pick(q.choices).name];
  if (q.type === 'integer' || q.type === 'decimal') return Math.round(q.constraint.min + rng.nextFloat() * Math.min(1000, q.constraint.max - q.constraint.min));
  return 'simulated';
}
