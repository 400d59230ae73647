import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONSENT_LABELS, consentLabel } from '../../functions/core/console/labels.js';
import { participantTimeline } from '../../functions/core/console/timeline.js';
import { content } from '../../content/index.js';
import { study } from '../support/fixtures.js';

/** One word per participant state, everywhere the console shows one. */
describe('participant state labels', () => {
  const at = '2026-11-20T08:00:00.000Z';
  const withdrawn = { studyId: 's', participantId: 'p_1', consent: { state: 'withdrawn' as const, at, channel: 'sms' as const }, source: 'import' as const, createdAt: at, updatedAt: at };

  it('a timeline says the same word for an opt-out as the overview and the list', () => {
    const tl = participantTimeline({ study: study(), content, participant: withdrawn, weeks: [], complaints: [], messages: [] });
    expect(tl.events.find((e) => e.kind === 'consent' && e.status === 'withdrawn')?.title).toBe(`Consent: ${CONSENT_LABELS.withdrawn}`);
    expect(consentLabel('withdrawn')).toBe('Opted out');
  });

  it('the console pages take the words from the one table, not their own', () => {
    for (const page of ['web/src/pages/Overview.tsx', 'web/src/pages/Participants.tsx']) {
      const source = readFileSync(page, 'utf8');
      expect(source, page).toMatch(/CONSENT_LABELS|consentLabel/);
      for (const word of Object.values(CONSENT_LABELS)) expect(source, `${page} spells "${word}" itself`).not.toMatch(new RegExp(`>\\s*${word}\\s*<`));
      expect(source, page).not.toMatch(/\{p\.consent\}|\{d\.participant\.consent\}/);
    }
  });
});
