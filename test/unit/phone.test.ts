import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gatewayE164 } from '../../functions/core/gateway-phone.js';
import { toE164 } from '../../functions/core/phone.js';

describe('phone numbers', () => {
  it('normalises national and international forms to E.164', () => {
    expect(toE164('0712 345 678', 'KE')).toBe('+254712345678');
    expect(toE164('+254 712-345-678', 'KE')).toBe('+254712345678');
    expect(toE164('01712-345678', 'BD')).toBe('+8801712345678');
    expect(toE164('01712-345678', 'BD')).toBe('+8801712345678'); // memoised: same answer
    expect(toE164('+256 772 123456')).toBe('+256772123456');
  });

  it('rejects what is not a valid number of a served country', () => {
    for (const bad of ['', 'abc', '123', '+254 12', '0712 345 678 999', '+1 202 555 0100']) {
      expect(toE164(bad, 'KE')).toBeUndefined();
    }
  });

  it('gives the same E.164 for every way of writing a Kenyan mobile number', () => {
    const subscriber = fc.stringMatching(/^7[0-9]{8}$/);
    fc.assert(
      fc.property(subscriber, (n) => {
        const e164 = toE164(`+254${n}`, 'KE');
        if (e164 === undefined) return true; // not an allocated range
        expect(toE164(`0${n}`, 'KE')).toBe(e164);
        expect(toE164(`254${n}`, 'KE')).toBe(e164);
        expect(toE164(`0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, 'KE')).toBe(e164);
        return true;
      }),
    );
  });
});

describe('numbers as the gateway reports them', () => {
  it('accepts E.164 of a served country and refuses anything else', () => {
    expect(gatewayE164('+254711000001')).toBe('+254711000001');
    expect(gatewayE164('+880 1712-345678')).toBe('+8801712345678');
    for (const bad of ['0711000001', '254711000001', '+1 202 555 0100', '+2547', '+254711000001999999', 'abc', '']) {
      expect(gatewayE164(bad), bad).toBeUndefined();
    }
  });

  it('agrees with libphonenumber-js on valid numbers of served countries', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^7[0-9]{8}$/), (n) => {
        const full = toE164(`+254${n}`);
        return full === undefined || gatewayE164(full) === full;
      }),
    );
  });
});
