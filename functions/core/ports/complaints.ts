import type { Complaint } from '../model.js';

export interface ComplaintStore {
  /** Stores a complaint once (a resent request with the same reference changes nothing). */
  saveComplaint(complaint: Complaint): Promise<void>;
}
