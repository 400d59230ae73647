import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { lessonSequence } from '../../functions/core/ussd/lessons-flow.js';
import { weekOf } from '../../functions/core/ussd/participant-hop.js';
import { complaintRef } from '../../functions/core/ussd/problem-flow.js';
import { DynamoCaseStore } from '../../functions/adapters/dynamo/case-store.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { addConsented } from '../support/members.js';
import { ussdService } from '../support/ussd-service.js';
import { texts } from '../support/ussd.js';

let t: TestTable;
let svc: Awaited<ReturnType<typeof ussdService>>;

beforeAll(async () => {
  t = await createTestTable();
  svc = await ussdService(t);
});

const member = (lang: string, armId = 'control') => addConsented(svc.participants, svc.study.studyId, lang, armId);

async function walk(session: string, phone: string, keys: string[]) {
  let last = '';
  for (const text of texts(keys)) last = await svc.dial(session, phone, text);
  return last;
}

describe('participant menus against DynamoDB', () => {
  it('a treatment participant takes a lesson and its quiz; progress and answer are stored', async () => {
    const phone = await member('sw', 'treatment');
    const first = lessonSequence(content)[0];
    const pages = first?.lesson.ussd.sw?.length ?? 0;
    const end = await walk('l-1', phone, ['2', ...Array(pages).fill('98'), '1']);
    expect(end).toBe(`END ${first?.lesson.quiz.choices[0]?.feedback.sw}`);
    const p = await svc.participants.getByPhone(svc.study.studyId, phone);
    expect(p?.lessons?.[first?.key ?? '']).toMatchObject({ choice: first?.lesson.quiz.choices[0]?.name, sessionId: 'l-1' });
    // The next dial offers the next lesson or a repeat.
    expect(await walk('l-2', phone, ['2'])).toContain('2. Rudia somo lililopita');
  });

  it('a control participant cannot reach a lesson by any key', async () => {
    const phone = await member('en', 'control');
    expect(await walk('c-1', phone, [])).not.toContain('Lessons');
    for (const key of ['2', '5', '6', '98']) expect(await walk(`c-${key}`, phone, [key])).not.toMatch(/98\. More$/);
  });

  it('a complaint gets a reference, is stored once, and is countable per provider and week', async () => {
    const phone = await member('en', 'control');
    const keys = ['3', '1', '3', 'Rude agent', '1'];
    const end = await walk('p-1', phone, keys);
    expect(end).toBe(`END Thank you. We have your report. Its number is ${complaintRef('p-1')}.`);
    expect(await svc.dial('p-1', phone, keys.join('*'))).toBe(end);
    const week = weekOf({ study: svc.study, now: svc.deps.clock.now() }).id;
    const out = await t.doc.send(new QueryCommand({
      TableName: t.tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :provider)',
      ExpressionAttributeValues: { ':pk': `STUDY#${svc.study.studyId}#COMPLAINTS#${week}`, ':provider': 'mpesa#' },
    }));
    expect(out.Items?.filter((i) => i.ref === complaintRef('p-1'))).toHaveLength(1);
    expect(out.Items?.[0]).toMatchObject({ category: content.complaints?.categories[2]?.name, text: 'Rude agent' });
    // The complaint opened its case in the same write, the number shared as the participant chose.
    const cases = new DynamoCaseStore(t.doc, t.tableName);
    const opened = await cases.getCase(svc.study.studyId, complaintRef('p-1'));
    expect(opened).toMatchObject({ state: 'new', provider: 'mpesa', shareNumber: true, channel: 'ussd', history: [], version: 0 });
    const participantId = (await svc.participants.getByPhone(svc.study.studyId, phone))?.participantId ?? '';
    expect((await cases.listParticipantCases(svc.study.studyId, participantId)).map((c) => c.ref)).toEqual([complaintRef('p-1')]);
    expect((await cases.listCases(svc.study.studyId, { state: 'new' })).map((c) => c.ref)).toContain(complaintRef('p-1'));
    expect((await cases.listCases(svc.study.studyId, { provider: 'mpesa' })).map((c) => c.ref)).toContain(complaintRef('p-1'));
    expect(JSON.stringify(opened)).not.toContain(phone);
  });

  it('a language change takes effect at once; stop opts the number out', async () => {
    const phone = await member('en', 'control');
    // The study offers English and Kiswahili; Bengali (3) is not among its languages.
    expect(await walk('s-0', phone, ['4', '1', '3'])).toMatch(/^CON Please reply with one of the numbers shown/);
    expect(await walk('s-1', phone, ['4', '1', '2'])).toBe(`END ${content.strings.sw?.settingsSaved}`);
    expect(await walk('s-2', phone, [])).toContain(content.strings.sw?.menuDiary);
    const stop = await walk('s-3', phone, ['4', '4', '1']);
    expect(stop).toBe(`END ${content.strings.sw?.stopped.replace('{code}', svc.study.serviceCode)}`);
    expect(await svc.dial('s-3', phone, '4*4*1')).toBe(stop);
    expect((await svc.participants.getByPhone(svc.study.studyId, phone))?.consent.state).toBe('withdrawn');
  });

  it('my summary adds up this month from the diary', async () => {
    const phone = await member('en', 'control');
    // Diary: yes · bank · "8,000" · fee yes · "120" · no trouble · saved 500 · account · no borrowing · food · respect yes · save
    await walk('m-1', phone, ['1', '1', '2', '8,000', '1', '120', '1', '500', '1', '2', '1', '1', '1']);
    const summary = await walk('m-2', phone, ['2']);
    expect(summary).toMatch(/^CON Your money\n\w+: got 8,000, fees 120, saved 500\n0\. Back$/);
  });
});
