import { useEffect, useRef, useState } from 'preact/hooks';
// The core's own counting (pure, no AWS): the simulator measures screens as the USSD engine does.
import { encodedLength } from '../../../functions/core/text/gsm7.js';
import { USSD_LIMIT } from '../../../functions/core/ussd/limits.js';
import { PhoneScreen } from '../components/PhoneScreen.js';
import { SmsInbox } from '../components/SmsInbox.js';
import { Tour } from '../components/Tour.js';
import { messageOf, useLoad } from '../hooks.js';
import { type SimStudy, simulator } from '../simulator-api.js';
import { TOUR, type TourStep, tourMove } from '../tour.js';
import { Page } from '../components/Page.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

interface Session {
  id: string;
  code: string;
  inputs: string[];
  screen: string;
  /** The screen as the handler answered it, with its CON/END prefix. */
  raw: string;
  end: boolean;
}

const newSessionId = () => `SIM-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * A feature phone against the local stack: dial the study's USSD code and answer screen by
 * screen, or text the short code and read the replies. Every hop goes through the same
 * handlers Africa's Talking calls, so the screens are the real ones.
 */
export function Simulator() {
  const config = useLoad(() => simulator.config(), []);
  if (config.state === 'loading') return <p role="status">Loading the simulator…</p>;
  if (config.state === 'error')
    return (
      <Page title="Phone simulator">
        <p role="alert" class="error">
          The simulator runs only with the local stack (npm start): {config.error}
        </p>
      </Page>
    );
  return <SimulatorBody studies={config.data.studies} />;
}

function SimulatorBody({ studies }: { studies: SimStudy[] }) {
  const [studyId, setStudyId] = useState(studies[0]?.studyId ?? '');
  const study = studies.find((s) => s.studyId === studyId) ?? studies[0];
  const [added, setAdded] = useState<string[]>([]);
  const phones = [...(study?.phones ?? []), ...added.map((phone) => ({ phone, label: 'added here' }))];
  const [phone, setPhone] = useState(phones[0]?.phone ?? '+254700000001');
  const [newNumber, setNewNumber] = useState('');
  const [dialCode, setDialCode] = useState(study?.serviceCode ?? '');
  const [session, setSession] = useState<Session>();
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [tourStep, setTourStep] = useState<number>();
  const [tourStopped, setTourStopped] = useState<string>();
  // The tour's own number, read by the steps that follow the one that made it (before a re-render).
  const tourPhone = useRef<string>();
  const answerRef = useRef<HTMLInputElement>(null);

  useEffect(() => setDialCode(study?.serviceCode ?? ''), [study?.serviceCode]);

  const hop = async (s: Omit<Session, 'screen' | 'raw' | 'end'>, from = phone) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await simulator.ussd({ sessionId: s.id, phoneNumber: from, serviceCode: s.code, text: s.inputs.join('*') });
      setSession({ ...s, screen: r.screen, raw: r.raw, end: r.end });
      setAnswer('');
      answerRef.current?.focus();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const dial = (code = dialCode, from = phone) => hop({ id: newSessionId(), code, inputs: [] }, from);
  const send = (key = answer, from = phone) => {
    if (!session || session.end) return Promise.resolve();
    return hop({ id: session.id, code: session.code, inputs: [...session.inputs, key] }, from);
  };
  const hangUp = () => {
    setSession(undefined);
    setAnswer('');
  };
  const pickPhone = (p: string) => {
    setPhone(p);
    hangUp();
  };
  const press = (k: string) => {
    if (session && !session.end) setAnswer((a) => a + k);
    else if (!session) setDialCode((c) => c + k);
  };

  /** Runs one step of the tour; a sentence when the tour must stop instead. */
  const runTourStep = async (step: TourStep): Promise<string | undefined> => {
    const a = step.action;
    if (a.kind === 'start') {
      try {
        const made = await simulator.tour({ studyId: study?.studyId ?? '' });
        tourPhone.current = made.phone;
        setAdded((list) => (list.includes(made.phone) ? list : [...list, made.phone]));
        pickPhone(made.phone);
        return undefined;
      } catch (err) {
        return `The tour could not make its own number, so it did not start: ${messageOf(err)}`;
      }
    }
    const own = tourPhone.current;
    if (!own) return 'The tour has no number of its own: start it again.';
    if (phone !== own) return `The tour stopped: ${phone} is selected, not the tour's own number ${own}. Nothing was pressed.`;
    if (a.kind === 'dial') {
      await dial(study?.serviceCode ?? dialCode, own);
      return undefined;
    }
    const move = tourMove(a, session?.screen);
    if (move.stop) return move.stop;
    if (move.press !== undefined) await send(move.press, own);
    return undefined;
  };

  const screenText = session ? session.screen : `${study?.name ?? 'Sauti'}\n\nDial ${dialCode || '…'}`;
  return (
    <Page title="Phone simulator" class="simulator">
      <p class="muted">Everything here uses synthetic numbers against the local stack: no real SMS is sent.</p>
      <div class="sim-controls">
        {studies.length > 1 && (
          <label>
            Study{' '}
            <select
              value={studyId}
              onChange={(e) => {
                const next = studies.find((s) => s.studyId === (e.target as HTMLSelectElement).value);
                setStudyId(next?.studyId ?? '');
                if (next?.phones[0]) pickPhone(next.phones[0].phone);
              }}
            >
              {studies.map((s) => (
                <option key={s.studyId} value={s.studyId}>
                  {s.name} ({s.serviceCode})
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Simulated phone{' '}
          <select value={phone} onChange={(e) => pickPhone((e.target as HTMLSelectElement).value)}>
            {phones.map((p) => (
              <option key={p.phone} value={p.phone}>
                {p.phone} ({p.label})
              </option>
            ))}
          </select>
        </label>
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            const n = newNumber.trim().replace(/\s+/g, '');
            if (!/^\+\d{7,15}$/.test(n)) {
              setError('A new number needs the international form, e.g. +254799000001.');
              return;
            }
            setAdded((list) => (list.includes(n) ? list : [...list, n]));
            pickPhone(n);
            setNewNumber('');
          }}
        >
          <label>
            Add a number{' '}
            <input type="tel" placeholder="+254799000001" value={newNumber} onInput={(e) => setNewNumber((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">Add</button>
        </form>
      </div>

      <div class="sim-layout">
        <div class="phone" aria-label={`Feature phone ${phone}`} role="region">
          <div class="phone-top" aria-hidden="true">
            <span class="speaker" />
          </div>
          <PhoneScreen text={screenText} label="Phone screen">
            <p class="screen-count" aria-live="off">
              {session ? <ScreenCount raw={session.raw} end={session.end} /> : 'idle'}
            </p>
          </PhoneScreen>
          <div class="sr-only" aria-live="polite" data-testid="screen-live">
            {session?.screen}
          </div>
          {!session ? (
            <form
              class="phone-input"
              onSubmit={(e) => {
                e.preventDefault();
                void dial();
              }}
            >
              <label for="dial-code">Number to dial</label>
              <input id="dial-code" value={dialCode} inputMode="tel" onInput={(e) => setDialCode((e.target as HTMLInputElement).value)} />
              <button type="submit" class="call" disabled={busy || !dialCode}>
                Call
              </button>
            </form>
          ) : session.end ? (
            <div class="phone-input">
              <button type="button" onClick={hangUp}>
                OK
              </button>
            </div>
          ) : (
            <form
              class="phone-input"
              onSubmit={(e) => {
                e.preventDefault();
                void send();
              }}
            >
              <label for="ussd-answer">Your answer</label>
              <input id="ussd-answer" ref={answerRef} value={answer} inputMode="numeric" autoComplete="off" onInput={(e) => setAnswer((e.target as HTMLInputElement).value)} />
              <button type="submit" disabled={busy}>
                Send
              </button>
              <button type="button" class="end" onClick={hangUp}>
                Cancel
              </button>
            </form>
          )}
          <div class="keypad" role="group" aria-label="Keypad">
            {KEYS.map((k) => (
              <button type="button" key={k} onClick={() => press(k)} aria-label={`Key ${k}`}>
                {k}
              </button>
            ))}
          </div>
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
        </div>

        <div class="sim-side">
          <Tour
            step={tourStep}
            busy={busy}
            stopped={tourStopped}
            onStart={() => {
              setTourStopped(undefined);
              tourPhone.current = undefined;
              setTourStep(0);
            }}
            onNext={async (i) => {
              const step = TOUR[i];
              const stop = step ? await runTourStep(step) : undefined;
              if (stop) setTourStopped(stop);
              setTourStep(!stop && i + 1 < TOUR.length ? i + 1 : undefined);
            }}
            onStop={() => setTourStep(undefined)}
          />
          <SmsInbox phone={phone} shortCode={study?.smsShortCode} />
        </div>
      </div>
    </Page>
  );
}

function ScreenCount({ raw, end }: { raw: string; end: boolean }) {
  const { length, encoding } = encodedLength(raw);
  const limit = USSD_LIMIT[encoding];
  return (
    <span class={length > limit ? 'over' : ''}>
      {length}/{limit} chars ({encoding}, with the {end ? 'END' : 'CON'} prefix){length > limit ? ' · too long for one screen' : ''}
      {end ? ' · session ended' : ''}
    </span>
  );
}
