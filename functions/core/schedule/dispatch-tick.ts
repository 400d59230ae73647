import type { Content } from '../content/schema.js';
import type { Study } from '../model.js';
import type { CampaignStore } from '../ports/campaigns.js';
import type { StudyReader } from '../ports/studies.js';
import { applyRetention, type RetentionDeps, type RetentionResult } from '../privacy/apply-retention.js';
import { type CallPorts, type CallResult, placeCalls } from '../voice/outbound.js';
import { type DispatchPorts, type DispatchResult, dispatchStudy } from './dispatch.js';

export interface DispatchTickDeps {
  studies: Pick<StudyReader, 'studyIds' | 'getStudy'>;
  campaigns: Pick<CampaignStore, 'list'>;
  dispatch: DispatchPorts;
  retention: RetentionDeps;
  /** Voice participants' calls; absent (no voice provider configured): no call is placed. */
  calls?: CallPorts;
}

export interface DispatchTickResult {
  studies: Record<string, (DispatchResult & { calls?: CallResult }) | { error: string }>;
  retention?: RetentionResult;
}

/**
 * One dispatcher tick over every study (the scheduled Lambda, the local timer and "run now"
 * all call this). Studies go one after another: a failing study is reported and the others
 * still get their messages. Voice participants' calls follow their study's SMS; data retention
 * rides on the tick.
 */
export async function dispatchTick(deps: DispatchTickDeps, content: Content, now: Date): Promise<DispatchTickResult> {
  const out: DispatchTickResult['studies'] = {};
  const seen: Study[] = [];
  for (const id of await deps.studies.studyIds()) {
    try {
      const study = await deps.studies.getStudy(id);
      if (!study) continue;
      seen.push(study);
      const sent = await dispatchStudy({ study, content, now, campaigns: await deps.campaigns.list(id) }, deps.dispatch);
      out[id] = deps.calls && study.voice ? { ...sent, calls: await placeCalls(study, now, deps.calls) } : sent;
    } catch (err) {
      out[id] = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  // Nothing when no study sets a retention, one run a day otherwise.
  const retention = await applyRetention(deps.retention, seen, now);
  return { studies: out, ...(retention.ran ? { retention } : {}) };
}
