import { api, type Overview as OverviewData, studyPath } from '../api.js';
import { Chart } from '../components/Chart.js';
import { Status } from '../components/Status.js';
import { useLoad } from '../hooks.js';
import { CONSENT_LABELS } from '../../../functions/core/console/labels.js';
import { DataTable } from '../components/DataTable.js';
import { Page } from '../components/Page.js';

const pct = (n: number) => `${Math.round(n * 100)}%`;

/** Everything a study's team checks weekly: who is in, who answers, what fails, what people complain about. */
export function Overview({ studyId }: { studyId: string }) {
  const overview = useLoad(() => api<OverviewData>(studyPath(studyId, '/overview')), [studyId]);
  return (
    <Page title="Study overview">
      <Status value={overview}>{(o) => <OverviewBody o={o} />}</Status>
    </Page>
  );
}

function OverviewBody({ o }: { o: OverviewData }) {
  const armName = (id: string) => o.arms.find((a) => a.armId === id)?.name ?? id;
  // Weeks before the first prompt measured nothing: a 0% there would draw a ramp that never was.
  const first = o.weeks.findIndex((w) => w.prompted);
  const charted = first < 0 ? [] : o.weeks.slice(first);
  const weeks = charted.map((w) => (w.partial ? `${w.week} (partial)` : w.week));
  const latest = o.weeks.at(-1);
  const providers = [...new Set(o.complaints.map((c) => c.provider))];
  const complaintWeeks = [...new Set(o.complaints.map((c) => c.week))].sort();
  // Lessons go to treatment arms only: a control row would be a row of zeros (or a bug elsewhere).
  const treatment = new Set(o.arms.filter((a) => a.treatment).map((a) => a.armId));
  const treatmentRows = <T extends { armId: string }>(rows: T[]) => rows.filter((r) => treatment.has(r.armId));
  const answeredLatest = latest?.byArm.reduce((n, a) => n + a.answered, 0) ?? 0;
  const expectedLatest = latest?.byArm.reduce((n, a) => n + a.expected, 0) ?? 0;
  return (
    <>
      <p class="lead">
        {o.name} · {o.timeZone} · languages {o.languages.join(', ')}
      </p>
      <div class="cards">
        <div class="card">
          <h2>Enrolment</h2>
          <dl class="stats">
            <dt>Enrolled</dt>
            <dd>{o.enrolment.enrolled}</dd>
            <dt>{CONSENT_LABELS.consented}</dt>
            <dd>{o.enrolment.consented}</dd>
            <dt>{CONSENT_LABELS.declined}</dt>
            <dd>{o.enrolment.declined}</dd>
            <dt>{CONSENT_LABELS.withdrawn}</dt>
            <dd>{o.enrolment.optedOut}</dd>
            <dt>{CONSENT_LABELS.pending}</dt>
            <dd>{o.enrolment.pending}</dd>
          </dl>
        </div>
        <div class="card">
          <h2>This week</h2>
          {latest ? (
            <p>
              <span class="big" data-testid="answered-latest">
                {answeredLatest}
              </span>{' '}
              diaries answered of {expectedLatest} expected in {latest.week}
            </p>
          ) : (
            <p>No diary week has started yet.</p>
          )}
        </div>
        <div class="card">
          <h2>Delivery</h2>
          <dl class="stats">
            <dt>Queued</dt>
            <dd>{o.delivery.queued}</dd>
            <dt>Sent</dt>
            <dd>{o.delivery.sent}</dd>
            <dt>Delivered</dt>
            <dd>{o.delivery.delivered}</dd>
            <dt>Failed</dt>
            <dd>{o.delivery.failed}</dd>
          </dl>
          <p class="hint" data-testid="delivery-hint">
            Sent: accepted by the SMS provider. Delivered: confirmed by the provider's delivery reports. The local outbox stands in for the provider and sends no delivery
            reports, so locally Delivered stays 0.
          </p>
          {o.delivery.reports === false && (
            <p class="muted" data-testid="no-delivery-reports">
              {o.delivery.provider} sends no delivery reports: "sent" means accepted by {o.delivery.provider}, the last we learn. It is not a failure.
            </p>
          )}
          {o.delivery.failures.length > 0 && (
            <>
              <h3>Why messages failed</h3>
              <ul>
                {o.delivery.failures.map((f) => (
                  <li key={f.reason}>
                    {f.reason}: {f.count}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      </div>

      <h2>Arms</h2>
      <DataTable columns={['Arm', 'Receives lessons', 'Participants']}>
        {o.arms.map((a) => (
          <tr key={a.armId}>
            <th scope="row">{a.name}</th>
            <td>{a.treatment ? 'yes (treatment)' : 'no (control)'}</td>
            <td>{a.participants}</td>
          </tr>
        ))}
      </DataTable>

      <h2>Diaries answered per week</h2>
      {charted.length === 0 ? (
        <p>No diary prompt has gone out yet: nothing to chart.</p>
      ) : (
        <Chart
          title="Response rate per week and arm (the current week is partial)"
          type="line"
          labels={weeks}
          max={1}
          format={pct}
          series={o.arms.map((a) => ({ label: a.name, data: charted.map((w) => w.byArm.find((b) => b.armId === a.armId)?.rate ?? 0) }))}
        />
      )}
      <DataTable columns={['Week', ...o.arms.map((a) => a.name)]} caption="Answered of expected, per week and arm" testId="weeks-table">
        {[...o.weeks].reverse().map((w) => (
          <tr key={w.week}>
            <th scope="row">{w.partial ? `${w.week} (partial: still open)` : w.week}</th>
            {o.arms.map((a) => {
              const b = w.byArm.find((x) => x.armId === a.armId);
              return <td key={a.armId}>{b ? `${b.answered} / ${b.expected} (${pct(b.rate)})` : '–'}</td>;
            })}
          </tr>
        ))}
      </DataTable>

      <h2>Complaints per provider</h2>
      {o.complaints.length === 0 ? (
        <p>No complaints reported yet.</p>
      ) : (
        <Chart
          title="Complaints per provider per week"
          type="bar"
          stacked
          labels={complaintWeeks}
          series={providers.map((p) => ({ label: p, data: complaintWeeks.map((w) => o.complaints.find((c) => c.week === w && c.provider === p)?.count ?? 0) }))}
        />
      )}

      <h2>Education modules (treatment arms)</h2>
      {o.modules.length === 0 ? (
        <p>No lessons sent yet.</p>
      ) : (
        <DataTable columns={['Module', 'Arm', 'Sent', 'Started', 'Completed', 'Completion']}>
          {o.modules.flatMap((m) =>
            treatmentRows(m.byArm).map((b, i, rows) => (
              <tr key={`${m.moduleId}-${b.armId}`}>
                {i === 0 ? (
                  <th scope="rowgroup" rowSpan={rows.length}>
                    {m.title}
                  </th>
                ) : null}
                <td>{armName(b.armId)}</td>
                <td>{b.sent}</td>
                <td>{b.started}</td>
                <td>{b.completed}</td>
                <td>{pct(b.completionRate)}</td>
              </tr>
            )),
          )}
        </DataTable>
      )}
    </>
  );
}
