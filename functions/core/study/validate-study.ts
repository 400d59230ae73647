import { TZDate } from '@date-fns/tz';
import type { Content } from '../content/schema.js';
import { type OutcomeDefinition, outcomeProblems } from '../impact/outcomes.js';
import type { Study } from '../model.js';
import { countryProblem } from '../phone.js';
import { policyProblems, studySchedule } from '../schedule/policy.js';
import { messagingProblems, providerOf } from '../sms/providers.js';

/** A problem with one field of a request, as the API reports it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * What is wrong with a new study, field by field (empty: it may be created): languages with
 * content, a real country and time zone, a control arm, distinct arms, a schedule the policy
 * allows, computable outcomes, and a provider that serves the country.
 */
export function studyProblems(study: Omit<Study, 'createdAt'>, content: Content): FieldProblem[] {
  const country = countryProblem(study.country);
  return [
    ...study.languages.filter((l) => !content.languages.includes(l)).map((l) => ({ field: 'languages', message: `"${l}" has no content; available: ${content.languages.join(', ')}.` })),
    ...[country].filter((m) => m !== undefined).map((message) => ({ field: 'country', message })),
    ...(validZone(study.timeZone) ? [] : [{ field: 'timeZone', message: `"${study.timeZone}" is not an IANA time zone (e.g. Africa/Nairobi).` }]),
    ...(study.arms.some((a) => !a.treatment) ? [] : [{ field: 'arms', message: 'A study needs a control arm (treatment: false) to estimate impact.' }]),
    ...(new Set(study.arms.map((a) => a.armId)).size === study.arms.length ? [] : [{ field: 'arms', message: 'Two arms have the same armId.' }]),
    ...policyProblems(studySchedule({ schedule: study.schedule })).map((message) => ({ field: 'schedule', message })),
    ...outcomesProblems(study.outcomes ?? [], content),
    // Which providers serve a country is only worth saying of a real country.
    ...(country ? [] : messagingProblems(study.country, study.messaging ?? { provider: providerOf(study) })).map((message) => ({ field: 'messaging', message })),
  ];
}

/** Each outcome must be computable and name questions the diary has. */
export function outcomesProblems(outcomes: readonly OutcomeDefinition[], content: Content): FieldProblem[] {
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
