import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { contentProblems } from '../../functions/core/content/check.js';
import type { Keywords } from '../../functions/core/content/schema.js';
import { asciiDigits, keywordOf, normalizeSms } from '../../functions/core/sms/keywords.js';

const keywords = content.keywords as Keywords;

describe('inbound SMS keywords', () => {
  it('recognises STOP, START and HELP in every language, and English everywhere', () => {
    expect(keywordOf('STOP', keywords)).toBe('stop');
    expect(keywordOf('stop.', keywords)).toBe('stop');
    expect(keywordOf('  Simama! ', keywords)).toBe('stop');
    expect(keywordOf('বন্ধ', keywords)).toBe('stop');
    expect(keywordOf('বন্ধ করুন।', keywords)).toBe('stop');
    expect(keywordOf('Anza', keywords)).toBe('start');
    expect(keywordOf('?', keywords)).toBe('help');
    expect(keywordOf('MSAADA', keywords)).toBe('help');
  });

  it('takes only a whole message as a keyword', () => {
    for (const text of ['stop the agent', 'please help me with fees', 'D 8000', '', '   ', '...']) {
      expect(keywordOf(text, keywords), text).toBeUndefined();
    }
  });

  it('ignores case, punctuation and spacing around any keyword', () => {
    const all = (['stop', 'start', 'help'] as const).flatMap((intent) =>
      Object.values(keywords[intent]).flat().filter((w) => w !== '?').map((w) => [intent, w] as const),
    );
    const punct = fc.constantFrom('', '.', '!', '!!', ' ', '"', '*', '...', '،', '।');
    fc.assert(
      fc.property(fc.constantFrom(...all), punct, punct, fc.boolean(), ([intent, word], before, after, upper) => {
        const text = `${before}${upper ? word.toUpperCase() : word}${after}`;
        return keywordOf(text, keywords) === intent;
      }),
    );
  });

  it('reads digits of any script as ASCII', () => {
    expect(asciiDigits('D ৮০০০ M ২০০')).toBe('D 8000 M 200');
    expect(asciiDigits('٣٤٥ and ७८९ and 0')).toBe('345 and 789 and 0');
    expect(normalizeSms('P: Agent  refused!!')).toBe('p agent refused');
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), (n) => {
        const bengali = String(n).replace(/\d/g, (d) => String.fromCodePoint(0x09e6 + Number(d)));
        return asciiDigits(bengali) === String(n);
      }),
    );
  });

  it('makes the content check refuse a word that means two things, or a missing language', () => {
    const broken = structuredClone(content);
    broken.keywords?.start.en?.push('Stop!');
    if (broken.keywords) delete broken.keywords.help.bn;
    const problems = contentProblems(broken);
    expect(problems).toContain('keywords: "Stop!" is both stop and start');
    expect(problems).toContain('keywords.help: missing "bn"');
  });
});
