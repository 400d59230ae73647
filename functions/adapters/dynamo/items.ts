import type { Participant } from '../../core/model.js';
import { keys } from './keys.js';

/** A participant as stored: keyed by study and phone, indexed by study for listings. */
export function participantItem(p: Participant): Record<string, unknown> {
  return { ...keys.participant(p.studyId, p.phone), ...keys.participantIndex(p.studyId, p.participantId), ...p };
}

/** Removes the storage keys from an item read back from the table. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
}

export function isConditionFailure(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

/**
 * Runs a conditional write: true when it was made, false when its condition failed (the
 * thing was there already, or someone else got there first). Any other error is thrown.
 */
export async function conditionally(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
