import { useEffect, useState } from 'preact/hooks';
import { api, ApiFailure, type Campaign, type CampaignInput, type CampaignPreview, type Role, type Study, studyPath } from '../api.js';
import { MODULES } from '../catalogue.js';
import { Status } from '../components/Status.js';
import { messageOf, useLoad } from '../hooks.js';
import { DataTable } from '../components/DataTable.js';
import { Page } from '../components/Page.js';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const mayChange = (roles: Role[]) => roles.includes('ngo') || roles.includes('admin');

/** Education campaigns: the list with pause/resume/cancel, and a form previewed live before saving. */
export function Campaigns({ study, roles }: { study: Study; roles: Role[] }) {
  const list = useLoad(() => api<{ campaigns: Campaign[] }>(studyPath(study.studyId, '/campaigns')), [study.studyId]);
  const [message, setMessage] = useState<string>();
  const act = (c: Campaign, action: 'pause' | 'resume' | 'cancel') => {
    if (action === 'cancel' && !confirm(`Cancel "${c.name}" for good? Its remaining lessons will not be sent.`)) return;
    api(studyPath(study.studyId, `/campaigns/${encodeURIComponent(c.campaignId)}/${action}`), { method: 'POST' }).then(
      () => {
        setMessage(`Campaign "${c.name}": ${action === 'pause' ? 'paused' : action === 'resume' ? 'resumed' : 'cancelled'}.`);
        list.reload();
      },
      (err: unknown) => setMessage(messageOf(err)),
    );
  };
  return (
    <Page title="Campaigns">
      <p role="status" class="notice" hidden={!message}>
        {message}
      </p>
      <Status value={list}>
        {({ campaigns }) =>
          campaigns.length === 0 ? (
            <p>No campaigns yet.</p>
          ) : (
            <DataTable columns={['Name', 'Status', 'Modules', 'Arms', 'When', mayChange(roles) && 'Actions']} caption="Campaigns of this study" captionHidden testId="campaigns-table">
              {campaigns.map((c) => (
                <tr key={c.campaignId}>
                  <th scope="row">{c.name}</th>
                  <td>{c.status}</td>
                  <td>{c.modules.join(', ')}</td>
                  <td>{c.targetArms.join(', ')}</td>
                  <td>
                    from {c.startsOn}, {DAYS[c.day - 1]} {String(c.hour).padStart(2, '0')}:00, every {c.everyWeeks === 1 ? 'week' : `${c.everyWeeks} weeks`}, by {c.channel}
                  </td>
                  {mayChange(roles) && (
                    <td class="actions">
                      {c.status === 'scheduled' && (
                        <button type="button" onClick={() => act(c, 'pause')} aria-label={`Pause ${c.name}`}>
                          Pause
                        </button>
                      )}
                      {c.status === 'paused' && (
                        <button type="button" onClick={() => act(c, 'resume')} aria-label={`Resume ${c.name}`}>
                          Resume
                        </button>
                      )}
                      {c.status !== 'cancelled' && (
                        <button type="button" class="danger" onClick={() => act(c, 'cancel')} aria-label={`Cancel ${c.name}`}>
                          Cancel
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </DataTable>
          )
        }
      </Status>
      <CampaignForm
        study={study}
        canSave={mayChange(roles)}
        onSaved={(c) => {
          setMessage(`Campaign "${c.name}" scheduled.`);
          list.reload();
        }}
      />
    </Page>
  );
}

function nextMonday(): string {
  const d = new Date();
  d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7));
  return d.toISOString().slice(0, 10);
}

function CampaignForm({ study, canSave, onSaved }: { study: Study; canSave: boolean; onSaved: (c: Campaign) => void }) {
  const lang = study.languages.includes('en') ? 'en' : (study.languages[0] ?? 'en');
  const [draft, setDraft] = useState<CampaignInput>({
    name: '',
    modules: MODULES.slice(0, 1).map((m) => m.id),
    targetArms: study.arms.filter((a) => a.treatment).map((a) => a.armId),
    startsOn: nextMonday(),
    everyWeeks: 1,
    day: 5,
    hour: 18,
    channel: 'sms',
  });
  const [preview, setPreview] = useState<{ ok: true; preview: CampaignPreview } | { ok: false; error: string } | undefined>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const set = <K extends keyof CampaignInput>(key: K, value: CampaignInput[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const toggle = (key: 'modules' | 'targetArms', id: string, on: boolean) =>
    setDraft((d) => ({ ...d, [key]: on ? [...d[key].filter((x) => x !== id), id] : d[key].filter((x) => x !== id) }));

  // The preview follows the form as it is typed, a moment after the last change.
  useEffect(() => {
    const body = { ...draft, name: draft.name.trim() || 'Draft' };
    const timer = setTimeout(() => {
      api<{ preview: CampaignPreview }>(studyPath(study.studyId, '/campaigns/preview'), { method: 'POST', body }).then(
        (r) => setPreview({ ok: true, preview: r.preview }),
        (err: unknown) => setPreview({ ok: false, error: messageOf(err) }),
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [study.studyId, JSON.stringify(draft)]);

  const save = (e: Event) => {
    e.preventDefault();
    setSaving(true);
    setSaveError(undefined);
    api<{ campaign: Campaign }>(studyPath(study.studyId, '/campaigns'), { method: 'POST', body: draft }).then(
      (r) => {
        setSaving(false);
        onSaved(r.campaign);
        set('name', '');
      },
      (err: unknown) => {
        setSaving(false);
        setSaveError(err instanceof ApiFailure ? messageOf(err) : String(err));
      },
    );
  };

  return (
    <form class="campaign-form" onSubmit={save} aria-labelledby="new-campaign">
      <h2 id="new-campaign">New campaign</h2>
      <div class="form-grid">
        <label>
          Name
          <input required maxLength={120} value={draft.name} onInput={(e) => set('name', (e.target as HTMLInputElement).value)} />
        </label>
        <fieldset>
          <legend>Modules, in order of sending</legend>
          {MODULES.map((m) => (
            <label key={m.id} class="check">
              <input type="checkbox" checked={draft.modules.includes(m.id)} onChange={(e) => toggle('modules', m.id, (e.target as HTMLInputElement).checked)} />
              {m.title[lang] ?? m.id} ({m.lessons} lessons)
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Arms</legend>
          {study.arms.map((a) => (
            <label key={a.armId} class="check">
              <input
                type="checkbox"
                disabled={!a.treatment}
                checked={draft.targetArms.includes(a.armId)}
                onChange={(e) => toggle('targetArms', a.armId, (e.target as HTMLInputElement).checked)}
              />
              {a.name}
              {!a.treatment && ' (control: never receives lessons)'}
            </label>
          ))}
        </fieldset>
        <label>
          First day
          <input type="date" required value={draft.startsOn} onInput={(e) => set('startsOn', (e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Every (weeks)
          <input type="number" min={1} max={8} required value={draft.everyWeeks} onInput={(e) => set('everyWeeks', Number((e.target as HTMLInputElement).value))} />
        </label>
        <label>
          Day
          <select value={draft.day} onChange={(e) => set('day', Number((e.target as HTMLSelectElement).value))}>
            {DAYS.map((d, i) => (
              <option key={d} value={i + 1}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          Hour ({study.timeZone})
          <input type="number" min={0} max={23} required value={draft.hour} onInput={(e) => set('hour', Number((e.target as HTMLInputElement).value))} />
        </label>
        <label>
          Channel
          <select value={draft.channel} onChange={(e) => set('channel', (e.target as HTMLSelectElement).value as CampaignInput['channel'])}>
            <option value="sms">SMS: the lesson text</option>
            <option value="ussd">USSD: an SMS invitation to the menu</option>
            <option value="both">Both</option>
          </select>
        </label>
      </div>
      <section aria-labelledby="preview-title" class="preview" aria-live="polite">
        <h3 id="preview-title">Preview</h3>
        {!preview ? <p class="muted">Computing…</p> : preview.ok ? <PreviewView p={preview.preview} /> : <p class="error">{preview.error}</p>}
      </section>
      {canSave ? (
        <div class="actions">
          <button type="submit" disabled={saving || !(preview?.ok ?? false)}>
            {saving ? 'Saving…' : 'Schedule campaign'}
          </button>
        </div>
      ) : (
        <p class="muted">Scheduling campaigns is for NGO staff and admins; you can preview.</p>
      )}
      {saveError && (
        <p role="alert" class="error">
          {saveError}
        </p>
      )}
    </form>
  );
}

function PreviewView({ p }: { p: CampaignPreview }) {
  const money = (n: number) => (p.costConfigured ? `${n.toFixed(2)} ${p.currency}` : 'cost not configured');
  return (
    <>
      <p data-testid="preview-totals">
        <strong>{p.totals.recipients}</strong> people, <strong>{p.totals.messages}</strong> SMS, <strong>{p.totals.segments}</strong> segments, <strong>{money(p.totals.cost)}</strong>
      </p>
      <p class="muted">
        Who: {p.audience.counted.map((a) => `${a.count} in ${a.armId} (${a.lang})`).join(', ') || 'nobody'}
        {p.audience.ignored.length > 0 && `; left out: ${p.audience.ignored.map((a) => `${a.count} in ${a.armId} (${a.reason})`).join(', ')}`}
      </p>
      {(p.warnings ?? []).length > 0 && (
        <ul class="warnings" data-testid="preview-warnings" aria-label="What the SMS provider cannot do">
          {(p.warnings ?? []).map((w) => <li key={w}>{w}</li>)}
        </ul>
      )}
      <DataTable columns={[<>When ({p.timeZone})</>, 'Lesson', 'People', 'Segments per SMS', 'Cost']} caption="Lessons by send time" captionHidden>
        {p.weeks.map((w) => (
          <tr key={w.index} class={w.past ? 'past' : ''}>
            <td>
              {w.localTime}
              {w.past && ' (past)'}
            </td>
            <td>{w.title}</td>
            <td>{w.recipients}</td>
            <td>{w.messages.map((m) => `${m.lang} ${m.kind}: ${m.segments} (${m.encoding}, ${m.chars} chars)`).join('; ')}</td>
            <td>{money(w.cost)}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
