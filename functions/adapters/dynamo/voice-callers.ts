import type { Clock } from '../../core/ports/index.js';
import type { Participant, Study } from '../../core/model.js';
import type { CallerDirectory } from '../../core/voice/ports.js';
import type { DynamoParticipantStore } from './participant-store.js';
import type { DynamoStudyStore } from './study-store.js';

/**
 * Finds who is calling: AT's voice callback names the caller's number but no study, so the
 * number is looked up in every study (a handful per deployment: one BatchGetItem), preferring a
 * consented participant. Studies are cached a minute, as on the USSD path.
 */
export class DynamoCallerDirectory implements CallerDirectory {
  private cached: { at: number; studies: Study[] } | undefined;

  constructor(
    private readonly studies: Pick<DynamoStudyStore, 'studyIds' | 'getStudy'>,
    private readonly participants: Pick<DynamoParticipantStore, 'getMany'>,
    private readonly clock: Clock,
    private readonly ttlMs = 60_000,
  ) {}

  private async allStudies(): Promise<Study[]> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.studies;
    const ids = await this.studies.studyIds();
    const studies = (await Promise.all(ids.map((id) => this.studies.getStudy(id)))).filter((s): s is Study => s !== undefined);
    this.cached = { at: now, studies };
    return studies;
  }

  async findCaller(phone: string): Promise<{ study: Study; participant: Participant } | undefined> {
    const studies = await this.allStudies();
    const found = await this.participants.getMany(studies.map((s) => ({ studyId: s.studyId, phone })));
    const best = found.find((p) => p.consent.state === 'consented') ?? found[0];
    const study = best && studies.find((s) => s.studyId === best.studyId);
    return best && study ? { study, participant: best } : undefined;
  }

  async studyById(studyId: string): Promise<Study | undefined> {
    return (await this.allStudies()).find((s) => s.studyId === studyId) ?? this.studies.getStudy(studyId);
  }
}
