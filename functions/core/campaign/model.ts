/**
 * An education campaign (NGO): a sequence of modules' lessons for treatment arms, one lesson
 * per cadence period from a start date, at a local day and hour, by SMS. Campaigns are data,
 * so staff schedule them without a redeploy; the dispatcher reads them every tick.
 */
export type CampaignChannel =
  /** The lesson's own SMS text is pushed. */
  | 'sms'
  /** A short SMS invites the participant to the lesson on the USSD menu. */
  | 'ussd'
  /** Both: the lesson text, and the invitation. */
  | 'both';

export type CampaignStatus = 'scheduled' | 'paused' | 'cancelled';

export interface Campaign {
  campaignId: string;
  studyId: string;
  name: string;
  /** Module ids, in order; their lessons are sent one per period, in content order. */
  modules: string[];
  /** Arm ids. Only treatment arms may be targeted (invariant 2). */
  targetArms: string[];
  /** First local day of the campaign (YYYY-MM-DD, study time zone). */
  startsOn: string;
  /** One lesson every N weeks (1: weekly). */
  everyWeeks: number;
  /** ISO weekday (1 = Monday) and local hour of delivery; moved out of quiet hours. */
  day: number;
  hour: number;
  channel: CampaignChannel;
  status: CampaignStatus;
  /** When the campaign was paused (ISO instant), while paused. */
  pausedAt?: string;
  /** Periods the remaining lessons moved later by, after pauses: a pause never skips a lesson. */
  shiftPeriods: number;
  createdBy?: string;
  createdAt: string;
  updatedAt: string;
}
