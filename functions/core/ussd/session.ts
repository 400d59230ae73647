export type { MenuItemId, UssdSession, UssdState } from '../conversation.js';
import type { UssdSession } from '../conversation.js';

/** Africa's Talking ends a session after about 180 s; keep state a little longer for replays. */
export const SESSION_TTL_SECONDS = 600;

/**
 * With an operator that sends only the latest input, a repeated text is either a replay or
 * the same key pressed again (e.g. "98" on two consent pages in a row). Replays arrive within
 * moments; a person reads a screen for longer than this before answering.
 */
export const REPLAY_WINDOW_MS = 2500;

/** Whether a request with the same `text` as the last one is a replay to answer verbatim. */
export function isReplay(session: Pick<UssdSession, 'lastText' | 'inputMode' | 'updatedAt'>, text: string, now: Date): boolean {
  if (session.lastText !== text) return false;
  if (session.inputMode !== 'latest') return true;
  return now.getTime() - Date.parse(session.updatedAt) < REPLAY_WINDOW_MS;
}

/** The operator sends only the latest input when a text neither repeats nor extends the history. */
export function inputModeAfter(session: Pick<UssdSession, 'lastText' | 'inputMode'> | undefined, text: string): UssdSession['inputMode'] {
  if (!session) return undefined;
  if (session.inputMode) return session.inputMode;
  const extends_ = session.lastText === '' || text === session.lastText || text.startsWith(`${session.lastText}*`);
  return extends_ ? undefined : 'latest';
}

/**
 * The inputs a request adds to the session. Africa's Talking sends the whole history joined
 * by `*`; some operators send only the latest input. A request that extends the previous
 * `text` adds the inputs of its remainder (several if hops were skipped, as from a dial
 * string such as `*384*123*1*98#` or a hand-written curl); any other text is taken as the
 * latest input alone. A `*` typed inside an answer cannot be told from the separator, so
 * content never asks for one.
 */
export function newInputs(lastText: string | undefined, text: string): string[] {
  if (lastText === undefined) return text === '' ? [] : text.split('*');
  if (lastText === '') return text.split('*');
  if (text.startsWith(`${lastText}*`)) return text.slice(lastText.length + 1).split('*');
  return [text];
}
