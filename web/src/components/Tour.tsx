import { useEffect, useRef } from 'preact/hooks';
import { TOUR } from '../tour.js';

/** The simulator's guided tour: its steps, the current one in view, and the buttons that move it. */
export function Tour({
  step,
  busy,
  stopped,
  onStart,
  onNext,
  onStop,
}: {
  step: number | undefined;
  busy: boolean;
  stopped: string | undefined;
  onStart: () => void;
  onNext: (i: number) => Promise<void>;
  onStop: () => void;
}) {
  const current = useRef<HTMLLIElement>(null);
  useEffect(() => current.current?.scrollIntoView?.({ block: 'nearest' }), [step]);
  return (
    <section class="card tour" aria-labelledby="tour-title">
      <h2 id="tour-title">Guided tour: a weekly diary</h2>
      {step === undefined ? (
        <>
          {stopped && (
            <p role="alert" class="error" data-testid="tour-stopped">
              {stopped}
            </p>
          )}
          <p>Walk through a diary as a participant, one screen at a time, with what each screen is for. The tour makes its own synthetic number: no participant's data changes.</p>
          <button type="button" onClick={onStart}>
            Start the guided tour
          </button>
        </>
      ) : (
        <>
          <ol class="tour-steps">
            {TOUR.map((s, i) => (
              <li key={i} ref={i === step ? current : undefined} class={i === step ? 'current' : i < step ? 'done' : ''} aria-current={i === step ? 'step' : undefined}>
                {s.caption}
              </li>
            ))}
          </ol>
          <div class="actions">
            <button type="button" disabled={busy} onClick={() => void onNext(step)} data-testid="tour-next">
              {step === TOUR.length - 1 ? 'Finish' : 'Next'}
            </button>
            <button type="button" class="secondary" onClick={onStop}>
              Stop the tour
            </button>
          </div>
        </>
      )}
    </section>
  );
}
