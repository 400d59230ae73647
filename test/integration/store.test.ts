import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { DynamoCallbackStore } from '../../functions/adapters/dynamo/callback-store.js';
import { keys } from '../../functions/adapters/dynamo/keys.js';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { createStudy } from '../../functions/adapters/dynamo/study-admin.js';
import { DynamoStudyStore } from '../../functions/adapters/dynamo/study-store.js';
import { DynamoUssdStore } from '../../functions/adapters/dynamo/ussd-store.js';
import { AlreadyEnrolledError, StaleSessionError } from '../../functions/core/errors.js';
import type { Participant } from '../../functions/core/model.js';
import type { UssdSession } from '../../functions/core/ussd/session.js';
import { DEMO_PARTICIPANTS } from '../../infra/local/demo.js';
import { seedDemo } from '../../infra/local/seed.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { NOW, participant, study } from '../support/fixtures.js';

let t: TestTable;
let ussd: DynamoUssdStore;
let participants: DynamoParticipantStore;
const studyId = study().studyId;
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const WEEK = '2026-W48';

function session(id: string, overrides: Partial<UssdSession> = {}): UssdSession {
  return {
    sessionId: id,
    studyId,
    phone: '+254711000001',
    state: { at: 'language' },
    lastText: '',
    lastResponse: 'CON …',
    version: 1,
    startedAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    expiresAt: nowSeconds + 600,
    ...overrides,
  };
}

function withBaseline(p: Participant, answers: Record<string, string | number>): Participant {
  return {
    ...p,
    baseline: { questionnaireId: 'baseline', questionnaireVersion: 1, answers, answeredAt: NOW.toISOString(), channel: 'ussd', sessionId: 's' },
  };
}

beforeAll(async () => {
  t = await createTestTable();
  ussd = new DynamoUssdStore(t.doc, t.tableName);
  participants = new DynamoParticipantStore(t.doc, t.tableName);
});

describe('USSD session storage', () => {
  it('reads the session and the participant of a hop together', async () => {
    const p = participant({ phone: '+254711000101', participantId: 'p_101' });
    await participants.addParticipant(p);
    await ussd.saveSession(session('hop-1', { phone: p.phone }), undefined);
    const hop = await ussd.loadHop('hop-1', studyId, p.phone, WEEK, NOW);
    expect(hop.session?.sessionId).toBe('hop-1');
    expect(hop.participant).toEqual(p);
    expect(await ussd.loadHop('nope', studyId, '+254711000999', WEEK, NOW)).toEqual({});
  });

  it('does not return a session past its TTL, although DynamoDB has not deleted it yet', async () => {
    await ussd.saveSession(session('old-1', { expiresAt: nowSeconds - 1 }), undefined);
    const raw = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: keys.session('old-1') }));
    expect(raw.Item).toBeDefined();
    expect((await ussd.loadHop('old-1', studyId, '+254711000001', WEEK, NOW)).session).toBeUndefined();
    // …and a new session may take its place.
    await expect(ussd.saveSession(session('old-1', { version: 1 }), undefined)).resolves.toBeUndefined();
  });

  it('refuses a second new session with the same id and a write from a stale version', async () => {
    await ussd.saveSession(session('race-1'), undefined);
    await expect(ussd.saveSession(session('race-1'), undefined)).rejects.toBeInstanceOf(StaleSessionError);
    await ussd.saveSession(session('race-1', { version: 2, lastText: '1' }), 1);
    await expect(ussd.saveSession(session('race-1', { version: 2, lastText: '2' }), 1)).rejects.toBeInstanceOf(StaleSessionError);
    const hop = await ussd.loadHop('race-1', studyId, '+254711000001', WEEK, NOW);
    expect(hop.session).toMatchObject({ version: 2, lastText: '1' });
  });
});

describe('consent decisions', () => {
  it('records consent and baseline answers in one write', async () => {
    const p = withBaseline(participant({ phone: '+254711000201', participantId: 'p_201' }), { age: 30, own_account: 'yes' });
    await ussd.saveConsent(p);
    expect(await participants.getByPhone(studyId, p.phone)).toEqual(p);
  });

  it('refuses to enrol a consented number again, changes nothing, and says who is there', async () => {
    const first = withBaseline(participant({ phone: '+254711000301', participantId: 'p_301' }), { age: 30 });
    await ussd.saveConsent(first);
    const second = withBaseline({ ...first, participantId: 'p_302', lang: 'en' }, { age: 41 });
    const refused = await ussd.saveConsent(second).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AlreadyEnrolledError);
    expect((refused as AlreadyEnrolledError).existing).toEqual(first);
    expect(await participants.getByPhone(studyId, first.phone)).toEqual(first);
  });

  it('lets someone who declined, or was imported pending, enrol later', async () => {
    const declined = participant({ phone: '+254711000401', participantId: 'p_401', consent: { state: 'declined', version: content.consent.version } });
    await ussd.saveConsent(declined);
    const joined = withBaseline({ ...declined, consent: { state: 'consented', version: content.consent.version } }, { age: 22 });
    await ussd.saveConsent(joined);
    expect(await participants.getByPhone(studyId, declined.phone)).toEqual(joined);

    const pending = participant({ phone: '+254711000402', participantId: 'p_402', consent: { state: 'pending' }, stratum: 'day-shift' });
    expect(await participants.addParticipant(pending)).toBe(true);
    expect(await participants.addParticipant(pending)).toBe(false);
    await ussd.saveConsent({ ...pending, consent: { state: 'consented' } });
    expect((await participants.getByPhone(studyId, pending.phone))?.consent.state).toBe('consented');
  });
});

describe('studies, seeding and callbacks', () => {
  it('resolves a service code to its study with arms, and refuses a second study on the same code', async () => {
    const studies = new DynamoStudyStore(t.doc, t.tableName);
    await createStudy(t.doc, t.tableName, study({ studyId: 's-a', serviceCode: '*384*7#' }));
    expect(await studies.studyForServiceCode('*384*7#')).toEqual(study({ studyId: 's-a', serviceCode: '*384*7#' }));
    await expect(createStudy(t.doc, t.tableName, study({ studyId: 's-b', serviceCode: '*384*7#' }))).rejects.toThrow();
    expect(await studies.getStudy('s-b')).toBeUndefined();
    expect(await studies.studyForServiceCode('*000#')).toBeUndefined();
  });

  it('seeds the demo study once', async () => {
    const other = await createTestTable();
    const first = await seedDemo(other.doc, other.tableName, '*384*123#', new Date('2026-11-02T08:00:00Z'));
    const second = await seedDemo(other.doc, other.tableName, '*384*123#', new Date('2026-11-09T08:00:00Z'));
    expect([first.created, first.participants]).toEqual([true, DEMO_PARTICIPANTS]);
    expect([second.created, second.participants]).toEqual([false, DEMO_PARTICIPANTS]);
    const all = await new DynamoParticipantStore(other.doc, other.tableName).listByStudy(first.study.studyId);
    expect(new Set(all.map((p) => p.armId))).toEqual(new Set(['treatment', 'control']));
  });

  it('stores a resent callback once', async () => {
    const callbacks = new DynamoCallbackStore(t.doc, t.tableName);
    const cb = { kind: 'sms-delivery' as const, id: 'ATXid_1', fields: { id: 'ATXid_1', status: 'Success' }, receivedAt: NOW.toISOString() };
    expect(await callbacks.saveOnce(cb)).toBe(true);
    expect(await callbacks.saveOnce({ ...cb, fields: { id: 'ATXid_1', status: 'Failed' } })).toBe(false);
    const raw = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: keys.callback('sms-delivery', 'ATXid_1') }));
    expect(raw.Item?.fields).toEqual({ id: 'ATXid_1', status: 'Success' });
  });
});
