/**
 * The console's only door to data: /api/v1 with the signed-in bearer token. Types follow the
 * API's JSON (functions/api); the console never sees more than the role's routes answer.
 */
import type { Campaign as CoreCampaign } from '../../functions/core/campaign/model.js';
import type { CampaignPreview } from '../../functions/core/campaign/preview.js';
import type { PreviewScreen as ContentScreen } from '../../functions/core/console/content-preview.js';
import type { ParticipantRow } from '../../functions/core/console/model.js';
import type { TimelineEvent } from '../../functions/core/console/timeline.js';
import type { Study as CoreStudy } from '../../functions/core/model.js';
import type { StudyOverview as Overview } from '../../functions/core/console/overview.js';
import type { Role } from './roles.js';
import { session } from './session.js';

// The API's JSON shapes are the core's own types (type-only: nothing of the core is bundled).
export type { CampaignPreview, ContentScreen, Overview, ParticipantRow, Role, TimelineEvent };

export interface Me {
  name: string;
  roles: Role[];
}

/** What the console shows of a study. */
export type Study = Pick<CoreStudy, 'studyId' | 'name' | 'timeZone' | 'languages' | 'serviceCode' | 'smsShortCode' | 'arms' | 'smsCost'>;

/** What the console reads and writes of a campaign. */
export type Campaign = Pick<CoreCampaign, 'campaignId' | 'name' | 'modules' | 'targetArms' | 'startsOn' | 'everyWeeks' | 'day' | 'hour' | 'channel' | 'status' | 'createdBy'>;

export type CampaignInput = Omit<Campaign, 'campaignId' | 'status' | 'createdBy'>;

/** A refusal of the API, with its message and the fields at fault. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** `token` checks a token before it is kept (sign-in); otherwise the session's is sent. */
export async function api<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown; token?: string } = {}): Promise<T> {
  const token = init.token ?? session.token();
  const res = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const body = (data ?? {}) as { error?: string; problems?: { field: string; message: string }[] };
    if (res.status === 401 && init.token === undefined) session.signOut();
    throw new ApiFailure(res.status, body.error ?? `The server answered ${res.status}.`, body.problems ?? []);
  }
  return data as T;
}

/** Study paths, with the id escaped. */
export const studyPath = (studyId: string, rest = '') => `/studies/${encodeURIComponent(studyId)}${rest}`;
