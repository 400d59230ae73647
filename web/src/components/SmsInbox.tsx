import { useEffect, useState } from 'preact/hooks';
import { messageOf } from '../hooks.js';
import { type SimMessage, simulator } from '../simulator-api.js';

/** The simulated phone's SMS: what the outbox holds for it, polled every 2 seconds, and a composer. */
export function SmsInbox({ phone, shortCode }: { phone: string; shortCode: string | undefined }) {
  const [messages, setMessages] = useState<SimMessage[]>([]);
  const [sent, setSent] = useState<{ text: string; at: string }[]>([]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    setMessages([]);
    setSent([]);
    const poll = () =>
      simulator.inbox(phone).then(
        (r) => live && setMessages(r.messages),
        (err: unknown) => live && setError(messageOf(err)),
      );
    void poll();
    const timer = setInterval(poll, 2000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [phone]);
  const thread = [...messages.map((m) => ({ dir: 'in' as const, text: m.text, at: m.at, key: m.id })), ...sent.map((m, i) => ({ dir: 'out' as const, text: m.text, at: m.at, key: `out-${i}` }))].sort((a, b) =>
    a.at.localeCompare(b.at),
  );
  return (
    <section class="card inbox" aria-labelledby="inbox-title">
      <h2 id="inbox-title">SMS for {phone}</h2>
      {thread.length === 0 ? (
        <p class="muted">No messages yet.</p>
      ) : (
        <ol class="sms-thread" aria-live="polite" tabIndex={0} aria-label="Messages">
          {thread.map((m) => (
            <li key={m.key} class={`sms sms-${m.dir}`}>
              <span class="visually-hidden">{m.dir === 'in' ? 'Received: ' : 'Sent: '}</span>
              {m.text}
              <time dateTime={m.at}>{new Date(m.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</time>
            </li>
          ))}
        </ol>
      )}
      {shortCode ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const body = text.trim();
            if (!body) return;
            setError(undefined);
            simulator.sms({ from: phone, to: shortCode, text: body }).then(
              () => {
                setSent((s) => [...s, { text: body, at: new Date().toISOString() }]);
                setText('');
              },
              (err: unknown) => setError(messageOf(err)),
            );
          }}
        >
          <label for="sms-text">Text to {shortCode}</label>
          <textarea id="sms-text" rows={2} value={text} placeholder="e.g. HELP, or D 8000 M 200 500" onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
          <button type="submit">Send SMS</button>
        </form>
      ) : (
        <p class="muted">This study has no SMS short code.</p>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </section>
  );
}
