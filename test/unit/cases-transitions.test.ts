import { describe, expect, it } from 'vitest';
import { CASE_STATES, type CaseAction, type CaseActor, type CaseRole, type CaseState, caseFromComplaint, type ComplaintCase } from '../../functions/core/cases/model.js';
import { actOnCase } from '../../functions/core/cases/service.js';
import { applyCaseAction, type TransitionContext } from '../../functions/core/cases/transitions.js';
import { StaleCaseError } from '../../functions/core/ports/cases.js';
import type { Complaint } from '../../functions/core/model.js';
import { memoryCaseStore } from '../support/case-store.js';

const complaint: Complaint = {
  studyId: 's1', participantId: 'p1', phone: '+254700000001', ref: 'AB12CD', provider: 'mpesa', category: 'fees',
  text: 'agent took 200 extra', week: '2026-W10', at: '2026-03-02T09:00:00.000Z', channel: 'sms', sessionId: 'sms-1',
};
const fresh = () => caseFromComplaint(complaint) as ComplaintCase;
const ngo: CaseActor = { id: 'u-ngo', label: 'amina@ngo.org', role: 'ngo' };
const admin: CaseActor = { id: 'u-admin', label: 'admin', role: 'admin' };
const researcher: CaseActor = { id: 'u-res', label: 'res', role: 'researcher' };
const desk: CaseActor = { id: 'u-desk', label: 'M-Pesa desk', role: 'provider', providerId: 'mpesa' };
const otherDesk: CaseActor = { id: 'u-kcb', label: 'KCB desk', role: 'provider', providerId: 'kcb' };
const participant: CaseActor = { id: 'p1', label: 'participant', role: 'participant' };
const system: CaseActor = { id: 'auto-close', label: 'scheduler', role: 'system' };
const ACTORS: Record<CaseRole, CaseActor> = { ngo, admin, researcher, provider: desk, participant, system };

let minute = 0;
const ctx = (extra: Partial<TransitionContext> = {}): TransitionContext => ({
  now: new Date(Date.parse('2026-03-02T10:00:00.000Z') + (minute += 1) * 60_000), providers: ['mpesa', 'kcb'], categories: ['fees', 'fraud', 'other'], ...extra,
});

function step(c: ComplaintCase, action: CaseAction, actor: CaseActor, extra?: Partial<TransitionContext>): ComplaintCase {
  const r = applyCaseAction(c, action, actor, ctx(extra));
  if (!r.ok) throw new Error(r.reason);
  return r.case;
}

/** A case brought to `state` by the ordinary path (referred to mpesa on the way where it applies). */
function inState(state: CaseState): ComplaintCase {
  let c = fresh();
  if (state === 'new') return c;
  c = step(c, { type: 'acknowledge' }, ngo);
  if (state === 'acknowledged') return c;
  c = step(c, { type: 'refer' }, ngo);
  if (state === 'referred') return c;
  c = step(c, { type: 'respond', note: 'refunded' }, desk);
  if (state === 'provider_responded') return c;
  if (state === 'unresolved') return step(c, { type: 'markUnresolved' }, ngo);
  c = step(c, { type: 'resolve' }, ngo);
  if (state === 'resolved') return c;
  return step(c, { type: 'close' }, ngo);
}

describe('a case', () => {
  it('lives its whole life across roles, each step timed, by whom, with a note', () => {
    let c = fresh();
    expect(c.state).toBe('new');
    c = step(c, { type: 'acknowledge', note: 'called back' }, ngo);
    c = step(c, { type: 'triage', provider: 'mpesa', category: 'fraud' }, ngo);
    c = step(c, { type: 'refer', note: 'please refund' }, ngo);
    c = step(c, { type: 'respond', note: 'refund sent' }, desk);
    c = step(c, { type: 'resolve' }, ngo);
    const firstResolution = c.resolvedAt;
    c = step(c, { type: 'answer', solved: false }, participant);
    expect(c.state).toBe('unresolved');
    c = step(c, { type: 'refer', note: 'not received' }, ngo);
    c = step(c, { type: 'respond', note: 'sent again' }, desk);
    c = step(c, { type: 'resolve' }, admin);
    c = step(c, { type: 'answer', solved: true }, participant);
    expect(c.state).toBe('closed');
    expect(c.solved).toBe(true);
    expect(c.resolvedAt).toBe(firstResolution);
    expect(c.category).toBe('fraud');
    expect(c.history.map((s) => `${s.from}>${s.to}:${s.actor.role}`)).toEqual([
      'new>acknowledged:ngo', 'acknowledged>acknowledged:ngo', 'acknowledged>referred:ngo', 'referred>provider_responded:provider',
      'provider_responded>resolved:ngo', 'resolved>unresolved:participant', 'unresolved>referred:ngo', 'referred>provider_responded:provider',
      'provider_responded>resolved:admin', 'resolved>closed:participant',
    ]);
    expect(c.history[0]).toMatchObject({ actor: { id: 'u-ngo', label: 'amina@ngo.org' }, note: 'called back' });
    const times = c.history.map((s) => Date.parse(s.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(c.version).toBe(c.history.length);
  });

  // Written out independently of the rules table: which role may take which action from which state.
  const ALLOWED: Record<CaseAction['type'], { from: CaseState[]; roles: CaseRole[] }> = {
    acknowledge: { from: ['new'], roles: ['ngo', 'admin'] },
    triage: { from: ['new', 'acknowledged', 'unresolved'], roles: ['ngo', 'admin'] },
    refer: { from: ['acknowledged', 'unresolved'], roles: ['ngo', 'admin'] },
    respond: { from: ['referred'], roles: ['provider'] },
    resolve: { from: ['acknowledged', 'provider_responded', 'unresolved'], roles: ['ngo', 'admin'] },
    markUnresolved: { from: ['provider_responded'], roles: ['ngo', 'admin'] },
    answer: { from: ['resolved'], roles: ['participant'] },
    close: { from: ['resolved', 'unresolved'], roles: ['ngo', 'admin', 'system'] },
    merge: { from: ['new', 'acknowledged', 'referred', 'provider_responded', 'resolved', 'unresolved'], roles: ['ngo', 'admin'] },
  };
  const actions: CaseAction[] = [
    { type: 'acknowledge' }, { type: 'triage', category: 'fraud' }, { type: 'refer' }, { type: 'respond', note: 'done' }, { type: 'resolve' },
    { type: 'markUnresolved' }, { type: 'answer', solved: false }, { type: 'close' }, { type: 'merge', into: 'ZZ99ZZ' },
  ];
  const target = { ...fresh(), ref: 'ZZ99ZZ' };

  for (const action of actions) {
    for (const state of CASE_STATES) {
      for (const role of Object.keys(ACTORS) as CaseRole[]) {
        const rule = ALLOWED[action.type];
        let allowed = rule.from.includes(state) && rule.roles.includes(role);
        if (role === 'system' && state !== 'resolved') allowed = false;
        // A desk sees its case only once referred to it: before, it is "not found".
        const hidden = role === 'provider' && ['new', 'acknowledged'].includes(state);
        it(`${action.type} from ${state} by ${role}: ${allowed ? 'allowed' : hidden ? 'not found' : 'refused'}`, () => {
          const r = applyCaseAction(inState(state), action, ACTORS[role], ctx({ mergeTarget: target }));
          expect(r.ok).toBe(allowed);
          if (r.ok) {
            expect(r.case.history.at(-1)).toMatchObject({ action: action.type, from: state, actor: { role } });
          } else {
            expect(r.reason).toMatch(/^[A-Z"].+\.$/);
            expect(r.notFound === true).toBe(hidden);
          }
        });
      }
    }
  }

  it('a researcher is told who may act, in a sentence', () => {
    const r = applyCaseAction(inState('new'), { type: 'acknowledge' }, researcher, ctx());
    expect(r).toEqual({ ok: false, reason: 'Only NGO staff or an admin may acknowledge a case; you act as a researcher.' });
  });

  it('a state refusal names the state and the states that allow it', () => {
    const r = applyCaseAction(inState('new'), { type: 'refer' }, ngo, ctx());
    expect(r).toEqual({ ok: false, reason: 'Case AB12CD is new: you can refer a case only when it is acknowledged, unresolved.' });
  });

  it("another provider's desk gets not found, and so does another participant", () => {
    for (const actor of [otherDesk, { ...participant, id: 'p2' }]) {
      const state = actor.role === 'provider' ? 'referred' : 'resolved';
      const r = applyCaseAction(inState(state), actor.role === 'provider' ? { type: 'respond', note: 'x' } : { type: 'answer', solved: true }, actor, ctx());
      expect(r).toEqual({ ok: false, reason: 'No case AB12CD.', notFound: true });
    }
  });

  it('a case is referred only to a provider of the study; triage confirms it first', () => {
    const sms = step(caseFromComplaint({ ...complaint, provider: 'unknown' }) as ComplaintCase, { type: 'acknowledge' }, ngo);
    const refused = applyCaseAction(sms, { type: 'refer' }, ngo, ctx());
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toContain('confirm the provider in triage first');
    expect(applyCaseAction(sms, { type: 'triage', provider: 'nope' }, ngo, ctx()).ok).toBe(false);
    expect(applyCaseAction(sms, { type: 'triage' }, ngo, ctx()).ok).toBe(false);
    const referred = step(step(sms, { type: 'triage', provider: 'kcb' }, ngo), { type: 'refer' }, ngo);
    expect(referred.provider).toBe('kcb');
  });

  it('moving a referred case to another provider takes it off the first desk', () => {
    const back = step(inState('unresolved'), { type: 'triage', provider: 'kcb' }, ngo);
    expect(back.referredAt).toBeUndefined();
    expect(applyCaseAction(back, { type: 'respond', note: 'x' }, desk, ctx()).ok).toBe(false);
  });

  it("merges only the same participant's repeat into an open case", () => {
    const open = { ...fresh(), ref: 'QQ11QQ' };
    const merged = step(fresh(), { type: 'merge', into: 'QQ11QQ' }, ngo, { mergeTarget: open });
    expect(merged).toMatchObject({ state: 'closed', mergedInto: 'QQ11QQ' });
    expect(applyCaseAction(fresh(), { type: 'merge', into: 'QQ11QQ' }, ngo, ctx({ mergeTarget: { ...open, participantId: 'p2' } })).ok).toBe(false);
    expect(applyCaseAction(fresh(), { type: 'merge', into: 'QQ11QQ' }, ngo, ctx({ mergeTarget: { ...open, state: 'closed' } })).ok).toBe(false);
    expect(applyCaseAction(fresh(), { type: 'merge', into: 'AB12CD' }, ngo, ctx({ mergeTarget: fresh() })).ok).toBe(false);
    expect(applyCaseAction(fresh(), { type: 'merge', into: 'QQ11QQ' }, ngo, ctx()).ok).toBe(false);
  });

  it('kudos open no case', () => {
    expect(caseFromComplaint({ ...complaint, kind: 'kudos' })).toBeUndefined();
    expect(caseFromComplaint({ ...complaint, shareNumber: true })?.shareNumber).toBe(true);
  });

  it('refuses an over-long note and a response without words', () => {
    expect(applyCaseAction(inState('new'), { type: 'acknowledge', note: 'x'.repeat(1001) }, ngo, ctx()).ok).toBe(false);
    expect(applyCaseAction(inState('referred'), { type: 'respond', note: '  ' }, desk, ctx()).ok).toBe(false);
  });
});

describe('actOnCase on a store', () => {
  it('writes forward only: a concurrent step is re-read and decided again', async () => {
    const store = memoryCaseStore();
    await store.createCase(fresh());
    expect(await store.createCase(fresh())).toBe('exists');
    const base = { providers: ['mpesa'], categories: ['fees'] };
    // Two staff acknowledge at once: the first wins, the second is told the case moved on.
    const stale = await store.getCase('s1', 'AB12CD');
    const first = await actOnCase(store, { studyId: 's1', ref: 'AB12CD', action: { type: 'acknowledge' }, actor: ngo }, { ...base, now: new Date('2026-03-02T10:00:00Z') });
    expect(first.ok).toBe(true);
    const r = applyCaseAction(stale as ComplaintCase, { type: 'acknowledge' }, admin, { ...base, now: new Date('2026-03-02T10:01:00Z') });
    await expect(r.ok && store.saveCase(r.case, r.step)).rejects.toBeInstanceOf(StaleCaseError);
    const second = await actOnCase(store, { studyId: 's1', ref: 'AB12CD', action: { type: 'acknowledge' }, actor: admin }, { ...base, now: new Date('2026-03-02T10:01:00Z') });
    expect(second.ok).toBe(false);
    expect((await store.getCase('s1', 'AB12CD'))?.history).toHaveLength(1);
    expect(await actOnCase(store, { studyId: 's1', ref: 'NOPE00', action: { type: 'acknowledge' }, actor: ngo }, { ...base, now: new Date('2026-03-02T10:02:00Z') })).toMatchObject({ ok: false, notFound: true });
  });
});
