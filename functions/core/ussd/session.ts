import type { AnswerValue, Lang } from '../model.js';

export type MenuItemId = 'diary' | 'lessons' | 'summary' | 'problem' | 'settings';

/** Where a participant is in the USSD dialogue; stored with the session between hops. */
export type UssdState =
  | { at: 'language' }
  | { at: 'consent'; lang: Lang; page: number }
  | { at: 'declinedBefore'; lang: Lang }
  | { at: 'baseline'; lang: Lang; index: number; page: number; answers: Record<string, AnswerValue> }
  | { at: 'menu'; lang: Lang; page: number }
  | { at: 'comingSoon'; lang: Lang; item: MenuItemId }
  // The weekly diary (answers live in the week record, not here).
  | { at: 'diaryResume'; lang: Lang }
  | { at: 'diaryQuestion'; lang: Lang; index: number; page: number; review: boolean }
  | { at: 'diaryReview'; lang: Lang }
  | { at: 'diaryPick'; lang: Lang; page: number }
  // Lessons (treatment arm only).
  | { at: 'lessonsMenu'; lang: Lang }
  | { at: 'lesson'; lang: Lang; lessonKey: string; page: number }
  | { at: 'quiz'; lang: Lang; lessonKey: string; page: number }
  | { at: 'feedback'; lang: Lang; lessonKey: string; choice: string }
  // My summary, report a problem, settings.
  | { at: 'summary'; lang: Lang }
  | { at: 'problemProvider'; lang: Lang; page: number }
  | { at: 'problemCategory'; lang: Lang; page: number; provider: string }
  | { at: 'problemText'; lang: Lang; provider: string; category: string }
  | { at: 'problemThanks'; lang: Lang; ref: string }
  | { at: 'settings'; lang: Lang; page: number }
  | { at: 'settingsLanguage'; lang: Lang }
  | { at: 'reminderDay'; lang: Lang; page: number }
  | { at: 'reminderHour'; lang: Lang; day: number }
  | { at: 'channel'; lang: Lang }
  | { at: 'stopConfirm'; lang: Lang }
  /** The last screen was an END; nothing more is expected in this session. */
  | { at: 'ended'; lang: Lang; message: 'enrolled' | 'declined' | 'goodbye' | 'diarySaved' | 'settingsSaved' | 'stopped' };

export interface UssdSession {
  sessionId: string;
  studyId: string;
  phone: string;
  state: UssdState;
  /** The `text` of the last request answered, to detect replays and derive the next input. */
  lastText: string;
  /** The exact response sent for `lastText`, replayed verbatim to a repeated request. */
  lastResponse: string;
  version: number;
  /** Set once the operator is seen sending only the latest input instead of the whole history. */
  inputMode?: 'latest';
  startedAt: string;
  updatedAt: string;
  /** Epoch seconds; DynamoDB TTL deletes lazily, so readers must also check it. */
  expiresAt: number;
}

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
