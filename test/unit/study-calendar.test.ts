import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { planDataset } from '../../functions/core/export/datasets.js';
import type { ExportSource } from '../../functions/core/ports/exports.js';
import { studyKey } from '../../functions/core/export/pseudonym.js';
import { studyHasStarted, studyStart, studyWeekAt, studyWeeks } from '../../functions/core/time/study-calendar.js';
import { participant, study } from '../support/fixtures.js';

/** The one study calendar, and the one place its readers differ: before the start instant. */
describe('study calendar', () => {
  const kenya = study({ startsOn: '2026-11-23', timeZone: 'Africa/Nairobi' });

  it('opens each week at Monday 00:00 local, the instant after the previous week closed', () => {
    const weeks = studyWeeks(kenya, new Date('2026-12-09T09:00:00Z'));
    expect(weeks.map((w) => w.opensAt.toISOString())).toEqual(['2026-11-22T21:00:00.000Z', '2026-11-29T21:00:00.000Z', '2026-12-06T21:00:00.000Z']);
    for (const [k, w] of weeks.entries()) if (k > 0) expect(w.opensAt.getTime()).toBe((weeks[k - 1]?.closesAt.getTime() ?? 0) + 1);
    expect(studyWeekAt(kenya, new Date('2026-12-09T09:00:00Z'))).toMatchObject({ id: '2026-W50', studyWeek: 2 });
  });

  it('before the start instant gives the first week, and the response dataset no rows', async () => {
    // Monday 08:00 UTC: the first week opened at 21:00 UTC on Sunday; the study starts at noon UTC.
    const now = new Date('2026-11-23T08:00:00Z');
    expect(studyStart(kenya).toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(studyHasStarted(kenya, now)).toBe(false);
    expect(studyWeeks(kenya, now).map((w) => w.id)).toEqual(['2026-W48']);
    const source: ExportSource = {
      async *participants() { yield [participant({ studyId: kenya.studyId })]; },
      weeks: async () => [],
      complaints: async () => [],
      async *messages() {},
    };
    const ctx = { study: kenya, content, key: studyKey('unit-test-secret-of-some-length', kenya.studyId), includePhone: false };
    const count = async (at: Date) => {
      let n = 0;
      for await (const batch of planDataset('response', { ...ctx, now: at }, source).rows) n += batch.length;
      return n;
    };
    expect(await count(now)).toBe(0);
    expect(await count(new Date('2026-11-23T12:00:00Z'))).toBe(1);
  });
});
