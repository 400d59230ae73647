import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { createTestTable } from '../support/dynamo.js';
import { ussdService } from '../support/ussd-service.js';
import { enrolmentInputs, texts } from '../support/ussd.js';

let svc: Awaited<ReturnType<typeof ussdService>>;
let phoneSeq = 0;
const newPhone = () => `+2547120${String((phoneSeq += 1)).padStart(5, '0')}`;

beforeAll(async () => {
  svc = await ussdService(await createTestTable());
});

/** The baseline answers recorded for a number (empty when none). */
async function answersOf(phone: string) {
  return (await svc.participants.getByPhone(svc.study.studyId, phone))?.baseline?.answers ?? {};
}

describe('USSD enrolment against DynamoDB', () => {
  it('enrols a new number with consent version, language and baseline answers', async () => {
    const phone = newPhone();
    let last = '';
    for (const text of texts(enrolmentInputs(1, ['2', '1', '27']))) last = await svc.dial('full-1', phone, text);
    expect(last).toMatch(/^END Thank you, you have joined Sauti/);
    const p = await svc.participants.getByPhone(svc.study.studyId, phone);
    expect(p).toMatchObject({ lang: 'en', source: 'ussd', consent: { state: 'consented', version: content.consent.version, channel: 'ussd' } });
    expect(p?.baseline).toMatchObject({ questionnaireId: 'baseline', questionnaireVersion: 1, channel: 'ussd', sessionId: 'full-1' });
    expect(await answersOf(phone)).toEqual({ pay_method: 'bank', own_account: 'yes', age: 27 });
    expect(await svc.dial('full-2', phone, '')).toMatch(/^CON Sauti\n1\. This week's diary/);
  });

  it('answers a repeated request with the same screen and records nothing twice', async () => {
    const phone = newPhone();
    for (const text of texts(enrolmentInputs(2))) {
      const first = await svc.dial('rep-1', phone, text);
      expect(await svc.dial('rep-1', phone, text)).toBe(first);
    }
    expect(Object.keys(await answersOf(phone))).toHaveLength(3);
  });

  it('enrols once when copies of the final request arrive at the same time', async () => {
    const phone = newPhone();
    const all = texts(enrolmentInputs(1));
    for (const text of all.slice(0, -1)) await svc.dial('conc-1', phone, text);
    const replies = await Promise.all(Array.from({ length: 6 }, () => svc.dial('conc-1', phone, all.at(-1) as string)));
    expect(new Set(replies).size).toBe(1);
    expect(replies[0]).toMatch(/^END Thank you, you have joined/);
    expect(Object.keys(await answersOf(phone))).toHaveLength(3);
  });

  it('keeps one participant when two sessions of the same number race to enrol', async () => {
    const phone = newPhone();
    const all = texts(enrolmentInputs(1));
    for (const text of all.slice(0, -1)) {
      await svc.dial('race-a', phone, text);
      await svc.dial('race-b', phone, text);
    }
    const [a, b] = await Promise.all([svc.dial('race-a', phone, all.at(-1) as string), svc.dial('race-b', phone, all.at(-1) as string)]);
    expect([a, b].every((r) => r.startsWith('END '))).toBe(true);
    expect([a, b].filter((r) => r.includes('you have joined'))).toHaveLength(1);
    expect(Object.keys(await answersOf(phone))).toHaveLength(3);
  });

  it('works with an operator that sends only the latest input, a person taking seconds per screen', async () => {
    let now = Date.parse('2026-11-24T09:00:00Z');
    const slow = await ussdService(await createTestTable(), { now: () => new Date(now) });
    const phone = newPhone();
    let last = await slow.dial('last-1', phone, '');
    for (const input of enrolmentInputs(2, ['4', '2', '19'])) {
      now += 4000;
      const reply = await slow.dial('last-1', phone, input);
      // A quick resend of the same input is still a replay.
      expect(await slow.dial('last-1', phone, input)).toBe(reply);
      last = reply;
    }
    expect(last).toMatch(/^END Asante, umejiunga/);
    const p = await slow.participants.getByPhone(slow.study.studyId, phone);
    expect(p?.baseline?.answers).toEqual({ pay_method: 'mixed', own_account: 'no', age: 19 });
  });

  it('respects a decline and does not ask again unless the number asks', async () => {
    const phone = newPhone();
    const pages = content.consent.pages.en?.length ?? 1;
    const decline = ['1', ...Array(pages - 1).fill('98'), '2'];
    let last = '';
    for (const text of texts(decline)) last = await svc.dial('dec-1', phone, text);
    expect(last).toMatch(/^END Thank you\. We will not contact you/);
    expect((await svc.participants.getByPhone(svc.study.studyId, phone))?.consent.state).toBe('declined');
    expect(await svc.dial('dec-2', phone, '')).toMatch(/^CON You said no to this study before/);
    expect(await svc.dial('dec-2', phone, '2')).toBe('END Thank you. Goodbye.');
    // Asking again leads through the consent to enrolment.
    let again = '';
    for (const text of texts(['1', ...enrolmentInputs(1).slice(1)])) again = await svc.dial('dec-3', phone, text);
    expect(again).toMatch(/^END Thank you, you have joined/);
  });

  it('keeps the id and fields of a participant imported before they consented', async () => {
    const phone = newPhone();
    const now = svc.deps.clock.now().toISOString();
    await svc.participants.addParticipant({
      studyId: svc.study.studyId, participantId: 'p_imported', phone, consent: { state: 'pending', channel: 'import' },
      stratum: 'night-shift', cluster: 'factory-b', source: 'import', createdAt: now, updatedAt: now,
    });
    for (const text of texts(enrolmentInputs(2))) await svc.dial('imp-1', phone, text);
    const p = await svc.participants.getByPhone(svc.study.studyId, phone);
    expect(p).toMatchObject({ participantId: 'p_imported', stratum: 'night-shift', cluster: 'factory-b', source: 'import', lang: 'sw' });
    expect(p?.consent.state).toBe('consented');
  });
});

describe('no answer lost or counted twice (invariant 1)', () => {
  it('holds under any pattern of replayed requests and concurrent copies', async () => {
    const answerSets = fc.tuple(fc.constantFrom('1', '2', '3', '4'), fc.constantFrom('1', '2'), fc.integer({ min: 16, max: 80 }).map(String));
    // For each hop: how many copies arrive together, and whether one more copy arrives late.
    const delivery = fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.boolean()), { minLength: 12, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(1, 2), answerSets, delivery, async (lang, answers, copies) => {
        const phone = newPhone();
        const sessionId = `prop-${phone}`;
        const all = texts(enrolmentInputs(lang, answers));
        for (const [i, text] of all.entries()) {
          const [together, late] = copies[i % copies.length] ?? [1, false];
          const replies = await Promise.all(Array.from({ length: together }, () => svc.dial(sessionId, phone, text)));
          if (late) replies.push(await svc.dial(sessionId, phone, text));
          expect(new Set(replies).size).toBe(1);
        }
        const stored = await answersOf(phone);
        expect(Object.keys(stored).sort()).toEqual(['age', 'own_account', 'pay_method']);
        expect(stored.age).toBe(Number(answers[2]));
      }),
      { numRuns: 12 },
    );
  });
});
