import { beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { DynamoCallbackStore } from '../../functions/adapters/dynamo/callback-store.js';
import { DynamoCaseStore } from '../../functions/adapters/dynamo/case-store.js';
import { DynamoUssdStore } from '../../functions/adapters/dynamo/ussd-store.js';
import { handleInboundSms, type InboundDeps } from '../../functions/core/sms/inbound-service.js';
import { weekOf } from '../../functions/core/ussd/participant-hop.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { addConsented } from '../support/members.js';
import { ussdService } from '../support/ussd-service.js';

let t: TestTable;
let svc: Awaited<ReturnType<typeof ussdService>>;
let deps: InboundDeps;
let n = 0;
const sms = (from: string, text: string) => ({ id: `ATSMS_${(n += 1)}`, from, text });

beforeAll(async () => {
  t = await createTestTable();
  svc = await ussdService(t);
  const callbacks = new DynamoCallbackStore(t.doc, t.tableName);
  deps = {
    study: svc.study, store: new DynamoUssdStore(t.doc, t.tableName), content, clock: svc.deps.clock,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined }, once: callbacks,
    cases: new DynamoCaseStore(t.doc, t.tableName),
  };
});

describe('incoming SMS against DynamoDB', () => {
  it('STOP opts out with one confirmation, then silence; START rejoins', async () => {
    const phone = await addConsented(svc.participants, svc.study.studyId, 'sw', 'treatment');
    expect(await handleInboundSms(sms(phone, 'Simama.'), deps)).toMatchObject({ key: 'stopConfirmation', lang: 'sw', stopConfirmation: true });
    expect((await svc.participants.getByPhone(svc.study.studyId, phone))?.consent).toMatchObject({ state: 'withdrawn', channel: 'sms' });
    expect(await handleInboundSms(sms(phone, 'STOP'), deps)).toBeUndefined();
    expect(await handleInboundSms(sms(phone, 'anza'), deps)).toMatchObject({ key: 'startConfirmation' });
    expect((await svc.participants.getByPhone(svc.study.studyId, phone))?.consent.state).toBe('consented');
  });

  it('a diary reply lands in this week\'s diary with the SMS channel, and USSD resumes from it', async () => {
    const phone = await addConsented(svc.participants, svc.study.studyId, 'en', 'control');
    expect(await handleInboundSms(sms(phone, 'D 8,000 M 200 500'), deps)).toMatchObject({ key: 'diaryReceived' });
    const now = deps.clock.now();
    const { week } = await deps.store.loadHop('-', svc.study.studyId, phone, weekOf({ study: svc.study, now }).id, now);
    expect(week?.answers.wage_amount).toMatchObject({ value: 8000, channel: 'sms' });
    expect(week?.answers.saved_amount?.value).toBe(500);
    // Dialling the diary now offers to continue at the first question SMS did not answer.
    await svc.dial('sms-ussd-1', phone, '');
    expect(await svc.dial('sms-ussd-1', phone, '1')).toBe("CON You started this week's diary.\n1. Continue\n2. Main menu");
  });

  it('reports a problem by SMS with a reference; unreadable diary replies and strangers get the right answer', async () => {
    const phone = await addConsented(svc.participants, svc.study.studyId, 'en', 'control');
    const complaint = await handleInboundSms(sms(phone, 'P agent asked for 50 extra'), deps);
    expect(complaint).toMatchObject({ key: 'complaintReceived', vars: { ref: expect.stringMatching(/^[0-9A-Z]{6}$/) } });
    expect(await handleInboundSms(sms(phone, 'D 8000 Q'), deps)).toMatchObject({ key: 'diaryInvalid' });
    expect(await handleInboundSms(sms(phone, 'D 99999999'), deps)).toMatchObject({ key: 'diaryOutOfRange' });
    expect(await handleInboundSms(sms('+254799000001', 'D 100'), deps)).toMatchObject({ key: 'notEnrolled' });
  });

  it('answers anything else with help, once a day per number (no loops with auto-responders)', async () => {
    const phone = await addConsented(svc.participants, svc.study.studyId, 'en', 'control');
    expect(await handleInboundSms(sms(phone, 'Thank you!'), deps)).toMatchObject({ key: 'help' });
    expect(await handleInboundSms(sms(phone, 'This is an automatic reply'), deps)).toBeUndefined();
    expect(await handleInboundSms(sms(phone, 'help'), deps)).toMatchObject({ key: 'help' });
  });
});
