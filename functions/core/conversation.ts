import type { AnswerValue, Lang } from './model.js';

/** The USSD conversation as stored: an enrolment session's, or a diary week's (diary/week-record.ts). */
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
  /** Whether the provider's desk may see the number, asked for each complaint. */
  | { at: 'problemShare'; lang: Lang; provider: string; category: string; text?: string }
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
