import type { ComponentChildren } from 'preact';

/**
 * A feature phone's screen: a narrow monochrome display that wraps text as the handset does.
 * Used by the content preview and the simulator, so both show text the same way.
 */
export function PhoneScreen({ text, label, children }: { text: string; label: string; children?: ComponentChildren }) {
  return (
    <div class="phone-screen" role="group" aria-label={label}>
      <pre class="phone-text">{text}</pre>
      {children}
    </div>
  );
}
