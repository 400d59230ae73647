/**
 * Line charts as inline SVG (the impact report's weekly means and response rates, the CLI's
 * power curves): dark colours (contrast ≥ 4.5:1 on white) and a distinct marker and dash per
 * series so colour is never the only cue, an `aria-label` describing the chart.
 */
import { escapeHtml as esc, num } from './html-format.js';

/** Dark enough on white for text and thin lines (contrast ≥ 4.5:1). */
const COLOURS = ['#1f4e79', '#a4332b', '#2e6b30', '#6b3d8f', '#7a5200', '#005f6b'];
const DASHES = ['', '6 4', '2 3', '8 3 2 3', '4 2', '1 2'];
type Marker = 'circle' | 'square' | 'triangle' | 'diamond';
const MARKERS: Marker[] = ['circle', 'square', 'triangle', 'diamond'];

interface ChartPoint {
  x: number;
  y: number | null;
  lo?: number | null;
  hi?: number | null;
}
interface ChartSeries {
  name: string;
  points: ChartPoint[];
}
interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** Fixed y range (e.g. 0–1 for rates); otherwise from the data. */
  yRange?: [number, number];
  yFormat?: (v: number) => string;
  /** Confidence level of the intervals, e.g. "95%". */
  level?: string;
  /** What one line stands for, in the accessible description (default "arm"). */
  seriesOf?: string;
}

function niceStep(span: number, ticks: number): number {
  const raw = span / Math.max(ticks, 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

function marker(kind: Marker, x: number, y: number, colour: string): string {
  const s = 4;
  const at = (v: number) => v.toFixed(1);
  switch (kind) {
    case 'circle':
      return `<circle cx="${at(x)}" cy="${at(y)}" r="${s}" fill="${colour}"/>`;
    case 'square':
      return `<rect x="${at(x - s)}" y="${at(y - s)}" width="${2 * s}" height="${2 * s}" fill="${colour}"/>`;
    case 'triangle':
      return `<path d="M${at(x)} ${at(y - s - 1)}L${at(x + s + 1)} ${at(y + s)}L${at(x - s - 1)} ${at(y + s)}Z" fill="${colour}"/>`;
    case 'diamond':
      return `<path d="M${at(x)} ${at(y - s - 1)}L${at(x + s + 1)} ${at(y)}L${at(x)} ${at(y + s + 1)}L${at(x - s - 1)} ${at(y)}Z" fill="${colour}"/>`;
  }
}

/** A line-and-point chart with vertical interval bars; series are dodged sideways a little. */
export function lineChart(spec: ChartSpec): string {
  const W = 680;
  const H = 300;
  const m = { l: 72, r: 16, t: 40, b: 48 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const all = spec.series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const ys = all.flatMap((p) => [p.y, p.lo, p.hi]).filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  const xMin = xs.length > 0 ? Math.min(...xs) : 0;
  const xMax = xs.length > 0 ? Math.max(...xs) : 1;
  let [yMin, yMax] = spec.yRange ?? [ys.length > 0 ? Math.min(...ys) : 0, ys.length > 0 ? Math.max(...ys) : 1];
  if (!spec.yRange) {
    if (yMin === yMax) {
      yMin -= 1;
      yMax += 1;
    }
    const step = niceStep(yMax - yMin, 5);
    yMin = Math.floor(yMin / step) * step;
    yMax = Math.ceil(yMax / step) * step;
  }
  const xSpan = xMax - xMin || 1;
  const band = pw / (xSpan + 1);
  const X = (x: number) => m.l + band / 2 + ((x - xMin) / xSpan) * (pw - band);
  const Y = (y: number) => m.t + ph - ((y - yMin) / (yMax - yMin)) * ph;
  const yStep = niceStep(yMax - yMin, 5);
  let decimals = 0;
  while (decimals < 6 && Math.abs(Math.round(yStep * 10 ** decimals) - yStep * 10 ** decimals) > 1e-6) decimals += 1;
  const fmt = spec.yFormat ?? ((v: number) => num(v, decimals));
  const parts: string[] = [];

  // Axes, grid and ticks.
  for (let v = yMin; v <= yMax + yStep / 1e6; v += yStep) {
    const y = Y(v);
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#d0d0d0" stroke-width="1"/>`);
    parts.push(`<text x="${m.l - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#222">${esc(fmt(v))}</text>`);
  }
  const xStep = Math.max(1, Math.ceil(xSpan / 12));
  for (let x = xMin; x <= xMax; x += xStep) {
    parts.push(`<text x="${X(x).toFixed(1)}" y="${H - m.b + 16}" text-anchor="middle" font-size="11" fill="#222">${esc(String(x))}</text>`);
  }
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${m.t + ph}" y2="${m.t + ph}" stroke="#222"/>`);
  parts.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + ph}" stroke="#222"/>`);
  parts.push(`<text x="${(m.l + pw / 2).toFixed(1)}" y="${H - 10}" text-anchor="middle" font-size="12" fill="#111">${esc(spec.xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${(m.t + ph / 2).toFixed(1)}) rotate(-90)" text-anchor="middle" font-size="12" fill="#111">${esc(spec.yLabel)}</text>`);

  // Series.
  const k = spec.series.length;
  const dodge = Math.min(6, band / (2 * Math.max(k, 1)));
  spec.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length] as string;
    const dash = DASHES[i % DASHES.length] as string;
    const mk = MARKERS[i % MARKERS.length] as Marker;
    const off = (i - (k - 1) / 2) * dodge;
    const pts = s.points.filter((p): p is ChartPoint & { y: number } => p.y !== null && Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
    // Lines join consecutive weeks only: a week without data breaks the line.
    let path = '';
    pts.forEach((p, j) => {
      const prev = pts[j - 1];
      path += `${prev && p.x - prev.x <= 1 ? 'L' : 'M'}${(X(p.x) + off).toFixed(1)} ${Y(p.y).toFixed(1)}`;
    });
    if (path) parts.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    for (const p of pts) {
      const x = X(p.x) + off;
      if (p.lo !== null && p.lo !== undefined && p.hi !== null && p.hi !== undefined && Number.isFinite(p.lo) && Number.isFinite(p.hi)) {
        const lo = Y(Math.max(p.lo, yMin));
        const hi = Y(Math.min(p.hi, yMax));
        parts.push(`<path d="M${x.toFixed(1)} ${lo.toFixed(1)}V${hi.toFixed(1)}M${(x - 3).toFixed(1)} ${lo.toFixed(1)}h6M${(x - 3).toFixed(1)} ${hi.toFixed(1)}h6" stroke="${colour}" stroke-width="1.2" fill="none"/>`);
      }
      parts.push(marker(mk, x, Y(p.y), colour));
    }
    // Legend entry.
    const lx = m.l + i * 150;
    parts.push(`<path d="M${lx} 18h24" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    parts.push(marker(mk, lx + 12, 18, colour));
    parts.push(`<text x="${lx + 30}" y="22" font-size="12" fill="#111">${esc(s.name)}</text>`);
  });

  const label = `${spec.title}. Line chart of ${spec.yLabel} by ${spec.xLabel}, one line per ${spec.seriesOf ?? 'arm'} (${spec.series.map((s) => s.name).join(', ')})` +
    `${spec.series.some((s) => s.points.some((p) => p.lo !== undefined)) ? `, with ${spec.level ?? '95%'} confidence intervals` : ''}. The numbers are in the table below the chart.`;
  return (
    `<svg role="img" aria-label="${esc(label)}" viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px" font-family="system-ui, sans-serif">` +
    `<title>${esc(spec.title)}</title>${parts.join('')}</svg>`
  );
}
