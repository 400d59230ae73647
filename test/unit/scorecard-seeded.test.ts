import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { caseSla, slaStatus } from '../../functions/core/cases/sla.js';
import type { Provider } from '../../functions/core/model.js';
import { scorecardHtml } from '../../functions/core/scorecard/html.js';
import { computeScorecard, scorecardJson, type ScorecardDocument } from '../../functions/core/scorecard/publish.js';
import { seededStudy } from '../support/scorecard-study.js';

const K = 10;
const NOW = new Date('2026-05-04T06:00:00Z');
const categories = (content.complaints?.categories ?? []).map((c) => ({ name: c.name, label: c.label.en ?? c.name }));
const names = categories.map((c) => c.name);
const providers: Provider[] = [
  { id: 'mpesa', name: 'M-Pesa', kind: 'mobile_money', publicName: 'Safaricom M-Pesa' },
  { id: 'smallbank', name: 'Small Bank', kind: 'bank' },
];
const weeks = ['2026-W10', '2026-W11', '2026-W12', '2026-W13', '2026-W14', '2026-W15'];
const demo = seededStudy(20, { studyId: 'demo', participants: 150, weeks, providers, rate: { mpesa: 0.12, smallbank: 0.005 }, categories: names });
const closed = seededStudy(21, { studyId: 'private', participants: 40, weeks, providers, rate: { mpesa: 0.3, smallbank: 0.3 }, categories: names, publish: false });
const doc = computeScorecard([demo, closed], { k: K, now: NOW, categories });

/** The rules restated plainly, one provider and month at a time, from the seeded records. */
function expected(providerId: string, month: string) {
  const provider = providers.find((p) => p.id === providerId)!;
  const research = new Set(demo.participants.filter((p) => !p.training).map((p) => p.participantId));
  const monthOf = (week: string) => {
    const n = Number(week.slice(6));
    // 2026: W10-W13 have their Thursday in March, W14-W15 in April.
    return n <= 13 ? '2026-03' : '2026-04';
  };
  const complainers = new Set(demo.complaints.filter((c) => c.provider === providerId).map((c) => c.participantId));
  const reach = provider.kind === 'bank' ? ['bank', 'mixed'] : ['mobile_money', 'mixed'];
  let pw = 0;
  const respect: [number, number] = [0, 0];
  const choice: [number, number] = [0, 0];
  for (const w of demo.weeks) {
    if (!research.has(w.participantId) || monthOf(w.week) !== month) continue;
    const p = demo.participants.find((x) => x.participantId === w.participantId)!;
    const method = w.answers.wage_how?.value ?? p.baseline?.answers.pay_method;
    if (!reach.includes(String(method)) && !complainers.has(w.participantId)) continue;
    pw += 1;
    for (const [id, tally] of [['respect', respect], ['choice', choice]] as const) {
      const v = w.answers[id]?.value;
      if (v === 'yes' || v === 'no') { tally[1] += 1; if (v === 'yes') tally[0] += 1; }
    }
  }
  const merged = new Set(demo.cases.filter((c) => c.mergedInto).map((c) => c.ref));
  const mine = demo.complaints.filter((c) => c.provider === providerId && research.has(c.participantId) && monthOf(c.week) === month && !merged.has(c.ref));
  const complaints = mine.filter((c) => c.kind !== 'kudos');
  const cases = demo.cases.filter((c) => c.provider === providerId && research.has(c.participantId) && monthOf(c.week) === month && !c.mergedInto);
  const sla = caseSla({ country: 'KE' });
  const statuses = cases.map((c) => slaStatus(c, NOW, sla, 'Africa/Nairobi'));
  const ack = statuses.filter((s) => s.acknowledge === 'met' || s.acknowledge === 'missed');
  const res = statuses.filter((s) => ['met', 'missed', 'overdue'].includes(s.resolve));
  const days = cases.filter((c) => c.resolvedAt).map((c) => (Date.parse(c.resolvedAt!) - Date.parse(c.receivedAt)) / 86_400_000).sort((a, b) => a - b);
  const answered = cases.filter((c) => c.solved !== undefined);
  return {
    pw, complaints: complaints.length, kudos: mine.length - complaints.length,
    byCategory: Object.fromEntries(names.map((n) => [n, complaints.filter((c) => c.category === n).length])),
    ack: [ack.filter((s) => s.acknowledge === 'met').length, ack.length], res: [res.filter((s) => s.resolve === 'met').length, res.length],
    days, solved: [answered.filter((c) => c.solved).length, answered.length], respect, choice,
  };
}

const shareOk = (published: number | null, [yes, base]: number[]) => {
  if (base! < K) return published === null;
  return published === Math.round((100 * yes!) / base!) / 100;
};

describe('the scorecard of a seeded study', () => {
  it('shows the big provider, not the small one, and nothing of the study that did not opt in', () => {
    expect(new Set(doc.rows.map((r) => r.provider))).toEqual(new Set(['Safaricom M-Pesa']));
    expect(doc.providersNotShown).toBe(1);
    expect(doc.rows.map((r) => r.month)).toEqual(['2026-03', '2026-04']);
  });

  it('checks every published number against the rules', () => {
    for (const row of doc.rows) {
      const e = expected('mpesa', row.month);
      expect(row.participantWeeks).toBe(e.pw);
      expect(row.complaints).toBe(e.complaints);
      expect(row.complaints).toBeGreaterThanOrEqual(K);
      expect(row.participantWeeks).toBeGreaterThanOrEqual(K);
      expect(row.complaintsPer1000).toBe(Math.round((10_000 * e.complaints) / e.pw) / 10);
      expect(row.kudos).toBe(e.kudos >= K ? e.kudos : null);
      expect(row.kudosPer1000).toBe(e.kudos >= K ? Math.round((10_000 * e.kudos) / e.pw) / 10 : null);
      for (const n of names) {
        const published = row.byCategory[n];
        if (published !== null) expect(published).toBe(e.byCategory[n]);
        if ((e.byCategory[n] ?? 0) < K) expect(published).toBeNull();
      }
      const hidden = names.filter((n) => row.byCategory[n] === null);
      expect(hidden.length).not.toBe(1);
      if (hidden.length) expect(hidden.reduce((s, n) => s + (e.byCategory[n] ?? 0), 0)).toBeGreaterThanOrEqual(K);
      expect(shareOk(row.acknowledgedWithinSla, e.ack)).toBe(true);
      expect(shareOk(row.resolvedWithinSla, e.res)).toBe(true);
      expect(shareOk(row.saidSolved, e.solved)).toBe(true);
      expect(shareOk(row.respect, e.respect)).toBe(true);
      expect(shareOk(row.choice, e.choice)).toBe(true);
      const mid = e.days.length % 2 ? e.days[(e.days.length - 1) / 2]! : (e.days[e.days.length / 2 - 1]! + e.days[e.days.length / 2]!) / 2;
      expect(row.medianDaysToResolve).toBe(e.days.length >= K ? Math.round(10 * mid) / 10 : null);
    }
    // The seed makes the rules bite: something is withheld and something is shown.
    expect(doc.rows.some((r) => Object.values(r.byCategory).some((v) => v === null))).toBe(true);
    expect(doc.rows.some((r) => Object.values(r.byCategory).some((v) => v !== null))).toBe(true);
    expect(doc.rows.some((r) => r.resolvedWithinSla !== null)).toBe(true);
  });

  it('publishes no free text, reference, participant id, phone, factory, cluster or day', () => {
    for (const out of [scorecardJson(doc), scorecardHtml(doc)]) {
      for (const t of demo.texts.slice(0, 50)) expect(out).not.toContain(t);
      expect(out).not.toMatch(/R\d{5}|demo-P\d{4}|private|\+254|factory-\d|participantId|"cluster"|"ref"/i);
      const days = out.match(/\d{4}-\d{2}-\d{2}/g) ?? [];
      expect(new Set(days)).toEqual(new Set([doc.dataAsOf]));
      // Providers go by their public name; one not shown is not named.
      expect(out).not.toMatch(/"M-Pesa"|>M-Pesa<|Small Bank/);
    }
  });
});

describe('the scorecard page', () => {
  it('is well-formed, self-contained HTML with charts and a methods note', () => {
    const html = scorecardHtml(doc);
    wellFormed(html);
    expect(html).not.toMatch(/<script|<link|<img|url\(/i);
    expect(html.match(/<svg role="img" aria-label="[^"]+"/g)).toHaveLength(doc.rows.length);
    expect(html).toContain('Consumer Financial Protection Bureau');
    expect(html).toContain('Financial Conduct Authority');
    expect(html).toContain(`Data as of ${doc.dataAsOf}`);
  });

  it('says so when no provider qualifies, instead of an empty table', () => {
    const empty: ScorecardDocument = computeScorecard([closed], { k: K, now: NOW, categories });
    expect(empty.rows).toEqual([]);
    const html = scorecardHtml(empty);
    wellFormed(html);
    expect(html).toContain('No provider has enough data to be shown yet');
    expect(html).not.toContain('<table');
  });

  it('escapes provider names', () => {
    const tricky = seededStudy(20, { studyId: 'demo', participants: 80, weeks, providers: [{ ...providers[0]!, publicName: '<b>M&P</b>' }], rate: { mpesa: 0.12 }, categories: names });
    const html = scorecardHtml(computeScorecard([tricky], { k: K, now: NOW, categories }));
    wellFormed(html);
    expect(html).toContain('&lt;b&gt;M&amp;P&lt;/b&gt;');
  });
});

const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);
const SVG_EMPTY = new Set(['rect', 'circle', 'path', 'line']);

/** A strict parse: balanced tags, quoted attributes, known entities, unique ids, one root. */
function wellFormed(html: string): void {
  expect(html.startsWith('<!doctype html>\n')).toBe(true);
  const body = html.slice('<!doctype html>\n'.length);
  const stack: string[] = [];
  const ids = new Set<string>();
  const token = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  let roots = 0;
  while ((m = token.exec(body))) {
    if (m[6]) throw new Error(`stray "<" at ${m.index}: ${body.slice(m.index, m.index + 40)}`);
    if (m[5] !== undefined) {
      for (const e of m[5].match(/&[^;\s]*;?/g) ?? []) expect(e, 'entity').toMatch(/^&(amp|lt|gt|quot|#39);$/);
      if (stack.length === 0) expect(m[5].trim()).toBe('');
      continue;
    }
    const [, close, name, attrs, selfClose] = m as unknown as [string, string, string, string, string];
    for (const id of (attrs ?? '').match(/\sid="([^"]*)"/g) ?? []) {
      expect(ids.has(id), `duplicate ${id}`).toBe(false);
      ids.add(id);
    }
    if (close) {
      expect(stack.pop(), `closing </${name}>`).toBe(name);
    } else if (!VOID.has(name) && !(selfClose && SVG_EMPTY.has(name))) {
      if (stack.length === 0) roots += 1;
      stack.push(name);
    } else if (selfClose && !SVG_EMPTY.has(name)) {
      throw new Error(`<${name}/> is not allowed`);
    }
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}
