export interface RawCallback {
  kind: 'ussd-event' | 'sms-inbound' | 'sms-delivery' | 'infobip-report';
  /** The provider's id for the callback (message id, or session id for USSD events). */
  id: string;
  fields: Record<string, string>;
  receivedAt: string;
}

/** Provider callbacks as received, once per provider id (both AT and Infobip resend). */
export interface CallbackStore {
  /** Returns false when this callback was already stored. */
  saveOnce(callback: RawCallback): Promise<boolean>;
  /** Whether a stored callback was fully acted on (one stored but not processed is acted on again). */
  processed(kind: RawCallback['kind'], id: string): Promise<boolean>;
  markProcessed(kind: RawCallback['kind'], id: string, at: string): Promise<void>;
}

/** True the first time a key is claimed (one help reply a day a number; one retention run a day). */
export interface OnceStore {
  claimOnce(key: string, now: Date): Promise<boolean>;
}
