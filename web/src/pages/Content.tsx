import { useState } from 'preact/hooks';
import { api, type ContentScreen, type Study, studyPath } from '../api.js';
import { PhoneScreen } from '../components/PhoneScreen.js';
import { Status } from '../components/Status.js';
import { useLoad } from '../hooks.js';
import { Page } from '../components/Page.js';

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', sw: 'Kiswahili', bn: 'Bengali' };

/** Every USSD screen and SMS, per language, as the phone shows it, with what the network counts. */
export function Content({ study }: { study: Study }) {
  const [lang, setLang] = useState(study.languages[0] ?? 'en');
  const [kind, setKind] = useState<'all' | 'ussd' | 'sms'>('all');
  const [onlyWarnings, setOnlyWarnings] = useState(false);
  const [group, setGroup] = useState('all');
  const data = useLoad(() => api<{ languages: string[]; screens: ContentScreen[] }>(studyPath(study.studyId, `/content-preview?lang=${encodeURIComponent(lang)}`)), [study.studyId, lang]);
  return (
    <Page title="Content preview">
      <div class="filters">
        <label>
          Language{' '}
          <select value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value)}>
            {study.languages.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l] ?? l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Show{' '}
          <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as typeof kind)}>
            <option value="all">USSD screens and SMS</option>
            <option value="ussd">USSD screens</option>
            <option value="sms">SMS</option>
          </select>
        </label>
        {data.state === 'ready' && (
          <label>
            Part{' '}
            <select value={group} onChange={(e) => setGroup((e.target as HTMLSelectElement).value)}>
              <option value="all">Everything</option>
              {[...new Set(data.data.screens.map((s) => s.group))].map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="check">
          <input type="checkbox" checked={onlyWarnings} onChange={(e) => setOnlyWarnings((e.target as HTMLInputElement).checked)} /> Only those with warnings
        </label>
      </div>
      <Status value={data}>
        {({ screens }) => {
          const shown = screens.filter((s) => (kind === 'all' || s.kind === kind) && (group === 'all' || s.group === group) && (!onlyWarnings || s.warnings.length > 0));
          const groups = [...new Set(shown.map((s) => s.group))];
          return (
            <>
              <p role="status">
                {shown.length} of {screens.length} texts; {screens.filter((s) => s.warnings.length > 0).length} with warnings.
              </p>
              {groups.map((g) => (
                <section key={g} aria-label={g}>
                  <h2>{g}</h2>
                  <ul class="screens">
                    {shown
                      .filter((s) => s.group === g)
                      .map((s) => (
                        <li key={`${s.id}-${s.lang}`} class="screen-card">
                          <PhoneScreen text={s.text.replace(/^(CON|END) /, '')} label={`${s.kind === 'ussd' ? 'USSD screen' : 'SMS'} ${s.id}`} />
                          <p class="meta">
                            <span class="tag">{s.kind.toUpperCase()}</span> {s.id}
                            <br />
                            {s.chars} chars · {s.segments} segment{s.segments === 1 ? '' : 's'} · {s.encoding}
                          </p>
                          {s.warnings.length > 0 && (
                            <ul class="warnings">
                              {s.warnings.map((w) => (
                                <li key={w}>⚠ {w}</li>
                              ))}
                            </ul>
                          )}
                        </li>
                      ))}
                  </ul>
                </section>
              ))}
            </>
          );
        }}
      </Status>
    </Page>
  );
}
