/**
 * The case state machine and who may move it. One table says, per action, the states it
 * starts from and the roles that may take it; `applyCaseAction` refuses anything else with a
 * sentence staff can act on. A provider's desk, or a participant, acting on a case that is not
 * theirs is told "not found", so nobody learns that someone else's case exists.
 */
import type { CaseAction, CaseActor, CaseRole, CaseState, CaseStep, ComplaintCase } from './model.js';

export interface TransitionContext {
  now: Date;
  /** The study's provider ids: a case is referred only to one of them. */
  providers: readonly string[];
  /** The complaint categories (content/complaints.json). */
  categories: readonly string[];
  /** For `merge`: the case this one repeats, as stored. */
  mergeTarget?: ComplaintCase;
}

export type TransitionResult =
  | { ok: true; case: ComplaintCase; step: CaseStep }
  /** `notFound`: answer as for an unknown reference (404, or the SMS "not found"). */
  | { ok: false; reason: string; notFound?: boolean };

interface Rule {
  from: readonly CaseState[];
  roles: readonly CaseRole[];
  /** Says what the action does, for the refusals: "refer", "record a response to". */
  verb: string;
}

const STAFF: readonly CaseRole[] = ['ngo', 'admin'];
const OPEN: readonly CaseState[] = ['new', 'acknowledged', 'referred', 'provider_responded', 'resolved', 'unresolved'];

export const CASE_RULES: Readonly<Record<CaseAction['type'], Rule>> = {
  acknowledge: { from: ['new'], roles: STAFF, verb: 'acknowledge' },
  triage: { from: ['new', 'acknowledged', 'unresolved'], roles: STAFF, verb: 'triage' },
  refer: { from: ['acknowledged', 'unresolved'], roles: STAFF, verb: 'refer' },
  respond: { from: ['referred'], roles: ['provider'], verb: 'record a response to' },
  resolve: { from: ['acknowledged', 'provider_responded', 'unresolved'], roles: STAFF, verb: 'resolve' },
  markUnresolved: { from: ['provider_responded'], roles: STAFF, verb: 'mark unresolved' },
  answer: { from: ['resolved'], roles: ['participant'], verb: 'answer for' },
  close: { from: ['resolved', 'unresolved'], roles: [...STAFF, 'system'], verb: 'close' },
  merge: { from: OPEN, roles: STAFF, verb: 'merge' },
};

const STATE_WORDS: Record<CaseState, string> = {
  new: 'new',
  acknowledged: 'acknowledged',
  referred: 'with the provider',
  provider_responded: 'answered by the provider',
  resolved: 'resolved',
  unresolved: 'unresolved',
  closed: 'closed',
};
const ROLE_WORDS: Record<CaseRole, string> = {
  ngo: 'NGO staff', admin: 'an admin', researcher: 'a researcher', provider: "a provider's desk", participant: 'the participant', system: 'the scheduler',
};

const MAX_NOTE = 1000;

/** Whether a provider's desk may see this case at all: its own, once referred to it. */
export function providerMaySee(c: ComplaintCase, actor: Pick<CaseActor, 'role' | 'providerId'>): boolean {
  return actor.role === 'provider' && actor.providerId !== undefined && actor.providerId === c.provider && c.referredAt !== undefined;
}

function refuse(reason: string, notFound = false): TransitionResult {
  return notFound ? { ok: false, reason, notFound } : { ok: false, reason };
}

function target(c: ComplaintCase, a: CaseAction): CaseState {
  switch (a.type) {
    case 'acknowledge': return 'acknowledged';
    case 'triage': return c.state;
    case 'refer': return 'referred';
    case 'respond': return 'provider_responded';
    case 'resolve': return 'resolved';
    case 'markUnresolved': return 'unresolved';
    case 'answer': return a.solved ? 'closed' : 'unresolved';
    case 'close': case 'merge': return 'closed';
  }
}

/** Checks that are not about state or role: what the action itself needs. */
function actionProblem(c: ComplaintCase, a: CaseAction, ctx: TransitionContext): string | undefined {
  const note = 'note' in a ? a.note : undefined;
  if (note !== undefined && note.length > MAX_NOTE) return `A note is at most ${MAX_NOTE} characters.`;
  switch (a.type) {
    case 'triage':
      if (a.provider === undefined && a.category === undefined) return 'Triage needs a provider or a category to confirm.';
      if (a.provider !== undefined && !ctx.providers.includes(a.provider)) return `"${a.provider}" is not a provider of this study.`;
      if (a.category !== undefined && !ctx.categories.includes(a.category)) return `"${a.category}" is not a complaint category.`;
      return undefined;
    case 'refer':
      return ctx.providers.includes(c.provider) ? undefined : `Case ${c.ref} names no provider of this study ("${c.provider}"): confirm the provider in triage first.`;
    case 'respond':
      return a.note.trim() ? undefined : 'A response needs a few words saying what the provider did.';
    case 'merge': {
      const into = ctx.mergeTarget;
      if (!into || into.ref !== a.into || into.studyId !== c.studyId) return `There is no case ${a.into} in this study.`;
      if (into.ref === c.ref) return 'A case cannot be merged into itself.';
      if (into.participantId !== c.participantId) return `Case ${a.into} is another participant's: only the same person's repeated complaints are merged.`;
      if (into.state === 'closed') return `Case ${a.into} is closed: merge into an open case.`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The case after `action` by `actor` at `ctx.now`, or why not. Pure: the caller stores the
 * result on the version it read (CaseStore.saveCase), so two staff acting at once cannot both win.
 */
export function applyCaseAction(c: ComplaintCase, action: CaseAction, actor: CaseActor, ctx: TransitionContext): TransitionResult {
  const rule = CASE_RULES[action.type];
  // Before anything else: the answer must not depend on whether the case exists for them.
  if (actor.role === 'provider' && !providerMaySee(c, actor)) return refuse(`No case ${c.ref}.`, true);
  if (actor.role === 'participant' && actor.id !== c.participantId) return refuse(`No case ${c.ref}.`, true);
  if (!rule.roles.includes(actor.role)) {
    const who = rule.roles.filter((r) => r !== 'system').map((r) => ROLE_WORDS[r]).join(' or ');
    return refuse(`Only ${who} may ${rule.verb} a case; you act as ${ROLE_WORDS[actor.role]}.`);
  }
  if (actor.role === 'system' && c.state !== 'resolved') return refuse(`The scheduler closes only resolved cases; case ${c.ref} is ${STATE_WORDS[c.state]}.`);
  if (!rule.from.includes(c.state)) {
    const allowed = rule.from.map((s) => STATE_WORDS[s]).join(', ');
    return refuse(`Case ${c.ref} is ${STATE_WORDS[c.state]}: you can ${rule.verb} a case only when it is ${allowed}.`);
  }
  const problem = actionProblem(c, action, ctx);
  if (problem) return refuse(problem);

  const at = ctx.now.toISOString();
  const to = target(c, action);
  const note = 'note' in action && action.note?.trim() ? action.note.trim() : undefined;
  const step: CaseStep = { action: action.type, from: c.state, to, at, actor: { ...actor }, ...(note ? { note } : {}) };
  const next: ComplaintCase = { ...c, state: to, history: [...c.history, step], version: c.version + 1 };
  switch (action.type) {
    case 'acknowledge': next.acknowledgedAt = at; break;
    case 'triage':
      if (action.provider !== undefined) next.provider = action.provider;
      if (action.category !== undefined) next.category = action.category;
      // A case that moves to another provider leaves the first one's desk.
      if (action.provider !== undefined && action.provider !== c.provider) delete next.referredAt;
      break;
    case 'refer': next.referredAt = at; break;
    case 'resolve': next.resolvedAt ??= at; break;
    case 'answer': next.solved = action.solved; if (action.solved) next.closedAt = at; break;
    case 'close': next.closedAt = at; break;
    case 'merge': next.closedAt = at; next.mergedInto = action.into; break;
    default: break;
  }
  return { ok: true, case: next, step };
}
