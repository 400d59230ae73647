/** One entry of a study's audit trail: who did what sensitive thing, when, and why. */
export interface AuditEvent {
  studyId: string;
  at: string;
  by: string;
  action: 'reveal-phone' | 'export-with-phones' | (string & {});
  participantId?: string;
  reason?: string;
  detail?: string;
}

/** A study's audit trail: entries are only ever added, written before the sensitive answer. */
export interface AuditStore {
  append(event: AuditEvent): Promise<void>;
  /** Newest first. */
  list(studyId: string, limit?: number): Promise<AuditEvent[]>;
}
