/** One entry of a study's audit trail: who did what sensitive thing, when, and why. */
export interface AuditEvent {
  studyId: string;
  at: string;
  /** A label for people (the email): it can have changed since. */
  by: string;
  /** The actor's immutable id (Cognito's `sub`): the identity of record. Absent on entries written before it was kept. */
  byId?: string;
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
