import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { type Content, contentProblems, contentSchema } from '../../functions/core/content/schema.js';
import { type FlowContext, view } from '../../functions/core/ussd/flow.js';
import type { UssdState } from '../../functions/core/ussd/session.js';
import { buildPhoneMetadata, phoneMetadataPath } from '../../infra/phone-metadata.js';
import { participant, study } from '../support/fixtures.js';

describe('content', () => {
  it('matches the content schema', () => {
    const parsed = contentSchema.safeParse(content);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('has every translation and no inconsistencies', () => {
    expect(contentProblems(content)).toEqual([]);
  });

  it('reports a missing translation', () => {
    const broken = structuredClone(content) as Content;
    const q = broken.baseline.questions[0];
    if (q) delete q.label.sw;
    delete broken.consent.pages.sw;
    expect(contentProblems(broken)).toEqual([
      'consent: missing pages for "sw"',
      `baseline.${q?.id}: missing label in "sw"`,
    ]);
  });

  it('renders every enrolment screen within the USSD limit, with and without error notices', () => {
    const ctx: FlowContext = { study: study(), content };
    const s = (l: string) => content.strings[l] as NonNullable<(typeof content.strings)[string]>;
    const states: UssdState[] = [{ at: 'language' }];
    for (const lang of content.languages) {
      const pages = content.consent.pages[lang] ?? [];
      pages.forEach((_, page) => states.push({ at: 'consent', lang, page }));
      content.baseline.questions.forEach((_, index) => states.push({ at: 'baseline', lang, index, answers: {} }));
      states.push({ at: 'declinedBefore', lang });
      for (const message of ['enrolled', 'declined', 'goodbye'] as const) states.push({ at: 'ended', lang, message });
      for (const item of ['diary', 'lessons', 'summary', 'problem', 'settings'] as const) states.push({ at: 'comingSoon', lang, item });
      for (const state of states.filter((st) => !('lang' in st) || st.lang === lang)) {
        for (const notice of [undefined, s(lang).invalidChoice, s(lang).invalidNumber]) {
          expect(() => view(state, ctx, notice)).not.toThrow();
        }
      }
      for (const armId of ['treatment', 'control']) {
        const menu = view({ at: 'menu', lang, page: 0 }, { ...ctx, participant: participant({ armId, lang }) });
        expect(menu.startsWith('CON ')).toBe(true);
      }
    }
  });

  it('keeps the committed phone metadata in step with libphonenumber-js (run npm run phone:metadata)', () => {
    expect(readFileSync(phoneMetadataPath, 'utf8')).toBe(buildPhoneMetadata());
  });
});
