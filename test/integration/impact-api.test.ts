import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { DynamoUssdStore } from '../../functions/adapters/dynamo/ussd-store.js';
import type { WeekRecord } from '../../functions/core/diary/week-record.js';
import { studyWeeks } from '../../functions/core/time/study-calendar.js';
import { DEFAULT_OUTCOMES } from '../../functions/core/impact/outcomes.js';
import type { ImpactReport } from '../../functions/core/impact/report.js';
import type { AnswerValue, Study } from '../../functions/core/model.js';
import { type ApiHandler, apiHandler, callApi } from '../support/api.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

/**
 * The impact report over the admin API against DynamoDB Local: a study created, enrolled from
 * CSV and randomized by stratum through the API; diary weeks written as the USSD hop writes
 * them (DynamoUssdStore.saveWeek) with a planted savings effect; lessons finished by some of
 * the treated. POST /impact answers the report with every default outcome and the HTML page;
 * NGO staff may not read it.
 */
let t: TestTable;
let api: ApiHandler;
const now = Date.parse('2026-11-24T09:00:00Z'); // study week 7 of a study starting 2026-10-05

beforeAll(async () => {
  t = await createTestTable();
  api = await apiHandler(t, { 'r-token': { role: 'researcher', name: 'Dr R' }, 'n-token': { role: 'ngo' }, 'a-token': { role: 'admin' } }, { now: () => now });
});

const call = (method: string, path: string, body?: unknown, token = 'r-token') => callApi(api, method, path, { token, ...(body === undefined ? {} : { body }) });

const study = {
  studyId: 'kisumu-impact', name: 'Kisumu <textile> workers', country: 'KE', timeZone: 'Africa/Nairobi', languages: ['en', 'sw'],
  serviceCode: '*384*901#', contact: '0800 000 901', startsOn: '2026-10-05',
  arms: [{ armId: 'lessons', name: 'Lessons', ratio: 1, treatment: true }, { armId: 'diary', name: 'Diary only', ratio: 1, treatment: false }],
  providers: [{ id: 'mpesa', name: 'M-Pesa', kind: 'mobile_money' }],
};

function csv(count: number): string {
  const rows = Array.from({ length: count }, (_, n) =>
    `07${String(13000000 + n).padStart(8, '0')},sw,${n % 2 === 0 ? 'day' : 'night'},factory-${n % 5},consented,2026-11-v2,${20 + (n % 17)},${n % 3 === 0 ? 'bank' : 'cash'}`,
  );
  return ['phone,language,stratum,cluster,consent,consent_version,age,pay_method', ...rows].join('\n');
}

/** A small deterministic wobble, so outcomes vary without a random generator. */
const wobble = (i: number, w: number) => ((i * 37 + w * 11) % 17) - 8;

describe('the impact report over the API', () => {
  it('is computed from the study as stored: every default outcome, and the HTML page', async () => {
    expect((await call('POST', '/studies', study)).status).toBe(201);
    expect((await call('POST', `/studies/${study.studyId}/participants/import`, { csv: csv(40) })).body).toMatchObject({ created: 40 });
    expect((await call('POST', `/studies/${study.studyId}/randomize`, { method: 'block', seed: 901 })).status).toBe(200);

    const people = await new DynamoParticipantStore(t.doc, t.tableName).listByStudy(study.studyId);
    expect(people).toHaveLength(40);
    const stored = (await call('GET', '/studies')).body.studies as Study[];
    const calendar = studyWeeks(stored.find((s) => s.studyId === study.studyId) as Study, new Date(now));
    expect(calendar.map((w) => w.studyWeek)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(calendar[0]?.id).toBe('2026-W41');

    const ussd = new DynamoUssdStore(t.doc, t.tableName);
    const stamp = new Date(now).toISOString();
    let i = 0;
    let treatedSeen = 0;
    for (const p of people) {
      const treated = p.armId === 'lessons';
      // Half the treated finish the first module (all four lessons of digital_wage_account).
      if (treated && treatedSeen++ % 2 === 0) {
        const lessons = Object.fromEntries(
          ['what_the_account_is', 'how_wage_arrives', 'checking_balance', 'sim_and_id'].map((l, k) => [`digital_wage_account/${l}`, { choice: 'a', correct: k % 2 === 0, at: '2026-10-14T10:00:00.000Z', sessionId: `s-${i}` }]),
        );
        await ussd.saveParticipant({ ...p, lessons, updatedAt: stamp }, p.updatedAt);
      }
      for (const w of calendar) {
        if ((i + w.studyWeek) % 5 === 0) continue; // some weeks unanswered
        const answers: Record<string, AnswerValue> = {
          wage_received: 'yes',
          wage_how: (i + w.studyWeek) % 3 === 0 ? 'cash' : 'mobile_money',
          saved_amount: 1000 + 20 * wobble(i, w.studyWeek) + (treated && w.studyWeek > 0 ? 400 : 0),
          [['respect', 'choice', 'voice', 'control'][w.studyWeek % 4] as string]: [['yes', 'no'], ['yes', 'no'], ['not_complained', 'solved'], ['self', 'joint']][w.studyWeek % 4]?.[(i + w.studyWeek) % 2] as string,
        };
        if (answers.wage_how !== 'cash') answers.fee_paid = (i + w.studyWeek) % 4 === 0 ? 'yes' : 'no';
        const record: WeekRecord = {
          studyId: study.studyId, participantId: p.participantId, phone: p.phone, week: w.id, studyWeek: w.studyWeek,
          questionnaireId: 'diary', questionnaireVersion: 1,
          answers: Object.fromEntries(Object.entries(answers).map(([k, value]) => [k, { value, at: stamp, channel: 'ussd' as const }])),
          complete: true, version: 1, createdAt: stamp, updatedAt: stamp,
        };
        await ussd.saveWeek(record, undefined);
      }
      i += 1;
    }

    const res = await call('POST', `/studies/${study.studyId}/impact`);
    expect(res.status).toBe(200);
    const report = res.body.report as ImpactReport;
    const html = res.body.html as string;
    expect(report.design).toMatchObject({ method: 'block', methodSource: 'randomization record', blocked: true, headline: 'dim', clustersKnown: true, nClusters: 5 });
    expect(report.currentStudyWeek).toBe(7);
    const [comparison] = report.comparisons;
    expect(comparison?.outcomes.map((o) => o.outcomeId)).toEqual(DEFAULT_OUTCOMES.map((o) => o.id));
    const savings = comparison?.outcomes.find((o) => o.outcomeId === 'weekly_savings');
    expect(savings?.dim?.design).toBe('blocked');
    expect(savings?.headline?.estimate).toBeGreaterThan(300);
    expect(savings?.headline?.estimate).toBeLessThan(500);
    expect(savings?.ols?.covariates).toContain('baseline');
    expect(savings?.cr2?.nClusters).toBe(5);
    expect(savings?.complier?.endogenous).toBe('completed at least one module');
    expect(savings?.complier?.firstStage.estimate).toBeCloseTo(0.5, 1);
    const digital = comparison?.outcomes.find((o) => o.outcomeId === 'digital_pay_share');
    expect(digital?.baseline).toMatchObject({ used: true, observed: 40 });
    const quiz = comparison?.outcomes.find((o) => o.outcomeId === 'quiz_score');
    expect(quiz).toMatchObject({ role: 'descriptive', means: { treatment: { n: 10, mean: 0.5 }, control: { n: 0 } } });
    expect(report.responseRates).toHaveLength(8);
    expect(report.responseRates[1]?.arms.map((a) => a.enrolled)).toEqual([20, 20]);
    expect(report.balance[0]?.covariates).toEqual(['age']);
    expect(report.weekly).toHaveLength(DEFAULT_OUTCOMES.length);

    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('Kisumu &lt;textile&gt; workers');
    expect(html).not.toMatch(/<script|https?:\/\//i);
    expect((html.match(/<svg /g) ?? []).length).toBe(DEFAULT_OUTCOMES.length + 1);
    // Phone numbers are not in the report.
    expect(JSON.stringify(res.body)).not.toContain('+25471300');
  });

  it('is for researchers and admins only, and names a missing study', async () => {
    expect((await call('POST', `/studies/${study.studyId}/impact`, undefined, 'n-token')).status).toBe(403);
    expect((await call('POST', `/studies/${study.studyId}/impact`, undefined, 'a-token')).status).toBe(200);
    expect(await call('POST', '/studies/nowhere/impact')).toEqual({ status: 404, body: { error: 'No study "nowhere".' } });
    expect((await call('GET', `/studies/${study.studyId}/impact`)).status).toBe(405);
  });
});
