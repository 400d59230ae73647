import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, type QueryCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { WeekRecord } from '../../core/diary/week-record.js';
import type { Complaint, Participant } from '../../core/model.js';
import {
  type ForgetMark,
  forgottenComplaint,
  forgottenMarker,
  forgottenParticipant,
  forgottenWeek,
  phoneVariants,
  redactText,
  redactedFields,
} from '../../core/privacy/forget.js';
import { envPhoneKeys, type PhoneKeys } from '../phone-key.js';
import { conditionally, queryAll, queryPages, withoutKeys } from './items.js';
import { GSI1, GSI2, keys, NUMBER_BEARING_PREFIXES, numberIndex, PARTICIPANT_ITEM_PREFIXES, type PhoneHasher } from './keys.js';

import type { ForgetResult, ForgetStore } from '../../core/ports/forget.js';

export type { ForgetResult };

/**
 * Forgets a participant on the single table, by Queries only: their own partition (keyed by the
 * hash of the number), the number index (gsi2: messages, raw callbacks and USSD sessions that
 * name the number) and their local outbox partition. So a forget reads about the participant's
 * own items, whatever the size of the table (bench/forget.bench.ts). Crash-safe and idempotent
 * by its order:
 *  1. the audit record and the forgotten profile (`STUDY#…#FORGOTTEN#<participantId>`) are
 *     written first;
 *  2. each diary week and complaint is copied there, redacted, then its original deleted;
 *  3. the items of the number index are redacted (and leave the index) or deleted, and so is
 *     the outbox partition;
 *  4. the number-keyed profile is deleted last.
 * So a run that dies half-way leaves the number-keyed profile in place, and running it again
 * (the job redelivered, or the admin asking again) finishes the work; a run after the end finds
 * nothing to do.
 */
export class DynamoForgetStore implements ForgetStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly phones: PhoneKeys = envPhoneKeys,
  ) {}

  /** A participant by id: still reachable by phone (`active`), or already forgotten. */
  async findById(studyId: string, participantId: string): Promise<{ active?: Participant; forgotten?: Participant }> {
    const found = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :id',
      ExpressionAttributeValues: { ':pk': keys.participantIndex(studyId, participantId).gsi1pk, ':id': participantId },
    });
    const out: { active?: Participant; forgotten?: Participant } = {};
    for (const item of found) {
      if (item.sk !== 'PROFILE') continue;
      if (String(item.pk).startsWith(keys.forgotten(studyId, participantId).pk)) out.forgotten = withoutKeys<Participant>(item);
      else {
        // The index is eventually consistent: read the profile itself before acting on it.
        const fresh = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }));
        if (fresh.Item) out.active = withoutKeys<Participant>(fresh.Item);
      }
    }
    return out;
  }

  async forget(p: Participant, mark: ForgetMark, audit: { by: string; reason?: string }): Promise<ForgetResult> {
    const hash = await this.phones.hasher();
    const marker = forgottenMarker(p.participantId);
    const variants = phoneVariants(p.phone);
    const home = keys.forgotten(p.studyId, p.participantId).pk;
    const result: ForgetResult = { participantId: p.participantId, weeks: 0, complaints: 0, messages: 0, callbacks: 0, deleted: 0 };

    // 1. Who asked, when, why: never the number (a reason typed with one in it is redacted too).
    await this.put({
      ...keys.audit(p.studyId, mark.at, `forget#${p.participantId}`),
      action: 'forget', studyId: p.studyId, participantId: p.participantId, by: audit.by, requestedBy: mark.by, at: mark.at,
      ...(audit.reason ? { reason: redactText(audit.reason, variants, marker) } : {}),
    });
    await this.put({ pk: home, sk: 'PROFILE', ...keys.participantIndex(p.studyId, p.participantId), ...forgottenParticipant(p, mark) });

    // 2. The research record moves: copy redacted, then delete the original.
    const partition = keys.participant(p.studyId, hash(p.phone)).pk;
    for await (const items of this.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partition }, ConsistentRead: true })) {
      for (const item of items) {
        const sk = String(item.sk);
        if (sk.startsWith(PARTICIPANT_ITEM_PREFIXES.week)) {
          const w = forgottenWeek(withoutKeys<WeekRecord>(item));
          await this.put({ pk: home, sk, ...keys.weekIndex(w.studyId, w.week, w.participantId), ...w });
          result.weeks += 1;
        } else if (sk.startsWith(PARTICIPANT_ITEM_PREFIXES.complaint)) {
          const c = forgottenComplaint(withoutKeys<Complaint>(item));
          await this.put({ pk: home, sk, ...keys.complaintIndex(c.studyId, c.week, c.provider, c.ref), ...c });
          result.complaints += 1;
        } else continue;
        await this.delete({ pk: partition, sk });
      }
    }

    // 3. Everything else that holds the number: found by the number index and the outbox partition.
    await this.redactIndexed(hash, p.phone, mark, marker, variants, result);
    for await (const items of this.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.outbox(hash(p.phone)).pk }, ProjectionExpression: 'pk, sk' })) {
      for (const item of items) {
        await this.delete({ pk: item.pk, sk: item.sk });
        result.deleted += 1;
      }
    }

    // 4. Last: while the number-keyed profile exists, a re-run can still find and finish the work.
    await this.delete({ pk: partition, sk: 'PROFILE' });
    return result;
  }

  /** Messages, raw callbacks and sessions in the number index: each leaves it as it is redacted. */
  private async redactIndexed(hash: PhoneHasher, phone: string, mark: ForgetMark, marker: string, variants: string[], result: ForgetResult): Promise<void> {
    const gsi2pk = numberIndex(hash(phone), '', '').gsi2pk;
    // Keys only (the index projects nothing more); a consistent read of each item follows.
    for await (const entries of this.query({ IndexName: GSI2, KeyConditionExpression: 'gsi2pk = :n', ExpressionAttributeValues: { ':n': gsi2pk } })) {
      for (const entry of entries) {
        const key = { pk: entry.pk, sk: entry.sk };
        const pk = String(entry.pk);
        if (pk.startsWith(NUMBER_BEARING_PREFIXES.message)) {
          await this.doc.send(
            new UpdateCommand({
              TableName: this.tableName, Key: key,
              // The record (status, purpose, period) stays for the messages export; who and what go.
              UpdateExpression: `SET forgotten = :marker${mark.pseudonym ? ', pid = :pid' : ''} REMOVE phone, #text, gsi2pk, gsi2sk`,
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#text': 'text' },
              ExpressionAttributeValues: { ':marker': marker, ...(mark.pseudonym ? { ':pid': mark.pseudonym } : {}) },
            }),
          ).catch((err: unknown) => {
            if (!(err instanceof Error && err.name === 'ConditionalCheckFailedException')) throw err;
          });
          result.messages += 1;
        } else if (pk.startsWith(NUMBER_BEARING_PREFIXES.callback)) {
          const found = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
          if (!found.Item) continue;
          const { gsi2pk: _n1, gsi2sk: _n2, ...item } = found.Item;
          const fields = redactedFields((item.fields ?? {}) as Record<string, string>, variants, marker);
          await this.put({ ...item, fields, redactedAt: mark.at });
          result.callbacks += 1;
        } else {
          // USSD sessions hold the number and nothing of research value: they go.
          await this.delete(key);
          result.deleted += 1;
        }
      }
    }
  }

  private query(input: Omit<QueryCommandInput, 'TableName'>): AsyncGenerator<Record<string, unknown>[]> {
    return queryPages(this.doc, { TableName: this.tableName, ...input });
  }

  private async put(item: Record<string, unknown>): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  private async delete(key: Record<string, unknown>): Promise<void> {
    await conditionally(this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key })));
  }
}

/** The partition of a participant's research record, for its readers (exports). */
export function researchPartition(p: Pick<Participant, 'studyId' | 'phone' | 'participantId' | 'forgotten'>, hash: PhoneHasher): string {
  return p.forgotten ? keys.forgotten(p.studyId, p.participantId).pk : keys.participant(p.studyId, hash(p.phone)).pk;
}
