import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoUssdStore } from '../../functions/adapters/dynamo/ussd-store.js';
import { weekOf } from '../../functions/core/ussd/participant-hop.js';
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

const consented = (lang: string, armId = 'control') => addConsented(svc.participants, svc.study.studyId, lang, armId);

async function weekRecord(phone: string) {
  const now = svc.deps.clock.now();
  const week = weekOf({ study: svc.study, now }).id;
  return (await new DynamoUssdStore(t.doc, t.tableName).loadHop('-', svc.study.studyId, phone, week, now)).week;
}

// Diary: open · no wages · saved "2,500" · in mobile money · no borrowing · rent · rotating item 1
const diaryKeys = ['1', '2', '2,500', '2', '2', '2', '1'];

describe('the weekly diary against DynamoDB', () => {
  it('a Kiswahili speaker completes a diary with skip logic; each answer stored at once', async () => {
    const phone = await consented('sw');
    const all = texts([...diaryKeys, '1']);
    expect(await svc.dial('d-sw', phone, '')).toMatch(/^CON Sauti\n1\. Shajara ya wiki hii/);
    for (const [i, text] of all.slice(1).entries()) {
      const reply = await svc.dial('d-sw', phone, text);
      // After each answer the week record already holds it.
      if (i >= 1 && i < diaryKeys.length) expect(Object.keys((await weekRecord(phone))?.answers ?? {}).length).toBe(i);
      if (i === all.length - 2) expect(reply).toMatch(/^END Asante/);
    }
    const record = await weekRecord(phone);
    expect(record?.complete).toBe(true);
    expect(Object.fromEntries(Object.entries(record?.answers ?? {}).map(([k, a]) => [k, a.value]))).toMatchObject({
      wage_received: 'no', saved_amount: 2500, saved_where: 'mobile_money', borrowed: 'no', main_spending: 'rent',
    });
    expect(Object.keys(record?.answers ?? {})).not.toContain('wage_amount');
  });

  it('resumes a dropped session at the first unanswered question', async () => {
    const phone = await consented('en');
    for (const text of texts(['1', '2', '300']).slice(0, 4)) await svc.dial('drop-1', phone, text);
    // The connection drops; a new session starts from the main menu.
    await svc.dial('drop-2', phone, '');
    expect(await svc.dial('drop-2', phone, '1')).toBe("CON You started this week's diary.\n1. Continue\n2. Main menu");
    const next = await svc.dial('drop-2', phone, '1*1');
    expect(next).toMatch(/^CON .*(saved|money|kept|where)/i);
    expect(Object.keys((await weekRecord(phone))?.answers ?? {})).toEqual(['wage_received', 'saved_amount']);
  });

  it('never loses or double-counts an answer, whatever is replayed or duplicated', async () => {
    const delivery = fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.boolean()), { minLength: 9, maxLength: 9 });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 9_999 }), delivery, async (saved, copies) => {
        const phone = await consented('en');
        const keys = ['1', '2', String(saved), ...(saved > 0 ? ['3'] : []), '2', '1', '1', '1'];
        for (const [i, text] of texts(keys).entries()) {
          const [together, late] = copies[i % copies.length] ?? [1, false];
          const replies = await Promise.all(Array.from({ length: together }, () => svc.dial(`prop-${phone}`, phone, text)));
          if (late) replies.push(await svc.dial(`prop-${phone}`, phone, text));
          expect(new Set(replies).size).toBe(1);
        }
        const record = await weekRecord(phone);
        expect(record?.complete).toBe(true);
        expect(record?.answers.saved_amount?.value).toBe(saved);
        expect(Object.keys(record?.answers ?? {}).sort()).toEqual(
          ['borrowed', 'main_spending', 'respect', 'saved_amount', 'wage_received', ...(saved > 0 ? ['saved_where'] : [])].sort(),
        );
      }),
      { numRuns: 10 },
    );
  });
});
