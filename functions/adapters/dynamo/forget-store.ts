import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { WeekRecord } from '../../core/diary/week-record.js';
import type { Complaint, Participant } from '../../core/model.js';
import {
  type ForgetMark,
  forgottenComplaint,
  forgottenMarker,
  forgottenParticipant,
  forgottenWeek,
  mentionsPhone,
  phoneVariants,
  redactText,
  redactedFields,
} from '../../core/privacy/forget.js';
import { conditionally, queryAll, withoutKeys } from './items.js';
import { GSI1, keys, NUMBER_BEARING_PREFIXES, PARTICIPANT_ITEM_PREFIXES } from './keys.js';

import type { ForgetResult, ForgetStore } from '../../core/ports/forget.js';

export type { ForgetResult };

/** Items outside the participant's own partition that can hold their number (keys.ts). */
const SWEPT_PREFIXES = Object.values(NUMBER_BEARING_PREFIXES);

/**
 * Forgets a participant on the single table. Crash-safe and idempotent by its order:
 *  1. the audit record and the forgotten profile (`STUDY#…#FORGOTTEN#<participantId>`) are
 *     written first;
 *  2. each diary week and complaint is copied there, redacted, then its original deleted;
 *  3. messages, callbacks, sessions and markers that mention the number are redacted or deleted;
 *  4. the phone-keyed profile is deleted last.
 * So a run that dies half-way leaves the phone-keyed profile in place, and running it again
 * (same SMS resent, or the admin asking again) finishes the work; a run after the end finds
 * nothing to do. Step 3 is a filtered Scan of the table, paid once per forget (a rare act); raw
 * callbacks stay few because retention (retention-store.ts) blanks them.
 */
export class DynamoForgetStore implements ForgetStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
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
        const p = withoutKeys<Participant>(item);
        const fresh = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.participant(studyId, p.phone), ConsistentRead: true }));
        if (fresh.Item) out.active = withoutKeys<Participant>(fresh.Item);
      }
    }
    return out;
  }

  async forget(p: Participant, mark: ForgetMark, audit: { by: string; reason?: string }): Promise<ForgetResult> {
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
    const partition = keys.participant(p.studyId, p.phone).pk;
    const items = await queryAll(this.doc, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partition }, ConsistentRead: true });
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

    // 3. Everything else that mentions the number.
    for await (const page of this.sweep()) {
      for (const item of page) {
        if (!mentionsPhone(item, variants)) continue;
        const key = { pk: item.pk, sk: item.sk };
        const pk = String(item.pk);
        if (pk.startsWith(NUMBER_BEARING_PREFIXES.message)) {
          await this.doc.send(
            new UpdateCommand({
              TableName: this.tableName, Key: key,
              // The record (status, purpose, period) stays for the messages export; who and what go.
              UpdateExpression: `SET forgotten = :marker${mark.pseudonym ? ', pid = :pid' : ''} REMOVE phone, #text`,
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#text': 'text' },
              ExpressionAttributeValues: { ':marker': marker, ...(mark.pseudonym ? { ':pid': mark.pseudonym } : {}) },
            }),
          ).catch((err: unknown) => {
            if (!(err instanceof Error && err.name === 'ConditionalCheckFailedException')) throw err;
          });
          result.messages += 1;
        } else if (pk.startsWith(NUMBER_BEARING_PREFIXES.callback)) {
          const fields = redactedFields((item.fields ?? {}) as Record<string, string>, variants, marker);
          await this.put({ ...item, fields, redactedAt: mark.at });
          result.callbacks += 1;
        } else {
          // Sessions, once-markers and outbox entries are keyed by or made of the number: they go.
          await this.delete(key);
          result.deleted += 1;
        }
      }
    }

    // 4. Last: while the phone-keyed profile exists, a re-run can still find and finish the work.
    await this.delete({ pk: partition, sk: 'PROFILE' });
    return result;
  }

  /** Pages of the items that can hold a number outside participant partitions. */
  private async *sweep(): AsyncGenerator<Record<string, unknown>[]> {
    const names = SWEPT_PREFIXES.map((_, i) => `begins_with(pk, :p${i})`).join(' OR ');
    const values = Object.fromEntries(SWEPT_PREFIXES.map((prefix, i) => [`:p${i}`, prefix]));
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({ TableName: this.tableName, FilterExpression: names, ExpressionAttributeValues: values, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      if (out.Items && out.Items.length > 0) yield out.Items;
      start = out.LastEvaluatedKey;
    } while (start);
  }

  private async put(item: Record<string, unknown>): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  private async delete(key: Record<string, unknown>): Promise<void> {
    await conditionally(this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key })));
  }
}

/** The forgotten participant partition's key, for readers of the research record (exports). */
export function researchPartition(p: Pick<Participant, 'studyId' | 'phone' | 'participantId' | 'forgotten'>): string {
  return p.forgotten ? keys.forgotten(p.studyId, p.participantId).pk : keys.participant(p.studyId, p.phone).pk;
}
