import { useState } from 'preact/hooks';
import { api, type Study, studyPath } from '../api.js';
import { session } from '../session.js';
import { messageOf } from '../hooks.js';
import { Page } from '../components/Page.js';

const DATASETS: { id: string; label: string }[] = [
  { id: 'diary_long', label: 'Diary answers, one row per answer (diary_long)' },
  { id: 'diary_wide', label: 'Diaries, one row per participant-week (diary_wide)' },
  { id: 'response', label: 'Response per participant-week (response)' },
  { id: 'complaints', label: 'Complaints (complaints)' },
  { id: 'messages', label: 'Messages sent and their delivery (messages)' },
  { id: 'lessons', label: 'Lessons and quizzes (lessons)' },
];

type ExportResult = { dataset: string; rows: number; file?: string; url?: string; expiresAt?: string };

/**
 * Downloads a local export with the bearer token: a plain link cannot send the header, so the
 * file is fetched and handed to the browser as a blob.
 */
async function download(studyId: string, file: string): Promise<void> {
  const name = file.split(/[\\/]/).pop() ?? 'export.csv';
  const res = await fetch(`/local/exports/${encodeURIComponent(studyId)}/${encodeURIComponent(name)}`, { headers: { authorization: `Bearer ${session.token() ?? ''}` } });
  if (!res.ok) throw new Error(`The download failed (${res.status}).`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function Exports({ study }: { study: Study }) {
  const [dataset, setDataset] = useState('diary_long');
  const [bom, setBom] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult>();
  const [error, setError] = useState<string>();
  const [impact, setImpact] = useState<{ html: string; at: string }>();
  const [impactBusy, setImpactBusy] = useState(false);
  const [impactError, setImpactError] = useState<string>();

  return (
    <Page title="Exports and impact">
      <form
        class="card"
        aria-labelledby="export-title"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          api<ExportResult>(studyPath(study.studyId, '/exports'), { method: 'POST', body: { dataset, bom } }).then(
            (r) => {
              setBusy(false);
              setResult(r);
            },
            (err: unknown) => {
              setBusy(false);
              setError(messageOf(err));
            },
          );
        }}
      >
        <h2 id="export-title">Export a dataset (CSV, pseudonymous ids)</h2>
        <label for="dataset">Dataset</label>
        <select id="dataset" value={dataset} onChange={(e) => setDataset((e.target as HTMLSelectElement).value)}>
            {DATASETS.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
        </select>
        <label class="check">
          <input type="checkbox" checked={bom} onChange={(e) => setBom((e.target as HTMLInputElement).checked)} /> Start with a byte-order mark (for Excel)
        </label>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Exporting…' : 'Start export'}
          </button>
        </div>
        <div aria-live="polite">
          {result && (
            <p class="notice" data-testid="export-result">
              {result.rows} rows in {result.dataset}.{' '}
              {result.url ? (
                <a href={result.url}>Download (link valid until {result.expiresAt})</a>
              ) : result.file ? (
                <button type="button" onClick={() => void download(study.studyId, result.file as string).catch((err: unknown) => setError(messageOf(err)))}>
                  Download CSV
                </button>
              ) : null}
            </p>
          )}
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
        </div>
      </form>

      <div class="card">
        <h2>Impact report</h2>
        <p class="muted">Intention-to-treat estimates for the study's outcomes, response rates per arm and week, and the balance table.</p>
        <div class="actions">
          <button
            type="button"
            disabled={impactBusy}
            onClick={() => {
              setImpactBusy(true);
              setImpactError(undefined);
              api<{ html: string }>(studyPath(study.studyId, '/impact'), { method: 'POST', body: {} }).then(
                (r) => {
                  setImpactBusy(false);
                  setImpact({ html: r.html, at: new Date().toLocaleString() });
                },
                (err: unknown) => {
                  setImpactBusy(false);
                  setImpactError(messageOf(err));
                },
              );
            }}
          >
            {impactBusy ? 'Estimating…' : impact ? 'Estimate again' : 'Show the latest impact report'}
          </button>
        </div>
        {impactError && (
          <p role="alert" class="error">
            {impactError}
          </p>
        )}
        {impact && (
          <>
            <p class="muted">Computed {impact.at}.</p>
            {/* No scripts, no same-origin: the report is shown, never trusted with the session. */}
            <iframe class="impact" title="Impact report" sandbox="" srcDoc={impact.html} />
          </>
        )}
      </div>
    </Page>
  );
}
