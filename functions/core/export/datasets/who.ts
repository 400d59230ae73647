import type { Questionnaire } from '../../content/schema.js';
import type { Participant } from '../../model.js';
import { participantPseudonym } from '../pseudonym.js';
import type { Row, Variable } from '../variables.js';
import type { ExportContext } from './context.js';

// The columns every participant-level row starts with.

export function whoVariables(ctx: ExportContext, withArm = true): Variable[] {
  return [
    { name: 'pid', type: 'string', label: 'Pseudonymous participant id', description: 'stable within this study, unrelated across studies (see pseudonym in the codebook)' },
    ...(ctx.includePhone ? [{ name: 'phone', type: 'string' as const, label: 'Phone number (E.164)', description: 'present only in an export an admin asked for with includePhone' }] : []),
    ...(withArm
      ? [
          { name: 'arm', type: 'category' as const, label: 'Arm the participant is assigned to (empty: not randomized)', values: ctx.study.arms.map((a) => ({ code: a.armId, labels: { en: `${a.name}${a.treatment ? ' (treatment)' : ' (control)'}` } })) },
          // The design variables, so an analysis of the file can block and cluster as the randomization did.
          { name: 'stratum', type: 'string' as const, label: 'Stratum (block) of the randomization' },
          { name: 'cluster', type: 'string' as const, label: 'Cluster (e.g. factory) of the randomization' },
        ]
      : []),
  ];
}

/** The who-cells of a participant; the pseudonym is computed once per participant. */
export function whoCells(ctx: ExportContext, p: Pick<Participant, 'phone' | 'armId' | 'stratum' | 'cluster' | 'forgotten'>, withArm = true): Row {
  return {
    pid: participantPseudonym(p, ctx.key),
    ...(ctx.includePhone ? { phone: p.phone } : {}),
    ...(withArm ? { arm: p.armId, stratum: p.stratum, cluster: p.cluster } : {}),
  };
}

/** The week columns of a participant × week row. */
export const weekVariables: Variable[] = [
  { name: 'week', type: 'string', label: 'ISO week in the study time zone (e.g. 2026-W48)' },
  { name: 'study_week', type: 'integer', label: 'Weeks since the study started (0 = first week)' },
];

/** The diary questionnaire the diary datasets are laid out by. */
export function diaryForm(ctx: ExportContext): Questionnaire {
  if (!ctx.content.diary) throw new Error('The content has no diary questionnaire');
  return ctx.content.diary;
}
