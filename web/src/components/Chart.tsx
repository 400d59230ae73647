import type { Chart as ChartJs } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { DataTable } from './DataTable.js';

/**
 * Chart.js is three quarters of the console's code: it is loaded on the first chart only, so
 * the sign-in page and the phone simulator stay light on a slow connection. Only the pieces
 * used are registered.
 */
let chartJs: Promise<typeof ChartJs> | undefined;
function loadChartJs(): Promise<typeof ChartJs> {
  return (chartJs ??= import('./chart-setup.js').then((m) => m.Chart));
}

export interface Series {
  label: string;
  data: number[];
}

/** Straight segments between measured points: a smoothed curve bulges past the real values. */
const TENSION = 0;

/** Colour-blind-safe (Okabe-Ito) colours, in series order. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/**
 * A chart with its data as a table: the canvas is for sighted readers, the table (always
 * present, in a disclosure) for screen readers, keyboard users and anyone who wants numbers.
 */
export function Chart(props: { title: string; type: 'line' | 'bar'; labels: string[]; series: Series[]; format?: (n: number) => string; max?: number; stacked?: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const fmt = props.format ?? ((n: number) => String(n));
  useEffect(() => {
    let chart: ChartJs | undefined;
    let live = true;
    void loadChartJs().then((Chart) => {
      if (!live || !canvas.current) return;
      chart = new Chart(canvas.current, {
      type: props.type,
      data: {
        labels: props.labels,
        datasets: props.series.map((s, i) => ({
          label: s.label,
          data: s.data,
          borderColor: COLOURS[i % COLOURS.length],
          backgroundColor: COLOURS[i % COLOURS.length],
          tension: TENSION,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: props.stacked ?? false },
          y: { beginAtZero: true, stacked: props.stacked ?? false, ...(props.max !== undefined ? { max: props.max } : {}), ticks: { callback: (v) => fmt(Number(v)) } },
        },
        plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label ?? ''}: ${fmt(Number(c.parsed.y))}` } } },
      },
      });
    });
    return () => {
      live = false;
      chart?.destroy();
    };
  }, [props.type, JSON.stringify(props.labels), JSON.stringify(props.series), props.max, props.stacked]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div class="chart-box">
        <canvas ref={canvas} data-tension={TENSION} role="img" aria-label={`${props.title}. The same numbers are in the table below.`} />
      </div>
      <details>
        <summary>Show as a table</summary>
        <DataTable columns={['Week', ...props.series.map((s) => s.label)]} caption={props.title} captionHidden>
          {props.labels.map((label, i) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {props.series.map((s) => (
                <td key={s.label}>{s.data[i] === undefined ? '–' : fmt(s.data[i] as number)}</td>
              ))}
            </tr>
          ))}
        </DataTable>
      </details>
    </figure>
  );
}
