/**
 * Impact report on a large panel: `impactReport` (DEFAULT_OUTCOMES, CR2 headline) fed from a
 * CSV of one row per participant × week, against the floor of parsing that same CSV.
 *
 * A seeded generator writes the panel to a temporary CSV (not timed): N participants × 26
 * weeks, 200 clusters in 2 strata, whole clusters assigned to treatment or control, diary
 * answers that follow the questionnaire's skip logic and rotation, a baseline (pay method,
 * wage) and lessons for the treated. Then, per size:
 *  - floor: the CSV parsed with csv-parse (streaming, with the options `sauti analyze` uses)
 *    into row objects, each dropped;
 *  - timed: the same parse, the participants and DiaryWeekData built from the rows, and
 *    `impactReport`.
 * CR2 runs in full at both sizes (50 and 500 people a cluster): its per-cluster algebra is
 * k × k (functions/core/stats/ols.ts), so its cost grows with N, not with the cube of the
 * cluster size. `SAUTI_BENCH_SCALE` (e.g. 0.1) shrinks both sizes for a quick run.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { studyWeekIndexer, studyWeeks } from '../functions/core/time/study-calendar.js';
import { baselineValues, computeOutcome, DEFAULT_OUTCOMES, type DiaryWeekData, type OutcomeUnit } from '../functions/core/impact/outcomes.js';
import { type ImpactReport, impactReport } from '../functions/core/impact/report.js';
import type { DiaryAnswer } from '../functions/core/diary/week-record.js';
import type { AnswerValue, Participant, Study } from '../functions/core/model.js';
import { designMatrix, lmRobust } from '../functions/core/stats/ols.js';
import { seeded } from '../test/support/seeded.js';
import { type BenchResult, type MemoryPeak, type Metric, fullGc, mdTable, progress, sampleMemory, timed, times } from './lib.js';

const SCALE = Number(process.env.SAUTI_BENCH_SCALE ?? 1);
const LARGE = Math.max(1_000, Math.round(100_000 * SCALE));
const SMALL = Math.max(500, Math.round(10_000 * SCALE));
const WEEKS = 26;
const CLUSTERS = 200;
const SEED = 20_261_123;
const MB = 1024 * 1024;
/** Monday 5 January 2026 (Nairobi); the report runs on the Thursday of study week 25: weeks 0–25. */
const STARTS_ON = '2026-01-05';
const START = Date.parse(`${STARTS_ON}T12:00:00Z`);
const DAY = 86_400_000;
const NOW = new Date(START + (25 * 7 + 3) * DAY);
/** What the CLI's `sauti analyze` gives csv-parse. */
const PARSE_OPTIONS = { columns: true, skip_empty_lines: true, trim: true } as const;
const ITEMS = ['wage_received', 'wage_how', 'fee_paid', 'saved_amount', 'respect', 'choice', 'voice', 'control'] as const;
const NUMERIC = new Set<string>(['saved_amount']);
const HEADER = ['pid', 'arm', 'stratum', 'cluster', 'baseline_pay_method', 'baseline_wage', 'study_week', 'complete', ...ITEMS, 'lesson', 'lesson_correct'];

const int = (n: number): string => n.toLocaleString('en-US');
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mb = (n: number): string => `${(n / MB).toFixed(1)} MB`;
const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(0)}%`;

const study: Study = {
  studyId: 'bench-impact',
  name: 'Benchmark panel',
  country: 'KE',
  timeZone: 'Africa/Nairobi',
  languages: ['en', 'sw'],
  serviceCode: '*384*99#',
  contact: '0800 000 000',
  arms: [
    { armId: 'treatment', name: 'Education modules', ratio: 1, treatment: true },
    { armId: 'control', name: 'Diary only', ratio: 1, treatment: false },
  ],
  providers: [{ id: 'mpesa', name: 'M-Pesa', kind: 'mobile_money' }],
  startsOn: STARTS_ON,
  createdAt: new Date(START - 14 * DAY).toISOString(),
};

// ---------------------------------------------------------------------------------------------
// The panel, written as CSV (not timed).

/** Cluster c lies in stratum c % 2; within each stratum, a seeded half of the clusters is treated. */
function clusterArms(): boolean[] {
  const r = seeded(SEED);
  const treated = new Array<boolean>(CLUSTERS).fill(false);
  for (const s of [0, 1]) {
    const members = Array.from({ length: CLUSTERS }, (_, c) => c).filter((c) => c % 2 === s);
    for (let i = members.length - 1; i > 0; i -= 1) {
      const j = Math.floor(r() * (i + 1));
      [members[i], members[j]] = [members[j] as number, members[i] as number];
    }
    for (const c of members.slice(0, members.length / 2)) treated[c] = true;
  }
  return treated;
}

interface PanelFile {
  path: string;
  participants: number;
  rows: number;
  bytes: number;
}

/** N participants × WEEKS rows (a week with no answer is a row with empty answer cells). */
async function writePanel(path: string, n: number): Promise<PanelFile> {
  const treatedCluster = clusterArms();
  const r = seeded(SEED + n);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const amount = (mean: number, sd: number) => Math.max(0, Math.round((mean + sd * normal()) / 50) * 50);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const clusterEffect = Array.from({ length: CLUSTERS }, () => 150 * normal());
  const out = createWriteStream(path);
  let chunk = `${HEADER.join(',')}\r\n`;
  let rows = 0;
  for (let i = 0; i < n; i += 1) {
    const c = i % CLUSTERS;
    const treated = treatedCluster[c] === true;
    const who = [`p${String(i).padStart(7, '0')}`, treated ? 'treatment' : 'control', `s${c % 2}`, `c${String(c).padStart(3, '0')}`, pick(['cash', 'cash', 'bank', 'mobile_money', 'mixed']), String(amount(8000, 1500))].join(',');
    const saver = 200 * normal() + (clusterEffect[c] as number);
    for (let w = 0; w < WEEKS; w += 1) {
      const effect = treated && w > 0;
      const cells: string[] = new Array<string>(ITEMS.length + 2).fill('');
      let complete = '0';
      if (r() < (treated ? 0.85 : 0.8)) {
        complete = r() < 0.95 ? '1' : '0';
        const paid = r() < 0.9;
        cells[0] = paid ? 'yes' : 'no';
        if (paid) {
          const how = effect ? pick(['cash', 'bank', 'bank', 'mobile_money', 'mobile_money', 'mixed']) : pick(['cash', 'cash', 'bank', 'mobile_money', 'mixed']);
          cells[1] = how;
          if (how !== 'cash') cells[2] = pick(['yes', 'no', 'no', 'dont_know']);
        }
        cells[3] = String(Math.max(0, Math.round((600 + (effect ? 120 : 0) + saver + 300 * normal()) / 50) * 50));
        // One empowerment item a week, in rotation (respect, choice, voice, control).
        const k = 4 + (w % 4);
        cells[k] = [
          () => pick(['yes', 'yes', 'no', 'not_applicable']),
          () => pick(['yes', 'no', 'not_applicable']),
          () => pick(['no_problem', 'no_problem', 'not_complained', 'solved', 'not_solved']),
          () => pick(['self', 'joint', 'joint', 'someone_else']),
        ][w % 4]?.() ?? '';
      }
      // One module of six lessons, weeks 1–6, for the treated (most take them).
      if (treated && w >= 1 && w <= 6 && r() < 0.7) {
        cells[ITEMS.length] = `l${w}`;
        cells[ITEMS.length + 1] = r() < 0.75 ? '1' : '0';
      }
      chunk += `${who},${w},${complete},${cells.join(',')}\r\n`;
      rows += 1;
    }
    if (chunk.length > MB) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return { path, participants: n, rows, bytes: statSync(path).size };
}

// ---------------------------------------------------------------------------------------------
// Reading it back.

type Record = { [column: string]: string };

function records(path: string): AsyncIterable<Record> {
  return createReadStream(path, { highWaterMark: MB }).pipe(parse(PARSE_OPTIONS));
}

interface Panel {
  participants: Participant[];
  weeks: DiaryWeekData[];
}

/** The floor: every row parsed into an object, counted, dropped. */
async function parseOnly(path: string): Promise<number> {
  let n = 0;
  for await (const row of records(path)) if (row.pid) n += 1;
  return n;
}

/** Participants (once each, from their first row) and their answered weeks, as the API hands them to impactReport. */
async function buildPanel(path: string, withClusters: boolean): Promise<Panel> {
  const at = Array.from({ length: WEEKS }, (_, w) => new Date(START + (w * 7 + 2) * DAY).toISOString());
  const created = study.createdAt;
  const people = new Map<string, Participant>();
  const weeks: DiaryWeekData[] = [];
  for await (const row of records(path)) {
    const pid = row.pid as string;
    const studyWeek = Number(row.study_week);
    let p = people.get(pid);
    if (!p) {
      p = {
        studyId: study.studyId,
        participantId: pid,
        phone: `+2547${pid.slice(1)}`,
        consent: { state: 'consented', at: created, channel: 'import' },
        armId: row.arm as string,
        stratum: row.stratum as string,
        ...(withClusters ? { cluster: row.cluster as string } : {}),
        baseline: { questionnaireId: 'baseline', questionnaireVersion: 1, answers: { pay_method: row.baseline_pay_method as string, wage: Number(row.baseline_wage) }, answeredAt: created, channel: 'import' },
        source: 'import',
        createdAt: created,
        updatedAt: created,
      };
      people.set(pid, p);
    }
    if (row.lesson) {
      const lessons = p.lessons ?? (p.lessons = {});
      lessons[`m1/${row.lesson}`] = { choice: 'a', correct: row.lesson_correct === '1', at: at[studyWeek] as string, sessionId: 'import' };
    }
    let answers: { [item: string]: DiaryAnswer } | undefined;
    for (const item of ITEMS) {
      const v = row[item];
      if (!v) continue;
      const value: AnswerValue = NUMERIC.has(item) ? Number(v) : v;
      (answers ??= {})[item] = { value, at: at[studyWeek] as string, channel: 'ussd' };
    }
    if (answers) weeks.push({ participantId: pid, studyWeek, answers, complete: row.complete === '1' });
  }
  return { participants: [...people.values()], weeks };
}

// ---------------------------------------------------------------------------------------------
// Measurements.

interface Run {
  participants: number;
  rows: number;
  bytes: number;
  clusters: boolean;
  floorMs: number;
  floorHeap: number;
  /** Parse + build. */
  buildMs: number;
  reportMs: number;
  totalMs: number;
  heap: MemoryPeak;
  weeks: number;
  report: ImpactReport;
  breakdown: Breakdown;
}

interface Breakdown {
  /** computeOutcome + baselineValues for every outcome, as the report calls them. */
  outcomesMs: number;
  /** Of which the quiz score (a study-week lookup per lesson). */
  quizMs: number;
  /** The quiz score was timed on a tenth of the participants and scaled. */
  quizScaled: boolean;
  lessons: number;
  /** One CR2 fit (the savings ANCOVA: baseline, strata, Lin), when clusters are in. */
  cr2FitMs?: number;
  /** CR2 fits the report made (outcomes, complier first stage and 2SLS, attrition, balance). */
  cr2Fits: number;
}

/** CR2 fits the report ran: per ITT outcome the CR2 regression and, with a CR2 headline, the complier's two; attrition; balance. */
function countCr2(report: ImpactReport): number {
  let n = 0;
  for (const c of report.comparisons) {
    for (const o of c.outcomes) {
      if (o.cr2) n += 1;
      if (o.complier?.se === 'CR2') n += 2;
    }
    if (c.attrition.cr2) n += 1;
  }
  for (const b of report.balance) if (b.balance) n += 1;
  return n;
}

async function measure(file: PanelFile, withClusters: boolean): Promise<Run> {
  progress(`floor: parsing ${int(file.rows)} rows (${mb(file.bytes)})`);
  await fullGc();
  const floorMem = sampleMemory(50);
  const floor = await timed(() => parseOnly(file.path));
  const floorPeak = floorMem.stop();
  if (floor.result !== file.rows) throw new Error(`Parsed ${floor.result} rows, wrote ${file.rows}`);

  progress(`timed: parse + build + impactReport (${int(file.participants)} participants, ${withClusters ? 'CR2' : 'clusters left out'})`);
  await fullGc();
  const mem = sampleMemory(50);
  const start = performance.now();
  const panel = await buildPanel(file.path, withClusters);
  const buildMs = performance.now() - start;
  const report = impactReport({ study, participants: panel.participants, weeks: panel.weeks, now: NOW });
  const totalMs = performance.now() - start;
  const heap = mem.stop();
  checkReport(report, file.participants, withClusters);
  console.log(
    `  N=${int(file.participants)}${withClusters ? '' : ' (no clusters)'}: parse ${secs(floor.ms)}; parse + build ${secs(buildMs)}, impactReport ${secs(totalMs - buildMs)}, total ${secs(totalMs)} = ${times(totalMs / floor.ms)} floor; peak heap +${mb(heap.peakHeapIncrease)}`,
  );
  const breakdown = await explain(panel, report, withClusters);
  return {
    participants: file.participants, rows: file.rows, bytes: file.bytes, clusters: withClusters,
    floorMs: floor.ms, floorHeap: floorPeak.peakHeapIncrease, buildMs, reportMs: totalMs - buildMs, totalMs, heap, weeks: panel.weeks.length, report, breakdown,
  };
}

/** The report must have used the design it was given, and found the planted savings effect. */
function checkReport(report: ImpactReport, n: number, withClusters: boolean): void {
  const assigned = report.arms.reduce((a, arm) => a + arm.assigned, 0);
  if (assigned !== n) throw new Error(`The report assigned ${assigned} participants, expected ${n}`);
  if (report.design.headline !== (withClusters ? 'cr2' : 'dim') || !report.design.blocked) throw new Error(`Unexpected design: ${JSON.stringify(report.design)}`);
  const savings = report.comparisons[0]?.outcomes.find((o) => o.outcomeId === 'weekly_savings');
  if (!savings?.headline || savings.headline.estimate < 50) throw new Error(`The savings effect was not found: ${JSON.stringify(savings?.headline)} ${savings?.notes.join(' ')}`);
}

/**
 * Where the time goes, measured apart (after the timed run) on the same data: the outcomes as
 * the report computes them, and one CR2 fit. The quiz score, which dominates at 100,000, is
 * timed on a tenth of the participants (its cost is per lesson) and scaled by ten there.
 */
async function explain(panel: Panel, report: ImpactReport, withClusters: boolean): Promise<Breakdown> {
  const byPerson = new Map<string, DiaryWeekData[]>();
  for (const w of panel.weeks) {
    const list = byPerson.get(w.participantId);
    if (list) list.push(w);
    else byPerson.set(w.participantId, [w]);
  }
  const units: OutcomeUnit[] = panel.participants.map((p) => ({ participant: p, weeks: byPerson.get(p.participantId) ?? [], control: p.armId === 'control' }));
  const indexer = studyWeekIndexer(study, studyWeeks(study, NOW));
  const weekOf = (at: string) => indexer(new Date(at));
  const lessons = panel.participants.reduce((a, p) => a + Object.keys(p.lessons ?? {}).length, 0);
  let outcomesMs = 0;
  let quizMs = 0;
  const quizSample = withClusters ? 1 : 10;
  for (const def of DEFAULT_OUTCOMES) {
    if (def.kind === 'quiz_score') {
      const sample = units.slice(0, Math.ceil(units.length / quizSample));
      quizMs = quizSample * (await timed(async () => computeOutcome(def, sample, { studyWeekOf: weekOf, lastWeek: report.currentStudyWeek }))).ms;
      outcomesMs += quizMs;
    } else {
      outcomesMs += (await timed(async () => {
        computeOutcome(def, units, { studyWeekOf: weekOf, lastWeek: report.currentStudyWeek });
        baselineValues(def, units, { studyWeekOf: weekOf });
      })).ms;
    }
  }
  const out: Breakdown = { outcomesMs, quizMs, quizScaled: quizSample > 1, lessons, cr2Fits: countCr2(report) };
  if (withClusters) {
    const savings = computeOutcome(DEFAULT_OUTCOMES[1] as (typeof DEFAULT_OUTCOMES)[number], units, { lastWeek: report.currentStudyWeek }).values;
    const base = baselineValues(DEFAULT_OUTCOMES[1] as (typeof DEFAULT_OUTCOMES)[number], units) ?? [];
    const obs = units.map((_, i) => i).filter((i) => savings[i] !== null);
    const seen = obs.map((i) => base[i]).filter((v): v is number => typeof v === 'number');
    const fill = seen.reduce((a, b) => a + b, 0) / seen.length;
    const rows = obs.map((i) => {
      const u = units[i] as OutcomeUnit;
      const b = base[i];
      return { treatment: u.control ? 0 : 1, baseline: typeof b === 'number' ? b : fill, baseline_missing: typeof b === 'number' ? 0 : 1, 'stratum:s1': u.participant.stratum === 's1' ? 1 : 0 };
    });
    const { X, names } = designMatrix(rows, { intercept: true, treatment: 'treatment', covariates: ['baseline', 'baseline_missing', 'stratum:s1'], lin: true });
    const y = obs.map((i) => savings[i] as number);
    const clusters = obs.map((i) => (units[i] as OutcomeUnit).participant.cluster as string);
    out.cr2FitMs = (await timed(async () => lmRobust({ y, X, names, se: 'CR2', clusters }))).ms;
  }
  return out;
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sauti-bench-impact-'));
  try {
    const runs: Run[] = [];
    for (const n of [SMALL, LARGE]) {
      progress(`writing the panel: ${int(n)} participants × ${WEEKS} weeks (not timed)`);
      const file = await writePanel(join(dir, `panel-${n}.csv`), n);
      runs.push(await measure(file, true));
      rmSync(file.path);
    }
    return report(runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(runs: Run[]): BenchResult {
  const small = runs[0] as Run;
  const large = runs.at(-1) as Run;
  const table = mdTable(
    ['Participants', 'Rows (CSV)', 'CSV', 'Floor: parse', 'Parse + build', 'impactReport', 'Total', 'Ratio', 'Peak heap + (floor)', 'Peak heap + (timed)', 'CR2'],
    runs.map((r) => [
      int(r.participants), int(r.rows), mb(r.bytes), secs(r.floorMs), secs(r.buildMs), secs(r.reportMs), secs(r.totalMs), times(r.totalMs / r.floorMs),
      mb(r.floorHeap), mb(r.heap.peakHeapIncrease), `${int(r.participants / CLUSTERS)} a cluster, ${r.breakdown.cr2Fits} fits`,
    ]),
  );
  const where = mdTable(
    ['Participants', 'Outcomes (computeOutcome + baselines)', 'of which quiz score', 'Lessons', 'One CR2 fit', 'CR2 fits × one fit', 'Rest of impactReport (≈)'],
    runs.map((r) => {
      const b = r.breakdown;
      const cr2 = (b.cr2FitMs ?? 0) * b.cr2Fits;
      return [
        int(r.participants), `${secs(b.outcomesMs)} (${pct(b.outcomesMs, r.reportMs)})`, `${secs(b.quizMs)}${b.quizScaled ? ' (on a tenth, ×10)' : ''}`, int(b.lessons),
        b.cr2FitMs === undefined ? '—' : secs(b.cr2FitMs), `${secs(cr2)} (${pct(cr2, r.reportMs)})`,
        secs(Math.max(0, r.reportMs - b.outcomesMs - cr2)),
      ];
    }),
  );
  const metrics: Metric[] = runs.map((r) => ({
    metric: `Impact: ${int(r.participants)} × ${WEEKS} weeks with CR2 (${CLUSTERS} clusters), vs parsing the CSV`,
    value: secs(r.totalMs), floor: secs(r.floorMs), ratio: times(r.totalMs / r.floorMs), target: 'none set (reported)', pass: null,
  }));
  const perCluster = (r: Run) => ((r.breakdown.cr2FitMs ?? 0) / CLUSTERS);
  const markdown = [
    `A panel of N participants × ${WEEKS} weeks, one CSV row per participant × week (arm, stratum, cluster, baseline pay method and wage,`,
    'the diary answers DEFAULT_OUTCOMES read, following the skip logic and the rotation of the empowerment items, and the lesson done',
    `that week), made by a seeded generator and written to a temporary file (not timed). ${CLUSTERS} clusters in 2 strata; whole clusters are`,
    'assigned (half of each stratum treated), so the report infers a blocked cluster design and CR2 is its headline. About 82% of weeks',
    'are answered; the treated take up to six lessons (weeks 1–6), save more and are paid digitally more often (each run checks the',
    'savings effect is found).',
    '',
    '**Floor**: the same CSV parsed with csv-parse (streaming, `columns: true, skip_empty_lines: true, trim: true`, the options of',
    '`sauti analyze`) into row objects that are dropped. **Timed**: the same parse, the participants and DiaryWeekData built from the rows',
    '(as the API hands them over), and `impactReport` (DEFAULT_OUTCOMES; difference in means, HC2 ANCOVA, CR2, Benjamini–Hochberg, Lee',
    'bounds, 2SLS, response rates, attrition and balance). Peak heap: heapUsed sampled every 50 ms over a baseline after a forced GC',
    '(garbage not yet collected included).',
    '',
    table,
    '',
    'Where the time of `impactReport` goes (each part timed again, apart, after the timed run, so the parts need not add up exactly):',
    '',
    where,
    '',
    `CR2 per cluster: ${ms3(perCluster(small))} at ${int(small.participants / CLUSTERS)} people, ${ms3(perCluster(large))} at ${int(large.participants / CLUSTERS)}`
    + ` (×${(perCluster(large) / Math.max(1e-9, perCluster(small))).toFixed(1)} for ×${(large.participants / small.participants).toFixed(0)} the people: linear in the cluster size).`
    + ' CR2 works per cluster on X_s = U·DV′ (a thin SVD, rank ≤ k): I − H_ss has eigenvalue 1 off span(U) and those of the'
    + ' k × k matrix I − DV′BVD on it, so A_s X_s, e_s′A_s X_s and the Bell–McCaffrey df terms need no m × m matrix. Before this,'
    + ' the m × m eigen-decomposition made a 100,000-participant CR2 report take an estimated 67 minutes. The quiz score looks up the study'
    + ' week of each lesson by binary search over the study\'s week boundaries (`studyWeekIndexer`), not the time-zone arithmetic.',
    '',
    'Reproduce: `npm run bench -- impact` (a few minutes on this 2-core machine, depending on its other load); `SAUTI_BENCH_SCALE=0.1 npm run bench -- impact`',
    'for a quick run at a tenth of both sizes.',
  ].join('\n');
  return { title: 'Impact report on a large panel', markdown, metrics };
}

const ms3 = (n: number): string => (n < 1000 ? `${n.toFixed(1)} ms` : secs(n));
