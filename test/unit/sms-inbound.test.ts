import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { interpretInbound } from '../../functions/core/sms/inbound.js';

describe('incoming SMS', () => {
  it('reads keywords, diary replies and complaints', () => {
    expect(interpretInbound('Stop', content)).toEqual({ kind: 'stop' });
    expect(interpretInbound('SIMAMA.', content)).toEqual({ kind: 'stop' });
    expect(interpretInbound('help', content)).toEqual({ kind: 'help' });
    expect(interpretInbound('D 8000 M 200 500', content)).toMatchObject({ kind: 'diary', answers: { wage_amount: 8000 } });
    expect(interpretInbound('D 8000 Q', content)).toEqual({ kind: 'diaryInvalid', problem: 'format' });
    expect(interpretInbound('P: agent charged me 100 extra', content)).toEqual({ kind: 'complaint', text: 'agent charged me 100 extra' });
    expect(interpretInbound('Tatizo wakala hana pesa', content)).toEqual({ kind: 'complaint', text: 'wakala hana pesa' });
    expect(interpretInbound('সমস্যা এজেন্ট টাকা দেয়নি', content)).toEqual({ kind: 'complaint', text: 'এজেন্ট টাকা দেয়নি' });
    expect(interpretInbound('Please call me', content)).toEqual({ kind: 'unknown' });
    expect(interpretInbound('P', content)).toEqual({ kind: 'unknown' });
    expect(interpretInbound('Pesa', content)).toEqual({ kind: 'unknown' });
  });

  it('always gives an answer, for any text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400, unit: 'grapheme' }), (t) => typeof interpretInbound(t, content).kind === 'string'));
  });
});
