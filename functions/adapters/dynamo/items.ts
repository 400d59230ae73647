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
