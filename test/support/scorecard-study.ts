/** Seeded, made-up studies for the scorecard tests: participants, diary weeks, complaints, kudos and cases. */
import type { ComplaintCase } from '../../functions/core/cases/model.js';
import type { WeekRecord } from '../../functions/core/diary/week-record.js';
import type { Complaint, Participant, Provider } from '../../functions/core/model.js';
import type { ScorecardStudy } from '../../functions/core/scorecard/compute.js';
import { isoWeekMonday } from '../../functions/core/console/weeks.js';
import { createRng } from '../../functions/core/randomize/rng.js';

export interface StudyShape {
  studyId: string;
  participants: number;
  weeks: string[];
  providers: Provider[];
  /** Chance a participant-week brings a complaint (and, half as often, kudos) about each provider. */
  rate: Record<string, number>;
  categories: string[];
  publish?: boolean;
}

const METHODS = ['cash', 'bank', 'mobile_money', 'mixed'];
const YN = ['yes', 'no', 'not_applicable'];

export function seededStudy(seed: number, shape: StudyShape): ScorecardStudy & { texts: string[] } {
  const rng = createRng(seed);
  const rnd = () => rng.nextFloat();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const participants: Participant[] = [];
  const weeks: WeekRecord[] = [];
  const complaints: Complaint[] = [];
  const cases: ComplaintCase[] = [];
  const texts: string[] = [];
  for (let i = 0; i < shape.participants; i += 1) {
    const participantId = `${shape.studyId}-P${String(i).padStart(4, '0')}`;
    const phone = `+2547${String(10_000_000 + i).padStart(8, '0')}`;
    participants.push({
      studyId: shape.studyId, participantId, phone, consent: { state: 'consented' }, source: 'seed', cluster: `factory-${i % 3}`,
      baseline: { questionnaireId: 'baseline', questionnaireVersion: 1, answers: { pay_method: pick(METHODS) }, answeredAt: '2026-02-01T08:00:00.000Z', channel: 'ussd' },
      createdAt: '2026-02-01T08:00:00.000Z', updatedAt: '2026-02-01T08:00:00.000Z',
      ...(i % 17 === 16 ? { training: { tool: 'tour' as const, at: '2026-02-01T08:00:00.000Z' } } : {}),
    });
    for (const week of shape.weeks) {
      if (rnd() < 0.2) continue;
      const at = `${isoWeekMonday(week)}T09:00:00.000Z`;
      const answers: WeekRecord['answers'] = {};
      const put = (id: string, value: string | number | null) => { answers[id] = { value, at, channel: 'ussd' }; };
      const paid = rnd() < 0.8;
      put('wage_received', paid ? 'yes' : 'no');
      if (paid) put('wage_how', pick(METHODS));
      if (rnd() < 0.6) put('respect', pick(YN));
      if (rnd() < 0.6) put('choice', pick(YN));
      if (rnd() < 0.05) put('saved_amount', null);
      weeks.push({ studyId: shape.studyId, participantId, phone, week, studyWeek: 0, questionnaireId: 'diary', questionnaireVersion: 1, answers, complete: true, version: 1, createdAt: at, updatedAt: at });
      for (const provider of shape.providers) {
        const r = rnd();
        const rate = shape.rate[provider.id] ?? 0;
        if (r >= rate * 1.5) continue;
        const kudos = r >= rate;
        const ref = `R${String(complaints.length).padStart(5, '0')}`;
        const text = `words ${ref} about ${provider.id}`;
        const receivedAt = new Date(Date.parse(at) + Math.floor(rnd() * 5 * 86_400_000)).toISOString();
        const c: Complaint = { studyId: shape.studyId, participantId, phone, ref, provider: provider.id, category: pick(shape.categories), text, week, at: receivedAt, channel: 'ussd', sessionId: ref, ...(kudos ? { kind: 'kudos' as const } : {}) };
        complaints.push(c);
        texts.push(text);
        if (kudos) continue;
        const ackHours = rnd() < 0.9 ? rnd() * 96 : undefined;
        const resolveDays = ackHours !== undefined && rnd() < 0.8 ? 0.2 + rnd() * 14 : undefined;
        const plus = (ms: number) => new Date(Date.parse(receivedAt) + ms).toISOString();
        cases.push({
          studyId: shape.studyId, participantId, ref, provider: provider.id, category: c.category, channel: 'ussd', week, receivedAt, text, shareNumber: false,
          state: resolveDays === undefined ? (ackHours === undefined ? 'new' : 'acknowledged') : 'resolved',
          ...(ackHours !== undefined ? { acknowledgedAt: plus(ackHours * 3_600_000) } : {}),
          ...(resolveDays !== undefined ? { resolvedAt: plus(resolveDays * 86_400_000), ...(rnd() < 0.7 ? { solved: rnd() < 0.6 } : {}) } : {}),
          ...(rnd() < 0.03 ? { mergedInto: 'R00000', state: 'closed' as const } : {}),
          history: [], version: 1,
        });
      }
    }
  }
  return {
    study: { studyId: shape.studyId, publishScorecard: shape.publish ?? true, providers: shape.providers, timeZone: 'Africa/Nairobi', country: 'KE' },
    participants, weeks, complaints, cases, texts,
  };
}
