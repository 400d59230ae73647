import type { ComponentChildren } from 'preact';
import type { Loaded } from '../hooks.js';

/** Loading and error states, announced to screen readers; the content once ready. */
export function Status<T>({ value, children }: { value: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (value.state === 'loading') return <p role="status" class="muted">Loading…</p>;
  if (value.state === 'error') {
    const hint = value.status === 404 ? ' (this server does not offer it yet)' : value.status === 403 ? ' (your role may not see this)' : '';
    return (
      <p role="alert" class="error">
        {value.error}
        {hint}
      </p>
    );
  }
  return <>{children(value.data)}</>;
}
