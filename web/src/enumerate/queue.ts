/**
 * Answers typed on a weak connection: each is queued in the browser (localStorage, so a closed
 * laptop keeps it) with its idempotency key, and sent in order when the connection returns. The
 * server answers a resend of a key it has with "duplicate", so nothing is saved twice.
 */
export interface QueuedAnswer {
  path: string;
  body: { questionId: string; input: string; key: string; lang: string; basedOn?: string; overrodePrompt?: boolean };
}

const STORE = 'sauti.interview.queue';

export function queued(): QueuedAnswer[] {
  try {
    return JSON.parse(localStorage.getItem(STORE) ?? '[]') as QueuedAnswer[];
  } catch {
    return [];
  }
}

function keep(list: QueuedAnswer[]): void {
  localStorage.setItem(STORE, JSON.stringify(list));
}

export function enqueue(a: QueuedAnswer): void {
  keep([...queued().filter((q) => q.body.key !== a.body.key), a]);
}

/** Sends what is queued, oldest first; stops at the first network failure and keeps the rest. */
export async function flush(send: (a: QueuedAnswer) => Promise<void>): Promise<number> {
  let sent = 0;
  for (const a of queued()) {
    try {
      await send(a);
    } catch (err) {
      if (err instanceof TypeError) break; // fetch's network failure: try again when online
    }
    keep(queued().filter((q) => q.body.key !== a.body.key));
    sent += 1;
  }
  return sent;
}

/** A fresh idempotency key per answer. */
export const answerKey = (): string => crypto.randomUUID().replace(/-/g, '');
