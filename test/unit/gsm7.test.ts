import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodedLength, isGsm7, nonGsmCharacters } from '../../functions/core/text/gsm7.js';
import { smsSize } from '../../functions/core/text/segments.js';

const BASIC = Array.from('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const EXTENSION = Array.from('^{}\\[~]|€');
const gsmBasicText = fc.array(fc.constantFrom(...BASIC), { maxLength: 200 }).map((a) => a.join(''));

describe('GSM-7 counting', () => {
  it('counts known examples as the network does', () => {
    expect(encodedLength('Habari yako?')).toEqual({ encoding: 'GSM-7', length: 12 });
    expect(encodedLength('Fee: €5 [cash]')).toEqual({ encoding: 'GSM-7', length: 17 });
    expect(encodedLength('Don’t')).toEqual({ encoding: 'UCS-2', length: 5 });
    expect(encodedLength('আপনার মজুরি')).toEqual({ encoding: 'UCS-2', length: 11 });
    expect(encodedLength('ok 😀')).toEqual({ encoding: 'UCS-2', length: 5 });
    expect(nonGsmCharacters('Don’t — stop')).toEqual(['’', '—']);
  });

  it('counts one septet per basic character', () => {
    fc.assert(fc.property(gsmBasicText, (t) => encodedLength(t).length === Array.from(t).length && isGsm7(t)));
  });

  it('counts two septets per extension character', () => {
    fc.assert(
      fc.property(gsmBasicText, fc.constantFrom(...EXTENSION), (t, ext) => {
        const r = encodedLength(t + ext);
        return r.encoding === 'GSM-7' && r.length === Array.from(t).length + 2;
      }),
    );
  });

  it('turns the whole text UCS-2 on one character outside GSM-7', () => {
    const outside = fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }).filter((c) => !isGsm7(c));
    fc.assert(
      fc.property(gsmBasicText, outside, gsmBasicText, (a, c, b) => {
        const text = a + c + b;
        const r = encodedLength(text);
        return r.encoding === 'UCS-2' && r.length === text.length;
      }),
    );
  });
});

describe('SMS segments', () => {
  it('counts parts at 160/153 for GSM-7 and 70/67 for UCS-2', () => {
    expect(smsSize('a'.repeat(160))).toEqual({ encoding: 'GSM-7', length: 160, segments: 1 });
    expect(smsSize('a'.repeat(161)).segments).toBe(2);
    expect(smsSize('a'.repeat(306)).segments).toBe(2);
    expect(smsSize('a'.repeat(307)).segments).toBe(3);
    expect(smsSize('€'.repeat(80)).segments).toBe(1);
    expect(smsSize('€'.repeat(81)).segments).toBe(2);
    expect(smsSize('আ'.repeat(70))).toEqual({ encoding: 'UCS-2', length: 70, segments: 1 });
    expect(smsSize('আ'.repeat(71)).segments).toBe(2);
    expect(smsSize('আ'.repeat(134)).segments).toBe(2);
    expect(smsSize('আ'.repeat(135)).segments).toBe(3);
  });

  it('never fits more characters in a part than the encoding allows', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 700, unit: 'grapheme' }), (text) => {
        const { encoding, length, segments } = smsSize(text);
        const { single, part } = encoding === 'GSM-7' ? { single: 160, part: 153 } : { single: 70, part: 67 };
        if (length === 0) return segments === 0;
        return segments === 1 ? length <= single : length > single && length <= segments * part && length > (segments - 1) * part;
      }),
    );
  });
});
