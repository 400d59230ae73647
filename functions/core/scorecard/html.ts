/**
 * The scorecard as one static, accessible page: no scripts, nothing fetched from elsewhere,
 * charts as inline SVG (`role="img"` with a label, their numbers in the table beside them),
 * tables with captions and scoped headers. Every string is escaped. It renders only the
 * published document, so it cannot show what publishing withheld.
 */
import { escapeHtml as esc } from '../impact/html.js';
import type { ScorecardDocument, ScorecardRow } from './publish.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const monthLabel = (m: string) => `${MONTHS[Number(m.slice(5, 7)) - 1] ?? m} ${m.slice(0, 4)}`;

const WITHHELD = '<abbr title="withheld: fewer than k">w</abbr>';
const pct = (x: number | null) => (x === null ? WITHHELD : `${Math.round(100 * x)}%`);
const num = (x: number | null) => (x === null ? WITHHELD : esc(x.toLocaleString('en-GB')));

/** Horizontal bars of complaints and kudos per 1,000 participant-weeks, one pair per provider. */
function barChart(rows: readonly ScorecardRow[], month: string): string {
  const rowH = 34;
  const left = 170;
  const width = 640;
  const height = 30 + rows.length * rowH;
  const max = Math.max(1, ...rows.flatMap((r) => [r.complaintsPer1000, r.kudosPer1000 ?? 0]));
  const scale = (v: number) => ((width - left - 60) * v) / max;
  const bars = rows.map((r, i) => {
    const y = 24 + i * rowH;
    const kudos = r.kudosPer1000 === null
      ? `<text x="${left + 4}" y="${y + 25}" font-size="11">kudos withheld</text>`
      : `<rect x="${left}" y="${y + 15}" width="${scale(r.kudosPer1000).toFixed(1)}" height="11" fill="#2e6b30"/><text x="${(left + scale(r.kudosPer1000) + 4).toFixed(1)}" y="${y + 25}" font-size="11">${r.kudosPer1000}</text>`;
    return `<text x="${left - 6}" y="${y + 14}" font-size="12" text-anchor="end">${esc(r.provider)}</text>`
      + `<rect x="${left}" y="${y + 2}" width="${scale(r.complaintsPer1000).toFixed(1)}" height="11" fill="#a4332b"/><text x="${(left + scale(r.complaintsPer1000) + 4).toFixed(1)}" y="${y + 12}" font-size="11">${r.complaintsPer1000}</text>`
      + kudos;
  });
  const label = `Complaints (red, upper bar) and kudos (green, lower bar) per 1,000 participant-weeks by provider, ${monthLabel(month)}. The numbers are in the table below.`;
  return `<figure><svg role="img" aria-label="${esc(label)}" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">`
    + `<text x="${left}" y="14" font-size="12">per 1,000 participant-weeks</text>${bars.join('')}</svg>`
    + `<figcaption>Complaints and kudos per 1,000 participant-weeks, ${esc(monthLabel(month))}</figcaption></figure>`;
}

function metricsTable(rows: readonly ScorecardRow[], month: string): string {
  const head = ['Provider', 'Participant-weeks', 'Complaints', 'Complaints per 1,000', 'Kudos', 'Kudos per 1,000', 'Acknowledged within SLA', 'Resolved within SLA', 'Median days to resolve', 'Said solved', 'Treated with respect', 'Could choose where to cash out'];
  const body = rows.map((r) => `<tr><th scope="row">${esc(r.provider)}</th><td>${num(r.participantWeeks)}</td><td>${num(r.complaints)}</td><td>${num(r.complaintsPer1000)}</td><td>${num(r.kudos)}</td><td>${num(r.kudosPer1000)}</td>`
    + `<td>${pct(r.acknowledgedWithinSla)}</td><td>${pct(r.resolvedWithinSla)}</td><td>${num(r.medianDaysToResolve)}</td><td>${pct(r.saidSolved)}</td><td>${pct(r.respect)}</td><td>${pct(r.choice)}</td></tr>`);
  return `<table><caption>Providers, ${esc(monthLabel(month))}</caption><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

function categoryTable(doc: ScorecardDocument, rows: readonly ScorecardRow[], month: string): string {
  const head = doc.categories.map((c) => `<th scope="col">${esc(c.label)}</th>`).join('');
  const body = rows.map((r) => `<tr><th scope="row">${esc(r.provider)}</th>${doc.categories.map((c) => `<td>${num(r.byCategory[c.name] ?? null)}</td>`).join('')}</tr>`);
  return `<table><caption>Complaints by category, ${esc(monthLabel(month))}</caption><thead><tr><th scope="col">Provider</th>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

function methods(doc: ScorecardDocument): string {
  return `<section aria-labelledby="methods"><h2 id="methods">How to read this</h2>
<p>Participants of research studies that chose to publish report problems with their bank, mobile-money operator or agent, and praise them (kudos), by USSD, SMS or a call. Counts are weighed against how many people use each provider: per 1,000 participant-weeks, a participant-week being one week's diary answered by someone paid through that kind of provider, or who complained about or praised it. As the US Consumer Financial Protection Bureau advises for its complaint database, compare rates, not counts: a bigger provider has more customers and so more complaints.</p>
<p>A provider is shown for a month only with at least ${doc.k} complaints and ${doc.k} participant-weeks, as the UK Financial Conduct Authority publishes firm-level complaints only above a size threshold. Any count under ${doc.k} is withheld (w), with further cells withheld where a total would give it back; a share or median is shown only when at least ${doc.k} cases, answers or weeks stand behind it. There are no participants' words, references, names, dates finer than a month, factories or clusters here.</p>
<p>"Within SLA": acknowledged within 48 hours and resolved within 7 working days of the complaint, the standards of Kenya's 2018 Banking Sector Charter (a study may set its own). "Said solved": the share of participants who answered yes when asked, after resolution, whether their problem was solved. "Treated with respect" and "Could choose where to cash out": the shares answering yes to the diary's questions, among those to whom they applied.</p>
${doc.providersNotShown > 0 ? `<p>${doc.providersNotShown} provider${doc.providersNotShown === 1 ? ' has' : 's have'} too little data to be shown.</p>` : ''}
</section>`;
}

const STYLE = 'body{font-family:system-ui,sans-serif;color:#111;max-width:72rem;margin:0 auto;padding:1rem}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #666;padding:.3rem .5rem;text-align:right}th[scope=row],caption{text-align:left}caption{font-weight:600}abbr{text-decoration:none}';

export function scorecardHtml(doc: ScorecardDocument): string {
  const months = [...new Set(doc.rows.map((r) => r.month))].sort().reverse();
  const content = months.length === 0
    ? `<p class="empty">No provider has enough data to be shown yet: a provider appears for a month once it has at least ${doc.k} complaints and ${doc.k} participant-weeks.</p>`
    : months.map((m) => {
      const rows = doc.rows.filter((r) => r.month === m);
      return `<section aria-labelledby="m-${m}"><h2 id="m-${m}">${esc(monthLabel(m))}</h2>${barChart(rows, m)}${metricsTable(rows, m)}${categoryTable(doc, rows, m)}</section>`;
    }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sauti provider scorecard</title><style>${STYLE}</style></head>
<body><main><h1>Provider scorecard</h1><p>Complaints, kudos and how problems were handled, by provider and month. Data as of ${esc(doc.dataAsOf)}. Also as <a href="scorecard.json">JSON</a>.</p>
${content}
${methods(doc)}
</main></body></html>
`;
}
