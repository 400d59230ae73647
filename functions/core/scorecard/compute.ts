/**
 * The public provider scorecard, computed from the studies that opt in (`publishScorecard`):
 * per provider and month, complaints and kudos weighed against how many people use the
 * provider (participant-weeks), complaints by category, how cases were handled against the
 * SLA, and the diary's empowerment items. Privacy by construction (publish.ts): what leaves
 * this file is counts and shares of groups, never a person, a reference, a text or a day.
 */
import type { WeekRecord } from '../diary/week-record.js';
import type { Complaint, Participant, Provider, Study } from '../model.js';
import type { ComplaintCase } from '../cases/model.js';
import { caseSla, slaStatus } from '../cases/sla.js';
import { isoWeekMonday } from '../console/weeks.js';

export interface ScorecardStudy {
  study: Pick<Study, 'studyId' | 'publishScorecard' | 'providers' | 'timeZone' | 'country' | 'caseSla'>;
  participants: readonly Pick<Participant, 'participantId' | 'baseline' | 'training'>[];
  weeks: readonly Pick<WeekRecord, 'participantId' | 'week' | 'answers'>[];
  complaints: readonly Pick<Complaint, 'participantId' | 'ref' | 'provider' | 'category' | 'week' | 'kind'>[];
  cases: readonly ComplaintCase[];
}

/** Everything counted for one provider (by public name) and month, before any suppression. */
export interface RawCell {
  provider: string;
  kind: Provider['kind'];
  month: string;
  participantWeeks: number;
  complaints: number;
  kudos: number;
  byCategory: Record<string, number>;
  /** [within the SLA, decided]: a clock still running is not counted yet. */
  acknowledged: [number, number];
  resolved: [number, number];
  daysToResolve: number[];
  /** [said solved, answered]. */
  saidSolved: [number, number];
  /** [yes, yes or no] over the provider's users' diary weeks: "not applicable" is left out. */
  respect: [number, number];
  choice: [number, number];
}

/** A week belongs to the month of its Thursday, as an ISO week belongs to the year of its Thursday. */
export function weekMonth(week: string): string {
  return new Date(Date.parse(`${isoWeekMonday(week)}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 7);
}

/**
 * Which providers a pay method reaches. The diary asks how the wage came (`wage_how`), the
 * baseline how it is paid (`pay_method`), not which bank: so a week counts for every provider of
 * the kinds that method uses, and agents serve both banks and mobile money.
 */
const REACHES: Record<Provider['kind'], readonly string[]> = {
  bank: ['bank', 'mixed'],
  mobile_money: ['mobile_money', 'mixed'],
  agent: ['bank', 'mobile_money', 'mixed'],
  other: ['bank', 'mobile_money', 'mixed'],
};

export const publicName = (p: Pick<Provider, 'name' | 'publicName'>): string => p.publicName ?? p.name;

const answerOf = (w: Pick<WeekRecord, 'answers'>, id: string): unknown => w.answers[id]?.value ?? undefined;

function tally(pair: [number, number], yes: boolean): void {
  pair[0] += yes ? 1 : 0;
  pair[1] += 1;
}

export function rawCells(inputs: readonly ScorecardStudy[], now: Date): RawCell[] {
  const cells = new Map<string, RawCell>();
  const cell = (p: Provider, month: string): RawCell => {
    const key = `${publicName(p)}\u0000${month}`;
    let c = cells.get(key);
    if (!c) {
      c = { provider: publicName(p), kind: p.kind, month, participantWeeks: 0, complaints: 0, kudos: 0, byCategory: {}, acknowledged: [0, 0], resolved: [0, 0], daysToResolve: [], saidSolved: [0, 0], respect: [0, 0], choice: [0, 0] };
      cells.set(key, c);
    }
    return c;
  };
  for (const { study, participants, weeks, complaints, cases } of inputs) {
    if (study.publishScorecard !== true) continue;
    const research = new Map(participants.filter((p) => !p.training).map((p) => [p.participantId, p]));
    const byId = new Map(study.providers.map((p) => [p.id, p]));
    // Someone who complained about or praised a provider uses it, whatever their pay method.
    const users = new Set(complaints.map((c) => `${c.participantId}\u0000${c.provider}`));
    for (const w of weeks) {
      const p = research.get(w.participantId);
      if (!p || !Object.values(w.answers).some((a) => a.value !== null)) continue;
      const method = answerOf(w, 'wage_how') ?? p.baseline?.answers.pay_method;
      const month = weekMonth(w.week);
      for (const provider of study.providers) {
        if (!REACHES[provider.kind].includes(String(method)) && !users.has(`${w.participantId}\u0000${provider.id}`)) continue;
        const c = cell(provider, month);
        c.participantWeeks += 1;
        for (const item of ['respect', 'choice'] as const) {
          const v = answerOf(w, item);
          if (v === 'yes' || v === 'no') tally(c[item], v === 'yes');
        }
      }
    }
    // A complaint counts under the provider and category triage confirmed, and a repeat merged
    // into another case counts once, as that case.
    const caseOf = new Map(cases.map((c) => [c.ref, c]));
    for (const k of complaints) {
      const confirmed = k.kind === 'kudos' ? undefined : caseOf.get(k.ref);
      const provider = byId.get(confirmed?.provider ?? k.provider);
      if (!provider || !research.has(k.participantId) || confirmed?.mergedInto) continue;
      const c = cell(provider, weekMonth(k.week));
      if (k.kind === 'kudos') c.kudos += 1;
      else {
        const category = confirmed?.category ?? k.category;
        c.complaints += 1;
        c.byCategory[category] = (c.byCategory[category] ?? 0) + 1;
      }
    }
    const sla = caseSla(study);
    for (const k of cases) {
      const provider = byId.get(k.provider);
      if (!provider || !research.has(k.participantId) || k.mergedInto) continue;
      const c = cell(provider, weekMonth(k.week));
      const s = slaStatus(k, now, sla, study.timeZone);
      if (s.acknowledge === 'met' || s.acknowledge === 'missed') tally(c.acknowledged, s.acknowledge === 'met');
      if (s.resolve === 'met' || s.resolve === 'missed' || s.resolve === 'overdue') tally(c.resolved, s.resolve === 'met');
      if (k.resolvedAt) c.daysToResolve.push((Date.parse(k.resolvedAt) - Date.parse(k.receivedAt)) / 86_400_000);
      if (k.solved !== undefined) tally(c.saidSolved, k.solved);
    }
  }
  return [...cells.values()].sort((a, b) => a.provider.localeCompare(b.provider) || a.month.localeCompare(b.month));
}
