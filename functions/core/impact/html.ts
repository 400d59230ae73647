/**
 * The impact report as one self-contained HTML page: no scripts, fonts, images or anything
 * fetched from elsewhere; the charts are inline SVG (chart.ts: means by arm and week with
 * 95% intervals, response rates by arm and week). Every string from the data is escaped.
 * Accessible: tables with captions and scoped headers, each chart an `role="img"` SVG with an
 * `aria-label` and its numbers in a table beside it, dark colours (≥ 4.5:1 on white) and a
 * distinct marker and dash per arm so colour is never the only cue.
 */
import type { OutcomeDefinition } from './outcomes.js';
import type { Comparison, ImpactReport, OutcomeEstimate, RegressionEstimate } from './report.js';
import type { RiResult } from '../stats/ri.js';
import { lineChart } from './chart.js';
import { escapeHtml as esc, num, pct, pval } from './html-format.js';

export { escapeHtml } from './html-format.js';
export { lineChart } from './chart.js';

function table(caption: string, head: string[], rows: string[][], options: { rowHeader?: boolean; className?: string } = {}): string {
  const rh = options.rowHeader ?? true;
  return (
    `<table${options.className ? ` class="${options.className}"` : ''}><caption>${esc(caption)}</caption>` +
    `<thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((cell, i) => (i === 0 && rh ? `<th scope="row">${cell}</th>` : `<td>${cell}</td>`)).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
}

function estimateCell(e: { estimate: number; se: number; ciLower: number; ciUpper: number; p: number } | undefined): string {
  if (!e) return '–';
  return `${esc(num(e.estimate))} <span class="se">(${esc(num(e.se))})</span><br><span class="ci">[${esc(num(e.ciLower))}, ${esc(num(e.ciUpper))}]</span><br><span class="p">p ${esc(pval(e.p).startsWith('<') ? '' : '= ')}${esc(pval(e.p))}</span>`;
}
const regressionCell = (r: RegressionEstimate | undefined) => (r ? estimateCell(r.treatment) : '–');

/** The randomization-inference p under a model-based one, with how it was obtained. */
function riLine(r: RiResult | undefined): string {
  if (!r) return '';
  const how = r.exact ? `exact, ${r.permutations.toLocaleString('en-US')} assignments` : `±${num(r.mcSe, 4)}, ${r.permutations.toLocaleString('en-US')} permutations`;
  return `<br><span class="p">RI p = ${esc(pval(r.p))}</span> <span class="se">(${esc(how)})</span>`;
}

const level = (report: ImpactReport) => `${Math.round((1 - report.alpha) * 1000) / 10}%`;

function armName(report: ImpactReport, armId: string): string {
  return report.arms.find((a) => a.armId === armId)?.name ?? armId;
}

function describeOutcome(o: OutcomeDefinition): string {
  switch (o.kind) {
    case 'share_weeks':
      return `Share of weeks with ${o.item} in {${(o.values ?? []).join(', ')}}${o.among ? `, among weeks with ${o.among.item} in {${o.among.values.join(', ')}}` : ''}`;
    case 'mean':
      return `Mean of ${o.item} over answered weeks${o.among ? `, among weeks with ${o.among.item} in {${o.among.values.join(', ')}}` : ''}`;
    case 'any':
      return `1 if ${o.item} was ever in {${(o.values ?? []).join(', ')}}, 0 if answered and never so`;
    case 'quiz_score':
      return 'Share of lesson quizzes answered correctly (descriptive)';
    case 'index':
      return `Mean of control-standardised ${(o.items ?? []).join(', ')}`;
  }
}

function comparisonSection(report: ImpactReport, c: Comparison): string {
  const t = armName(report, c.treatmentArm);
  const ctl = armName(report, c.controlArm);
  const headlineName = report.design.headline === 'cr2' ? 'CR2' : 'difference in means';
  const rows = c.outcomes.map((o: OutcomeEstimate) => {
    const lee = o.lee ? `[${esc(num(o.lee.lower))}, ${esc(num(o.lee.upper))}]<br><span class="se">trims ${esc(pct(o.lee.trimmedShare))} of ${esc(o.lee.trimmedArm)}</span>` : '–';
    const complier = o.complier
      ? `${estimateCell(o.complier.effect)}<br><span class="se">first stage ${esc(num(o.complier.firstStage.estimate))}, F = ${esc(num(o.complier.firstStageF, 1))}</span>`
      : '–';
    const mean = (d: OutcomeEstimate['means']['control']) => `${esc(num(d.mean))} <span class="se">(n = ${d.n})</span>`;
    return [
      `${esc(o.label)}${o.role === 'descriptive' ? ' <span class="tag">descriptive</span>' : ''}`,
      mean(o.means.control),
      mean(o.means.treatment),
      `${esc(pct(o.observed.q0))} / ${esc(pct(o.observed.q1))}`,
      estimateCell(o.dim) + (o.dim && o.dim.design !== 'standard' ? `<br><span class="se">${esc(o.dim.design)}</span>` : '') + riLine(o.ri?.dim),
      regressionCell(o.ols) + riLine(o.ri?.ols),
      regressionCell(o.cr2) + riLine(o.ri?.cr2),
      o.headline ? `${esc(pval(o.headline.pAdjusted))}` : '–',
      lee,
      complier,
    ];
  });
  const estimates = table(
    `Intention-to-treat estimates: ${t} (treatment) against ${ctl} (control). Estimate (SE), [${level(report)} CI], p. Headline: ${headlineName}; BH-adjusted p across these outcomes.`,
    ['Outcome', `Mean, ${ctl}`, `Mean, ${t}`, 'Observed share, control / treatment', 'Difference in means', 'OLS HC2 (ANCOVA)', 'CR2', 'BH-adjusted p (headline)', 'Lee bounds', 'Complier effect (2SLS)'],
    rows,
    { className: 'estimates' },
  );
  const a = c.attrition;
  const attrition = table(
    `Attrition test: ${a.measure}${a.weeks ? `, study weeks ${a.weeks.from}–${a.weeks.to}` : ''}`,
    ['Arm', 'People', 'Mean share answered'],
    [
      [esc(ctl), String(a.n0), esc(pct(a.rate0))],
      [esc(t), String(a.n1), esc(pct(a.rate1))],
      ['Difference (treatment − control)', '', `${estimateCell(a.dim)}${a.cr2 ? `<br>CR2: ${regressionCell(a.cr2)}` : ''}`],
    ],
  );
  const notes = [...c.outcomes.flatMap((o) => o.notes.map((n) => `${o.label}: ${n}`)), ...a.notes.map((n) => `Attrition: ${n}`)];
  return (
    `<section><h2>${esc(t)} against ${esc(ctl)}</h2>${estimates}${attrition}` +
    (notes.length > 0 ? `<h3>Notes on these estimates</h3><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '') +
    '</section>'
  );
}

function balanceSection(report: ImpactReport): string {
  if (report.balance.length === 0) return '<section><h2>Balance</h2><p>No balance table: the study has no treatment and control arm to compare.</p></section>';
  return (
    '<section><h2>Balance at baseline</h2>' +
    report.balance
      .map((b) => {
        const t = armName(report, b.treatmentArm);
        const ctl = armName(report, b.controlArm);
        if (!b.balance) return `<p>${esc(t)} against ${esc(ctl)}: ${esc(b.problem ?? 'no table')}</p>`;
        const rows = b.balance.rows.map((r) => [esc(r.name), esc(num(r.mean0)), esc(num(r.sd0)), esc(num(r.mean1)), esc(num(r.sd1)), esc(num(r.stdDiff, 3))]);
        const j = b.balance.joint;
        return (
          table(`Balance: ${t} (n = ${b.n1}) against ${ctl} (n = ${b.n0})`, ['Covariate', `Mean, ${ctl}`, `SD, ${ctl}`, `Mean, ${t}`, `SD, ${t}`, 'Standardised difference'], rows) +
          `<p>Joint test that assignment is unrelated to these covariates: F(${esc(num(j.df1, 0))}, ${esc(num(j.df2, 1))}) = ${esc(num(j.F))}, p ${pval(j.p).startsWith('<') ? '' : '= '}${esc(pval(j.p))}.` +
          `${b.skipped.length > 0 ? ` Left out: ${b.skipped.map((s) => `${esc(s.name)} (${esc(s.reason)})`).join('; ')}.` : ''}</p>`
        );
      })
      .join('') +
    '</section>'
  );
}

function noChartReason(label: string, kind: string | undefined): string {
  if (kind === 'quiz_score') {
    return `${label}: no chart, as nobody has answered a lesson quiz yet. Quizzes come with the lessons of the treatment arms (the control arm never takes one), and simulated diaries take no lessons.`;
  }
  return `${label}: no chart, as no participant has a value for it in any week yet.`;
}

function chartSection(report: ImpactReport): string {
  const armNames = (id: string) => armName(report, id);
  const parts: string[] = [];
  for (const series of report.weekly) {
    const weeks = series.weeks;
    const def = report.outcomes.find((o) => o.id === series.outcomeId);
    // An empty chart reads as "zero" or as a bug: say why there is nothing to draw instead.
    if (!weeks.some((w) => w.arms.some((a) => a.n > 0))) {
      parts.push(`<p class="no-chart" data-outcome="${esc(series.outcomeId)}">${esc(noChartReason(series.label, def?.kind))}</p>`);
      continue;
    }
    const share = def?.kind === 'share_weeks' || def?.kind === 'any' || def?.kind === 'quiz_score';
    const chart = lineChart({
      title: `${series.label}: mean by arm and study week`,
      level: level(report),
      xLabel: 'study week',
      yLabel: share ? 'share' : def?.kind === 'index' ? 'index (control SD units)' : 'mean',
      ...(share ? { yRange: [0, 1] as [number, number], yFormat: (v: number) => `${Math.round(v * 100)}%` } : {}),
      series: report.arms.map((arm) => ({
        name: arm.name,
        points: weeks.map((w) => {
          const a = w.arms.find((x) => x.armId === arm.armId);
          return { x: w.studyWeek, y: a?.mean ?? null, lo: a?.ciLower ?? null, hi: a?.ciUpper ?? null };
        }),
      })),
    });
    const data = table(
      `${series.label} by study week: mean [${level(report)} CI] (n)`,
      ['Study week', ...report.arms.map((a) => a.name)],
      weeks.map((w) => [
        String(w.studyWeek),
        ...report.arms.map((arm) => {
          const a = w.arms.find((x) => x.armId === arm.armId);
          return a && a.n > 0 ? `${esc(num(a.mean))} [${esc(num(a.ciLower))}, ${esc(num(a.ciUpper))}] (${a.n})` : '–';
        }),
      ]),
    );
    parts.push(`<figure><figcaption>${esc(series.label)}: means by arm and study week, with ${esc(level(report))} intervals</figcaption>${chart}<details><summary>The numbers</summary>${data}</details></figure>`);
  }
  const rates = lineChart({
    title: 'Diary response rate by arm and study week',
    xLabel: 'study week',
    yLabel: 'share who answered',
    yRange: [0, 1],
    yFormat: (v) => `${Math.round(v * 100)}%`,
    series: report.arms.map((arm) => ({
      name: arm.name,
      points: report.responseRates.map((r) => ({ x: r.studyWeek, y: r.arms.find((a) => a.armId === arm.armId)?.rate ?? null })),
    })),
  });
  const rateTable = table(
    'Response rate by study week: answered / enrolled (completed the week)',
    ['Study week', 'ISO week', ...report.arms.map((a) => armNames(a.armId))],
    report.responseRates.map((r) => [
      String(r.studyWeek),
      esc(r.week),
      ...report.arms.map((arm) => {
        const a = r.arms.find((x) => x.armId === arm.armId);
        return a ? `${esc(pct(a.rate))} (${a.responded}/${a.enrolled}; ${a.completed} complete)` : '–';
      }),
    ]),
    { rowHeader: true },
  );
  parts.push(`<figure><figcaption>Response rates by arm and study week</figcaption>${rates}<details><summary>The numbers</summary>${rateTable}</details></figure>`);
  const modeNames: Record<string, string> = { ussd: 'USSD (dials in)', sms: 'SMS prompts', voice: 'Voice calls' };
  parts.push(
    table(
      'Response rate by mode and arm, all study weeks so far: answered / person-weeks (answers by USSD, SMS, voice)',
      ['Mode', ...report.arms.map((a) => armNames(a.armId))],
      report.responseByMode.map((row) => [
        esc(modeNames[row.mode] ?? row.mode),
        ...report.arms.map((arm) => {
          const a = row.arms.find((x) => x.armId === arm.armId);
          return a ? `${esc(pct(a.rate))} (${a.responded}/${a.personWeeks}; ${a.answeredBy.ussd}/${a.answeredBy.sms}/${a.answeredBy.voice})` : '–';
        }),
      ]),
      { rowHeader: true },
    ),
  );
  return `<section><h2>By week</h2>${parts.join('')}</section>`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#111;background:#fff;margin:0 auto;max-width:1180px;padding:1.5rem;line-height:1.45}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #1f4e79;padding-bottom:.2rem}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:1rem 0;font-size:.88rem;width:100%}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #9a9a9a;padding:.3rem .45rem;vertical-align:top;text-align:left}thead th{background:#e8eef5}tbody th{background:#f6f6f6;font-weight:600}
.se,.ci{color:#333;font-size:.85em}.p{color:#111;font-size:.85em}.tag{background:#fff3c4;color:#5a4300;border:1px solid #8a6d00;border-radius:3px;padding:0 .25rem;font-size:.8em}
figure{margin:1.2rem 0}figcaption{font-weight:600}details{margin:.3rem 0}summary{cursor:pointer;color:#1f4e79}
dl dt{font-weight:600;margin-top:.5rem}dl dd{margin-left:1rem}.meta{color:#333}
@media print{details{display:none}}
`;

/** The pre-registration the report was checked against: its hash, and every deviation from it. */
function preregistrationText(report: ImpactReport): string {
  const p = report.preregistration;
  if (!p) return '<p>No pre-registration snapshot was given.</p>';
  const problems = [...(p.intact ? [] : ['The snapshot does not match its hash: it was edited after it was frozen.']), ...p.deviations];
  return (
    `<p>Pre-registration <code>sha256:${esc(p.hash)}</code>: ${problems.length === 0 ? 'the analysis follows it (design, outcomes, alpha, randomization inference).' : `${problems.length} deviation(s):`}</p>` +
    (problems.length > 0 ? `<ul>${problems.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>` : '')
  );
}

/** The report as a self-contained HTML document. */
export function impactHtml(report: ImpactReport): string {
  const d = report.design;
  const designText =
    `${d.method === 'unknown' ? 'Randomization method not recorded (inferred)' : `Randomized by ${d.method.replace('_', ' and ')} assignment`}` +
    `${d.blocked ? `, within ${d.nBlocks ?? 'several'} strata` : ''}${d.clustersKnown ? `; ${d.nClusters ?? ''} clusters known` : ''}. ` +
    `Headline estimator: ${d.headline === 'cr2' ? 'cluster-robust CR2 regression' : d.blocked ? 'blocked difference in means' : 'difference in means'}.`;
  const outcomes = table(
    'Outcomes',
    ['Outcome', 'Definition', 'Study weeks', 'Baseline (ANCOVA)'],
    report.outcomes.map((o) => [
      esc(o.label),
      `${esc(describeOutcome(o))}${o.description ? `<br><span class="se">${esc(o.description)}</span>` : ''}`,
      `${o.window.fromStudyWeek}–${o.window.toStudyWeek}`,
      esc(o.baseline ? (o.baseline.kind === 'covariate' ? `baseline answer ${o.baseline.name}${o.baseline.values ? ` in {${o.baseline.values.join(', ')}}` : ''}` : `study weeks ${o.baseline.fromStudyWeek}–${o.baseline.toStudyWeek}`) : 'none'),
    ]),
  );
  const arms = table(
    'Arms',
    ['Arm', 'Receives lessons', 'Randomized'],
    report.arms.map((a) => [esc(a.name), a.treatment ? 'yes (treatment)' : 'no (control)', String(a.assigned)]),
  );
  const body =
    `<header><h1>Impact report: ${esc(report.studyName)}</h1>` +
    `<p class="meta">Study <code>${esc(report.studyId)}</code> · generated ${esc(report.generatedAt.slice(0, 10))} (${esc(report.generatedAt)}) · current study week ${report.currentStudyWeek} (${esc(report.currentWeek)}) · ${esc(level(report))} intervals, α = ${esc(String(report.alpha))}</p>` +
    `<p>${esc(designText)} Intention-to-treat effects are the headline; the complier effect is an extra.</p>${preregistrationText(report)}</header>` +
    `<section><h2>Design and outcomes</h2>${arms}${outcomes}</section>` +
    report.comparisons.map((c) => comparisonSection(report, c)).join('') +
    chartSection(report) +
    balanceSection(report) +
    `<section><h2>Notes</h2>${report.notes.length > 0 ? `<ul>${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '<p>None.</p>'}</section>` +
    `<section><h2>What the estimators mean</h2><dl>${report.estimators.map((e) => `<dt>${esc(e.name)}</dt><dd>${esc(e.description)}</dd>`).join('')}</dl></section>`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>Impact report: ${esc(report.studyName)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`
  );
}
