/**
 * In-memory fakes of the core's ports, for fast unit tests of the use cases without DynamoDB.
 * They keep the conditions the DynamoDB adapters enforce (write once, conditional on a version
 * or `updatedAt`, status only forward, arms write-once), so a use case that relies on one is
 * tested against it; test/integration checks the adapters themselves.
 */
import type { Campaign } from '../../functions/core/campaign/model.js';
import { caseFromComplaint } from '../../functions/core/cases/model.js';
import { memoryCaseStore } from './case-store.js';
import { weekAnswered, type WeekRecord } from '../../functions/core/diary/week-record.js';
import { AlreadyEnrolledError, StaleSessionError } from '../../functions/core/errors.js';
import type { Complaint, Participant, Study } from '../../functions/core/model.js';
import type {
  CampaignStore,
  ComplaintStore,
  DiaryWeekStore,
  ForgetStore,
  HopReader,
  HopRecords,
  MessageRecord,
  MessageStore,
  NewMessage,
  OnceStore,
  ParticipantKey,
  ParticipantStore,
  RandomizationStore,
  RecipientOutcome,
  RetentionStore,
  SendQueue,
  SessionStore,
  SmsBatch,
  SmsGateway,
  StoredRandomization,
  StudyReader,
} from '../../functions/core/ports/index.js';
import type { DeliveryStatus, MessageStatus } from '../../functions/core/sms/delivery.js';
import { statusRank } from '../../functions/core/sms/delivery.js';
import type { OutboundMessage } from '../../functions/core/sms/send.js';
import type { UssdSession } from '../../functions/core/ussd/session.js';

const pkey = (k: ParticipantKey) => `${k.studyId}|${k.phone}`;
const clone = <T>(x: T): T => structuredClone(x);

export class MemoryParticipants implements ParticipantStore {
  readonly byKey = new Map<string, Participant>();

  constructor(people: readonly Participant[] = []) {
    for (const p of people) this.byKey.set(pkey(p), clone(p));
  }

  async addParticipant(p: Participant): Promise<boolean> {
    if (this.byKey.has(pkey(p))) return false;
    this.byKey.set(pkey(p), clone(p));
    return true;
  }
  async getByPhone(studyId: string, phone: string) {
    const p = this.byKey.get(pkey({ studyId, phone }));
    return p && clone(p);
  }
  async getMany(wanted: readonly ParticipantKey[]) {
    return [...new Set(wanted.map(pkey))].flatMap((k) => (this.byKey.has(k) ? [clone(this.byKey.get(k) as Participant)] : []));
  }
  async page(studyId: string, cursor?: string, limit = 100) {
    const all = (await this.listByStudy(studyId));
    const from = cursor ? Number(cursor) : 0;
    const next = from + limit < all.length ? String(from + limit) : undefined;
    return { participants: all.slice(from, from + limit), ...(next ? { cursor: next } : {}) };
  }
  async listByStudy(studyId: string) {
    return [...this.byKey.values()].filter((p) => p.studyId === studyId).sort((a, b) => a.participantId.localeCompare(b.participantId)).map(clone);
  }
  async saveParticipant(p: Participant, previousUpdatedAt: string) {
    if (this.byKey.get(pkey(p))?.updatedAt !== previousUpdatedAt) throw new StaleSessionError(p.participantId);
    this.byKey.set(pkey(p), clone(p));
  }
  async saveConsent(p: Participant) {
    const old = this.byKey.get(pkey(p));
    if (old?.consent.state === 'consented') throw new AlreadyEnrolledError(clone(old));
    this.byKey.set(pkey(p), clone(p));
  }
}

/** The USSD hop's records (sessions, diary weeks, complaints), the participants' writes going to `participants`. */
export class MemoryUssdStore implements HopReader, SessionStore, DiaryWeekStore, ComplaintStore, Pick<ParticipantStore, 'saveParticipant' | 'saveConsent'> {
  readonly sessions = new Map<string, UssdSession>();
  readonly weeks = new Map<string, WeekRecord>();
  readonly complaints = new Map<string, Complaint>();
  /** The cases complaints open, as DynamoUssdStore writes them with the complaint. */
  readonly cases = memoryCaseStore();

  constructor(readonly participants: MemoryParticipants = new MemoryParticipants()) {}

  async loadHop(sessionId: string, studyId: string, phone: string, week: string, now: Date): Promise<HopRecords> {
    const session = this.sessions.get(sessionId);
    const participant = await this.participants.getByPhone(studyId, phone);
    const record = this.weeks.get(`${studyId}|${phone}|${week}`);
    return {
      ...(session && session.expiresAt > Math.floor(now.getTime() / 1000) ? { session: clone(session) } : {}),
      ...(participant ? { participant } : {}),
      ...(record ? { week: clone(record) } : {}),
    };
  }
  async saveSession(s: UssdSession, previousVersion: number | undefined) {
    if (this.sessions.get(s.sessionId)?.version !== previousVersion) throw new StaleSessionError(s.sessionId);
    this.sessions.set(s.sessionId, clone(s));
  }
  async saveWeek(r: WeekRecord, previousVersion: number | undefined) {
    const key = `${r.studyId}|${r.phone}|${r.week}`;
    if (this.weeks.get(key)?.version !== previousVersion) throw new StaleSessionError(r.week);
    this.weeks.set(key, clone(r));
  }
  async listWeeks(studyId: string, phone: string, fromWeek: string, toWeek: string) {
    return [...this.weeks.values()].filter((w) => w.studyId === studyId && w.phone === phone && w.week >= fromWeek && w.week <= toWeek).sort((a, b) => a.week.localeCompare(b.week)).map(clone);
  }
  async answeredAmong(studyId: string, phones: readonly string[], week: string) {
    return new Set(phones.filter((p) => {
      const w = this.weeks.get(`${studyId}|${p}|${week}`);
      return w !== undefined && weekAnswered(w);
    }));
  }
  async saveComplaint(c: Complaint) {
    const key = `${c.studyId}|${c.phone}|${c.ref}`;
    if (this.complaints.has(key)) return;
    this.complaints.set(key, clone(c));
    const opened = caseFromComplaint(c);
    if (opened) await this.cases.createCase(opened);
  }
  saveParticipant(p: Participant, previousUpdatedAt: string) {
    return this.participants.saveParticipant(p, previousUpdatedAt);
  }
  saveConsent(p: Participant) {
    return this.participants.saveConsent(p);
  }
}

export class MemoryMessages implements MessageStore {
  readonly byId = new Map<string, MessageRecord>();
  private readonly links = new Map<string, string>();

  async create(m: NewMessage) {
    if (this.byId.has(m.messageId)) return false;
    this.byId.set(m.messageId, { ...clone(m), status: 'queued', rank: 0, updatedAt: m.createdAt });
    return true;
  }
  async createMany(ms: readonly NewMessage[]) {
    const made: string[] = [];
    for (const m of ms) if (await this.create(m)) made.push(m.messageId);
    return made;
  }
  async getMany(ids: readonly string[]) {
    return ids.flatMap((id) => (this.byId.has(id) ? [clone(this.byId.get(id) as MessageRecord)] : []));
  }
  async get(id: string) {
    const m = this.byId.get(id);
    return m && clone(m);
  }
  async claim(id: string, at: Date, leaseMs = 5 * 60_000) {
    const m = this.byId.get(id);
    const stale = new Date(at.getTime() - leaseMs).toISOString();
    if (!m || !(m.status === 'queued' || (m.status === 'sending' && m.updatedAt < stale))) return false;
    Object.assign(m, { status: 'sending', updatedAt: at.toISOString() });
    return true;
  }
  async release(id: string, at: Date, reason: string) {
    const m = this.byId.get(id);
    if (m?.status === 'sending') Object.assign(m, { status: 'queued', updatedAt: at.toISOString(), lastError: reason, attempts: (m.attempts ?? 0) + 1 });
  }
  async accepted(id: string, providerId: string, at: string) {
    const m = this.byId.get(id);
    if (!m || m.rank >= statusRank('accepted') || this.links.has(providerId)) return;
    Object.assign(m, { status: 'accepted', rank: statusRank('accepted'), providerId, updatedAt: at, sentAt: at });
    this.links.set(providerId, id);
  }
  async defer(id: string, until: Date, at: Date) {
    const m = this.byId.get(id);
    if (m?.status === 'sending') Object.assign(m, { status: 'queued', updatedAt: at.toISOString(), notBefore: until.toISOString() });
  }
  async closed(id: string, status: 'failed' | 'skipped', reason: string, at: string) {
    this.advance(id, status, reason, at);
  }
  async byProviderId(providerId: string) {
    const id = this.links.get(providerId);
    return id === undefined ? undefined : this.get(id);
  }
  async report(providerId: string, status: DeliveryStatus, failureReason: string | undefined, at: string) {
    const id = this.links.get(providerId);
    return id !== undefined && this.advance(id, status, failureReason, at);
  }
  private advance(id: string, status: MessageStatus, reason: string | undefined, at: string): boolean {
    const m = this.byId.get(id);
    if (!m || m.rank >= statusRank(status)) return false;
    Object.assign(m, { status, rank: statusRank(status), updatedAt: at, ...(reason ? { failureReason: reason } : {}) });
    return true;
  }
}

export class MemoryOnce implements OnceStore {
  readonly keys = new Set<string>();
  async claimOnce(key: string) {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    return true;
  }
}

export class MemoryQueue implements SendQueue {
  readonly sent: OutboundMessage[] = [];
  async enqueue(ms: readonly OutboundMessage[]) {
    this.sent.push(...clone(ms));
  }
}

export class MemoryStudies implements StudyReader {
  constructor(readonly studies: readonly Study[]) {}
  async studyForServiceCode(code: string) {
    return this.studies.find((s) => s.serviceCode === code);
  }
  async studyForShortCode(code: string) {
    return this.studies.find((s) => s.smsShortCode === code);
  }
  async studyIds() {
    return this.studies.map((s) => s.studyId).sort();
  }
  async getStudy(id: string) {
    return this.studies.find((s) => s.studyId === id);
  }
}

export class MemoryCampaigns implements CampaignStore {
  readonly byId = new Map<string, Campaign>();
  async create(c: Campaign) {
    if (this.byId.has(c.campaignId)) return false;
    this.byId.set(c.campaignId, clone(c));
    return true;
  }
  async save(c: Campaign, previousUpdatedAt: string) {
    if (this.byId.get(c.campaignId)?.updatedAt !== previousUpdatedAt) return false;
    this.byId.set(c.campaignId, clone(c));
    return true;
  }
  async get(studyId: string, campaignId: string) {
    const c = this.byId.get(campaignId);
    return c?.studyId === studyId ? clone(c) : undefined;
  }
  async list(studyId: string) {
    return [...this.byId.values()].filter((c) => c.studyId === studyId).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(clone);
  }
}

export class MemoryRandomization implements RandomizationStore {
  readonly byId = new Map<string, StoredRandomization>();
  constructor(private readonly people: MemoryParticipants) {}
  participants(studyId: string) {
    return this.people.listByStudy(studyId);
  }
  async runs(studyId: string) {
    return [...this.byId.values()].filter((r) => r.studyId === studyId).sort((a, b) => a.at.localeCompare(b.at)).map(clone);
  }
  async createRun(run: StoredRandomization) {
    if (this.byId.has(run.randomizationId)) return false;
    this.byId.set(run.randomizationId, clone(run));
    return true;
  }
  async saveRun(run: StoredRandomization, previousVersion: number) {
    if (this.byId.get(run.randomizationId)?.version !== previousVersion) return false;
    this.byId.set(run.randomizationId, clone(run));
    return true;
  }
  async assignArm(p: Participant, armId: string, randomizationId: string, at: string) {
    const stored = this.people.byKey.get(pkey(p));
    if (!stored) return false;
    if (stored.armId && !(stored.armId === armId && stored.assignment?.randomizationId === randomizationId)) return false;
    Object.assign(stored, { armId, assignment: { randomizationId, at }, updatedAt: at });
    return true;
  }
}

/** No stored text: retention finds nothing to blank. */
export const emptyRetention: RetentionStore = {
  async *holdingText() {},
  blankCallback: async () => true,
  blankComplaint: async () => true,
};

export class MemoryForget implements ForgetStore {
  readonly forgotten: Participant[] = [];
  constructor(private readonly participants: MemoryParticipants = new MemoryParticipants()) {}
  async findById(studyId: string, participantId: string) {
    const gone = this.forgotten.find((f) => f.studyId === studyId && f.participantId === participantId);
    if (gone) return { forgotten: clone(gone) };
    const active = [...this.participants.byKey.values()].find((p) => p.studyId === studyId && p.participantId === participantId);
    return active ? { active: clone(active) } : {};
  }
  async forget(p: Participant) {
    this.forgotten.push(clone(p));
    this.participants.byKey.delete(pkey(p));
    return { participantId: p.participantId, weeks: 0, complaints: 0, messages: 0, callbacks: 0, deleted: 0 };
  }
}

/** A gateway that answers each number as `outcome` says (accepted by default), recording each batch. */
export class ScriptedGateway implements SmsGateway {
  readonly batches: SmsBatch[] = [];
  constructor(private readonly outcome: (to: string) => RecipientOutcome = (to) => ({ status: 'accepted', providerId: `fake-${to}` })) {}
  async sendBulk(batch: SmsBatch) {
    this.batches.push(clone(batch));
    return new Map(batch.to.map((to) => [to, this.outcome(to)]));
  }
}

/** Every port a use case may need, sharing one participant store. */
export function memoryPorts(studies: readonly Study[], people: readonly Participant[] = []) {
  const participants = new MemoryParticipants(people);
  return {
    studies: new MemoryStudies(studies),
    participants,
    ussd: new MemoryUssdStore(participants),
    messages: new MemoryMessages(),
    once: new MemoryOnce(),
    queue: new MemoryQueue(),
    campaigns: new MemoryCampaigns(),
    randomization: new MemoryRandomization(participants),
    forget: new MemoryForget(participants),
    retention: emptyRetention,
  };
}
