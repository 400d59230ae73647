/** A stored text that retention may blank: a raw callback's bodies, or an SMS complaint's text. */
export type RetainedItem =
  | { type: 'callback'; key: Record<string, unknown>; kind: string; fields: Record<string, string>; receivedAt: unknown }
  | { type: 'complaint'; key: Record<string, unknown>; studyId: string; at: unknown };

/** What retention reads and blanks; which items go is decided in core/privacy/apply-retention.ts. */
export interface RetentionStore {
  /** Pages of items still holding text that retention may remove. */
  holdingText(): AsyncIterable<readonly RetainedItem[]>;
  /** Removes a callback's raw bodies; false when the item is gone meanwhile. */
  blankCallback(key: Record<string, unknown>, at: string): Promise<boolean>;
  /** Removes a complaint's text and recording URL; false when the item is gone meanwhile. */
  blankComplaint(key: Record<string, unknown>, at: string): Promise<boolean>;
}
