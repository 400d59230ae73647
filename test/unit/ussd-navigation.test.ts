import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { BACK, MORE, navLines, turnPage } from '../../functions/core/ussd/navigation.js';

describe('USSD navigation keys', () => {
  it('every language labels More and Back with the keys the flows read', () => {
    for (const [lang, s] of Object.entries(content.strings)) {
      expect(s.more.startsWith(`${MORE}. `), `${lang}: ${s.more}`).toBe(true);
      expect(s.back.startsWith(`${BACK}. `), `${lang}: ${s.back}`).toBe(true);
    }
  });

  it('turns pages within bounds and says when a key leads off either end', () => {
    expect(turnPage(MORE, 0, 3)).toEqual({ to: 1 });
    expect(turnPage(MORE, 2, 3)).toBe('afterLast');
    expect(turnPage(BACK, 2, 3)).toEqual({ to: 1 });
    expect(turnPage(BACK, 0, 3)).toBe('beforeFirst');
    expect(turnPage('1', 1, 3)).toBeUndefined();
    // A page beyond the last (the content shrank since) still goes back one, never forward.
    expect(turnPage(MORE, 5, 3)).toBe('afterLast');
    expect(turnPage(BACK, 5, 3)).toEqual({ to: 4 });
  });

  it('shows only the navigation lines that lead somewhere', () => {
    const s = { more: '98. More', back: '0. Back' };
    expect(navLines(s, { more: true, back: true })).toEqual(['98. More', '0. Back']);
    expect(navLines(s, { more: false, back: true })).toEqual(['0. Back']);
    expect(navLines(s, { more: true, back: false })).toEqual(['98. More']);
    expect(navLines(s, { more: false, back: false })).toEqual([]);
  });
});
