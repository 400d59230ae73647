import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitsUssd, ScreenTooLongError } from '../../functions/core/ussd/limits.js';
import { paginateOptions, renderScreen } from '../../functions/core/ussd/screen.js';

describe('USSD screen renderer', () => {
  it('accepts 160 GSM-7 characters with the prefix and refuses 161', () => {
    expect(renderScreen('CON', ['a'.repeat(156)])).toHaveLength(160);
    expect(() => renderScreen('CON', ['a'.repeat(157)])).toThrow(ScreenTooLongError);
  });

  it('counts extension characters twice', () => {
    expect(() => renderScreen('END', ['€'.repeat(78)])).not.toThrow();
    expect(() => renderScreen('END', ['€'.repeat(79)])).toThrow(ScreenTooLongError);
  });

  it('limits a UCS-2 screen to 80 characters', () => {
    expect(renderScreen('CON', ['আ'.repeat(76)])).toHaveLength(80);
    expect(() => renderScreen('CON', ['আ'.repeat(77)])).toThrow(ScreenTooLongError);
  });

  it('shows a notice above the screen, giving up the lead text rather than overflow', () => {
    expect(renderScreen('CON', ['Question?', '1. Yes'], 'Please choose.')).toBe('CON Please choose.\nQuestion?\n1. Yes');
    const long = 'x'.repeat(140);
    expect(renderScreen('CON', [long, '98. More'], 'Please choose one of the numbers shown.')).toBe(
      'CON Please choose one of the numbers shown.\n98. More',
    );
    expect(renderScreen('CON', [long], 'Please choose one of the numbers shown.')).toBe(`CON ${long}`);
  });

  it('paginates any option list into screens that fit, in order, each option once', () => {
    const option = fc.string({ minLength: 1, maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'a'));
    fc.assert(
      fc.property(fc.array(option, { minLength: 1, maxLength: 40 }), fc.boolean(), (labels, backOnFirst) => {
        const options = labels.map((l, i) => `${i + 1}. ${l}`);
        const nav = { more: '98. More', back: '0. Back' };
        const pages = paginateOptions('Menu', options, nav, { backOnFirstPage: backOnFirst });
        expect(pages.flatMap((p) => p.options)).toEqual(options);
        pages.forEach((p, i) => {
          expect(p.hasMore).toBe(i < pages.length - 1);
          const lines = ['Menu', ...p.options, ...(p.hasMore ? [nav.more] : []), ...(i > 0 || backOnFirst ? [nav.back] : [])];
          expect(fitsUssd(`CON ${lines.join('\n')}`)).toBe(true);
        });
      }),
    );
  });
});
