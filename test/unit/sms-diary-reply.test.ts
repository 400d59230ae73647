import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import type { Questionnaire } from '../../functions/core/content/schema.js';
import { isDiaryReply, parseDiaryReply } from '../../functions/core/sms/diary-reply.js';

const diary = content.diary as Questionnaire;
const parse = (t: string) => parseDiaryReply(t, diary);

describe('the SMS diary reply', () => {
  it('reads the documented format into the diary questions', () => {
    expect(parse('D 8000 M 200 500')).toEqual({
      ok: true,
      answers: { wage_received: 'yes', wage_amount: 8000, wage_how: 'mobile_money', fee_paid: 'yes', fee_amount: 200, saved_amount: 500 },
    });
    expect(parse('D 0')).toEqual({ ok: true, answers: { wage_received: 'no' } });
    expect(parse('D 0 500')).toEqual({ ok: true, answers: { wage_received: 'no', saved_amount: 500 } });
    expect(parse('D 5000 C 0 100')).toEqual({ ok: true, answers: { wage_received: 'yes', wage_amount: 5000, wage_how: 'cash', saved_amount: 100 } });
  });

  it('is forgiving about case, digits of any script, separators and spacing', () => {
    const expected = parse('D 8000 M 200 500');
    for (const text of ['d 8,000 m 200 500', 'D8000M 200 500', '  D  8000   m  200  500. ', 'D ৮০০০ M ২০০ ৫০০', 'd 8.000 M 200 500']) {
      expect(parse(text), text).toEqual(expected);
    }
  });

  it('leaves missing parts unanswered', () => {
    expect(parse('D 8000')).toEqual({ ok: true, answers: { wage_received: 'yes', wage_amount: 8000 } });
    expect(parse('D 8000 B 0')).toEqual({ ok: true, answers: { wage_received: 'yes', wage_amount: 8000, wage_how: 'bank', fee_paid: 'no' } });
  });

  it('refuses what it cannot read, and amounts out of range, without guessing', () => {
    for (const text of ['D', 'D M', 'D 8000 Q 200', 'D 1 2 3 4', 'D 0 M', 'hello', 'Diary 800', 'D -5']) {
      expect(parse(text).ok, text).toBe(false);
    }
    expect(parse('D 99999999')).toEqual({ ok: false, problem: 'range' });
    expect(isDiaryReply('d 800')).toBe(true);
    expect(isDiaryReply('Dear Sauti')).toBe(false);
  });

  it('round-trips any well-formed reply', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('b', 'm', 'x'),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (received, how, fee, saved) => {
          const r = parse(`D ${received.toLocaleString('en-US')} ${how.toUpperCase()} ${fee} ${saved}`);
          expect(r.ok && r.answers).toMatchObject({ wage_amount: received, fee_paid: fee > 0 ? 'yes' : 'no', saved_amount: saved });
        },
      ),
    );
  });
});
