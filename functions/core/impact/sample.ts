import type { Participant } from '../model.js';
import { researchParticipants } from '../training.js';
import type { DiaryWeekData, OutcomeUnit } from './outcomes.js';
import type { ImpactInput } from './report-model.js';

/** A randomized participant of the analysis, with their diary weeks. */
export interface Unit extends OutcomeUnit {
  armId: string;
  /** Study week from which the participant counts in response rates and the attrition test. */
  entryWeek: number;
}

export interface AnalysisSample {
  /** The study's research participants (training numbers left out), randomized or not. */
  people: Participant[];
  /** Those of `people` assigned to an arm of the study. */
  units: Unit[];
}

/** Who is analysed: every research participant with an arm of the study, with their diary weeks. */
export function analysisSample(input: ImpactInput, weekOf: (at: string) => number, notes: string[]): AnalysisSample {
  const { study } = input;
  const control = study.arms.find((a) => !a.treatment);
  const armIds = new Set(study.arms.map((a) => a.armId));
  // A training tool's numbers (the simulator's tour) answer real menus but are not research data.
  const people = researchParticipants(input.participants);
  const assignedPeople = people.filter((p) => p.armId !== undefined && armIds.has(p.armId));
  const unassigned = people.length - assignedPeople.length;
  if (unassigned > 0) notes.push(`${unassigned} participant(s) without an arm of this study are not in the analysis.`);

  const recordsBy = new Map<string, DiaryWeekData[]>();
  for (const r of input.weeks) {
    const list = recordsBy.get(r.participantId);
    if (list) list.push(r);
    else recordsBy.set(r.participantId, [r]);
  }
  const entryWeek = (p: Participant, records: readonly DiaryWeekData[]): number => {
    if (input.initialRandomizationId === undefined || !p.assignment || p.assignment.randomizationId === input.initialRandomizationId) return 0;
    return Math.min(weekOf(p.assignment.at), ...records.map((r) => r.studyWeek));
  };
  const units: Unit[] = assignedPeople.map((p) => ({
    participant: p,
    weeks: recordsBy.get(p.participantId) ?? [],
    control: p.armId === control?.armId,
    armId: p.armId as string,
    entryWeek: entryWeek(p, recordsBy.get(p.participantId) ?? []),
  }));
  const used = new Set(assignedPeople.map((p) => p.participantId));
  const stray = input.weeks.filter((r) => !used.has(r.participantId)).length;
  if (stray > 0) notes.push(`${stray} diary week(s) of people not randomized into this study are left out.`);
  return { people, units };
}
