import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inputModeAfter, isReplay, newInputs } from '../../functions/core/ussd/session.js';

describe('deriving the new input from Africa\'s Talking text', () => {
  it('reads the first request, including inputs carried in the dial string', () => {
    expect(newInputs(undefined, '')).toEqual([]);
    expect(newInputs(undefined, '1*98')).toEqual(['1', '98']);
  });

  it('takes what a request adds to the history, input by input', () => {
    expect(newInputs('', '1')).toEqual(['1']);
    expect(newInputs('1*98', '1*98*2')).toEqual(['2']);
    expect(newInputs('1', '1*2*3')).toEqual(['2', '3']);
    expect(newInputs('', '1*98')).toEqual(['1', '98']);
  });

  it('takes a text that does not extend the history as the latest input alone', () => {
    expect(newInputs('1*98', '2')).toEqual(['2']);
  });

  it('recovers each input of a cumulative history one hop at a time', () => {
    const input = fc.stringMatching(/^[0-9]{1,3}$/);
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 12 }), (inputs) => {
        let last = '';
        inputs.forEach((value, i) => {
          const text = inputs.slice(0, i + 1).join('*');
          expect(newInputs(last, text)).toEqual([value]);
          last = text;
        });
      }),
    );
  });
});

describe('telling a replay from a repeated key', () => {
  const base = {
    sessionId: 's', studyId: 'x', phone: '+254711000001', state: { at: 'language' as const }, lastText: '1*98',
    lastResponse: 'CON x', version: 3, startedAt: '2026-11-23T09:00:00Z', updatedAt: '2026-11-23T09:00:00Z', expiresAt: 0,
  };
  const at = (ms: number) => new Date(Date.parse(base.updatedAt) + ms);

  it('treats the same text as a replay when the operator sends the whole history', () => {
    expect(isReplay(base, '1*98', at(60_000))).toBe(true);
    expect(isReplay(base, '1*98*98', at(10))).toBe(false);
  });

  it('with an operator sending only the latest input, takes a late repeat as a new key press', () => {
    const latest = { ...base, lastText: '98', inputMode: 'latest' as const };
    expect(isReplay(latest, '98', at(100))).toBe(true);
    expect(isReplay(latest, '98', at(5000))).toBe(false);
  });

  it('learns the input mode from the first text that does not extend the history', () => {
    expect(inputModeAfter(undefined, '1')).toBeUndefined();
    expect(inputModeAfter({ ...base, lastText: '' }, '1')).toBeUndefined();
    expect(inputModeAfter(base, '1*98*98')).toBeUndefined();
    expect(inputModeAfter(base, '98')).toBe('latest');
    expect(inputModeAfter({ ...base, inputMode: 'latest' }, '1*98*98')).toBe('latest');
  });
});
