import type { Complaint } from '../model.js';

export interface ComplaintStore {
  /**
   * Stores a complaint once (a resent request with the same reference changes nothing), with
   * the case it opens (cases/model.ts `caseFromComplaint`; kudos open none) in the same write.
   */
  saveComplaint(complaint: Complaint): Promise<void>;
}
