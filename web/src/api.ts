/**
 * The console's only door to data: /api/v1 with the signed-in bearer token. Types follow the
 * API's JSON (functions/api); the console never sees more than the role's routes answer.
 */
import type { Role } from './roles.js';
import { session } from './session.js';

export type { Role };

export interface Me {
  name: string;
  roles: Role[];
}

export interface Study {
  studyId: string;
  name: string;
  timeZone: string;
  languages: string[];
  serviceCode: string;
  smsShortCode?: string;
  arms: { armId: string; name: string; treatment: boolean }[];
  smsCost?: { perSegment: number; currency: string };
}

export interface Overview {
  studyId: string;
  name: string;
  timeZone: string;
  languages: string[];
  arms: { armId: string; name: string; treatment: boolean; participants: number }[];
  enrolment: { enrolled: number; consented: number; declined: number; optedOut: number; pending: number };
  weeks: { week: string; start: string; byArm: { armId: string; expected: number; answered: number; rate: number }[] }[];
  delivery: { queued: number; sent: number; delivered: number; failed: number; failures: { reason: string; count: number }[] };
  complaints: { week: string; provider: string; count: number }[];
  modules: { moduleId: string; title: string; byArm: { armId: string; sent: number; started: number; completed: number; completionRate: number }[] }[];
}

export interface ParticipantRow {
  participantId: string;
  arm?: string;
  language: string;
  channel: string;
  consent: string;
  cluster?: string;
  stratum?: string;
  enrolledAt?: string;
}

export interface TimelineEvent {
  at: string;
  kind: 'diary' | 'lesson' | 'message' | 'complaint' | 'consent';
  title: string;
  detail?: string;
  status?: string;
}

export interface Campaign {
  campaignId: string;
  name: string;
  modules: string[];
  targetArms: string[];
  startsOn: string;
  everyWeeks: number;
  day: number;
  hour: number;
  channel: 'sms' | 'ussd' | 'both';
  status: 'scheduled' | 'paused' | 'cancelled';
  createdBy?: string;
}

export type CampaignInput = Omit<Campaign, 'campaignId' | 'status' | 'createdBy'>;

export interface CampaignPreview {
  timeZone: string;
  currency: string;
  costPerSegment: number;
  costConfigured: boolean;
  audience: { counted: { armId: string; lang: string; count: number }[]; ignored: { armId: string; lang: string; count: number; reason: string }[] };
  weeks: {
    index: number;
    localTime: string;
    week: string;
    moduleId: string;
    title: string;
    past: boolean;
    recipients: number;
    messages: { lang: string; kind: string; recipients: number; chars: number; encoding: string; segments: number; segmentsTotal: number }[];
    segments: number;
    cost: number;
  }[];
  totals: { recipients: number; messages: number; segments: number; cost: number };
}

export interface ContentScreen {
  id: string;
  kind: 'ussd' | 'sms';
  group: string;
  lang: string;
  text: string;
  chars: number;
  segments: number;
  encoding: 'GSM-7' | 'UCS-2';
  warnings: string[];
}

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
