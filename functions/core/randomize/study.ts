import type { Participant, Study } from '../model.js';
import type { RandomizationStore, StoredRandomization } from '../ports/randomization.js';
import { assign, auditOf, type RandomizationMethod } from './assign.js';
import { RandomizationError } from './rng.js';
import { nextAssignment } from './rolling.js';
import { researchParticipants } from '../training.js';

/**
 * Randomizing a study's participants: only consented people without an arm, each assignment
 * written once (invariant 5) and audited. The run's id comes from its inputs and seed, so a
 * run that stopped half-way (a crash, a timeout) is finished by running it again with the
 * same seed: the same people get the same arms, and nobody already assigned is moved.
 * Late joiners, after the study's randomization, get permuted blocks within their stratum.
 */
export type { StoredRandomization };

export interface RandomizeRequest {
  method: RandomizationMethod;
  seed: number;
  /** Who ran it: a label (the email), and the immutable id of record. */
  by: string;
  byId?: string;
  now: Date;
}

export interface RandomizeOutcome {
  run: StoredRandomization;
  assigned: number;
  /** Already had an arm from an earlier run (left as it was). */
  kept: number;
}

const eligible = (people: Participant[]) => people.filter((p) => p.consent.state === 'consented' && !p.armId);

export async function randomizeStudy(study: Study, req: RandomizeRequest, ports: RandomizationStore): Promise<RandomizeOutcome> {
  const runs = await ports.runs(study.studyId);
  if (runs.some((r) => r.kind === 'initial' && r.status === 'complete')) {
    throw new RandomizationError('This study is already randomized; people who consent later are assigned by rolling enrolment (randomize --rolling).');
  }
  const people = researchParticipants(await ports.participants(study.studyId));
  const running = runs.find((r) => r.kind === 'initial' && r.status === 'running' && r.seed === req.seed && r.method === req.method);
  // A resumed run covers the people it assigned before it stopped, plus those still without an arm.
  const units = people.filter((p) => p.consent.state === 'consented' && (!p.armId || (running && p.assignment?.randomizationId === running.randomizationId)));
  if (units.length === 0) throw new RandomizationError('Nobody to randomize: no consented participant is without an arm.');
  const design = { method: req.method, arms: study.arms.map((a) => ({ armId: a.armId, ratio: a.ratio })) };
  const result = assign(units.map((p) => ({ id: p.participantId, ...(p.stratum ? { block: p.stratum } : {}), ...(p.cluster ? { cluster: p.cluster } : {}) })), design, req.seed);
  const randomizationId = `ra-${result.inputsHash.slice(0, 12)}-${req.seed}`;
  const at = req.now.toISOString();
  let run: StoredRandomization = running?.randomizationId === randomizationId
    ? running
    : { ...auditOf(result, req.by, at), ...actorId(req), randomizationId, studyId: study.studyId, kind: 'initial', status: 'running', version: 1 };
  if (run !== running && !(await ports.createRun(run))) {
    throw new RandomizationError('A randomization with these inputs and seed is already recorded; run it again to finish it.');
  }
  let assigned = 0;
  let kept = 0;
  const byId = new Map(units.map((p) => [p.participantId, p]));
  for (const [id, armId] of result.assignments) {
    if (await ports.assignArm(byId.get(id) as Participant, armId, randomizationId, at)) assigned += 1;
    else kept += 1;
  }
  const done: StoredRandomization = { ...run, status: 'complete', version: run.version + 1 };
  if (!(await ports.saveRun(done, run.version))) throw new RandomizationError('The randomization record changed meanwhile; run it again.');
  run = done;
  return { run, assigned, kept };
}

/**
 * Late joiners: consented people without an arm after the study's randomization, one by one
 * in enrolment order, by permuted blocks within their stratum. The block state is saved after
 * each person, so a run that stops half-way continues where it stopped.
 */
/** Nobody waited for an arm and no rolling run existed: nothing was written. */
export interface NothingToAssign {
  run?: undefined;
  assigned: 0;
  kept: 0;
  message: string;
}

export async function assignLateJoiners(study: Study, req: Omit<RandomizeRequest, 'method'>, ports: RandomizationStore): Promise<RandomizeOutcome | NothingToAssign> {
  const runs = await ports.runs(study.studyId);
  if (!runs.some((r) => r.kind === 'initial' && r.status === 'complete')) throw new RandomizationError('Randomize the study first; rolling enrolment is for people who consent later.');
  const arms = study.arms.map((a) => ({ armId: a.armId, ratio: a.ratio }));
  if (arms.some((a) => !Number.isInteger(a.ratio))) throw new RandomizationError('Rolling enrolment needs whole-number arm ratios (e.g. 1:1 or 1:2).');
  let run = runs.find((r) => r.kind === 'rolling');
  if (run && run.seed !== req.seed) throw new RandomizationError(`Rolling enrolment of this study uses seed ${run.seed}; use it again.`);
  const late = eligible(researchParticipants(await ports.participants(study.studyId))).sort((a, b) => (a.createdAt + a.participantId).localeCompare(b.createdAt + b.participantId));
  // An audit record of a run that assigned nobody (no algorithm, no inputs) would only mislead.
  if (late.length === 0 && !run) return { assigned: 0, kept: 0, message: 'No consented participant is waiting for an arm: nobody was assigned and no run was recorded.' };
  if (!run) {
    run = {
      algorithm: '', seed: req.seed, method: 'block', inputsHash: '', counts: arms.map((a) => ({ armId: a.armId, n: 0 })), byBlock: [], by: req.by, ...actorId(req), at: req.now.toISOString(),
      randomizationId: `ra-rolling-${req.seed}`, studyId: study.studyId, kind: 'rolling', status: 'running', version: 1,
    };
    if (!(await ports.createRun(run))) throw new RandomizationError('Rolling enrolment was started meanwhile; run it again.');
  }
  let assigned = 0;
  for (const p of late) {
    const next = nextAssignment(run.rolling, p.stratum ?? '', arms, req.seed);
    const counts = run.counts.map((c) => (c.armId === next.armId ? { ...c, n: c.n + 1 } : c));
    const saved: StoredRandomization = { ...run, algorithm: next.algorithm, rolling: next.state, counts, version: run.version + 1, at: req.now.toISOString(), by: req.by, ...actorId(req) };
    // The block position is taken before the arm is written: a crash between the two leaves a
    // gap in a block (balance off by one), never two people in one slot.
    if (!(await ports.saveRun(saved, run.version))) throw new RandomizationError('Someone else is assigning late joiners right now; try again in a minute.');
    run = saved;
    if (await ports.assignArm(p, next.armId, run.randomizationId, req.now.toISOString())) assigned += 1;
  }
  return { run, assigned, kept: 0 };
}

const actorId = (req: Pick<RandomizeRequest, 'byId'>): { byId?: string } => (req.byId ? { byId: req.byId } : {});
