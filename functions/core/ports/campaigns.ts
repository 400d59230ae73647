import type { Campaign } from '../campaign/model.js';

/** Campaigns of a study: created once, then changed only if unchanged since read (no lost update). */
export interface CampaignStore {
  /** false when a campaign with this id exists. */
  create(c: Campaign): Promise<boolean>;
  /** false when someone changed it since `previousUpdatedAt`. */
  save(c: Campaign, previousUpdatedAt: string): Promise<boolean>;
  get(studyId: string, campaignId: string): Promise<Campaign | undefined>;
  /** All campaigns of the study, oldest first. */
  list(studyId: string): Promise<Campaign[]>;
}
