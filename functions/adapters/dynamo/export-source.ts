import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { EXPORT_WEEK_FIELDS, type ExportMessage, type ExportSource, type ExportWeek } from '../../core/ports/exports.js';
import type { Complaint, Participant } from '../../core/model.js';
import { projection, withoutKeys } from './items.js';
import { envPhoneKeys, type PhoneKeys } from '../phone-key.js';
import { researchPartition } from './forget-store.js';
import { GSI1, keys, PARTICIPANT_ITEM_PREFIXES } from './keys.js';

/**
 * Reads a study for the research exports, a page at a time.
 *
 * Diary weeks and complaints are read from each participant's own partition
 * (`STUDY#{studyId}#PH#{hash of the number}`: `DIARY#{week}`, `COMPLAINT#{ref}`), participants being paged
 * from gsi1 (`STUDY#{studyId}#PARTICIPANTS`). Not from the per-week indexes
 * (`…#DIARY#{week}`, `…#COMPLAINTS#{week}`), because:
 * - every row needs the participant's arm, which the week items do not carry: by partition the
 *   participant is at hand, with no join and no participant map held in memory;
 * - it needs no list of weeks, and so misses no week (one before the study's start, say);
 * - memory is one participant's items at a time, rows come out in panel order (participant,
 *   then week).
 * The cost is one Query per participant (a handful run at once, core/export READ_CONCURRENCY),
 * billed by size like the index reads would be. All reads are eventually consistent: an export
 * is a snapshot, not a transaction.
 */
export class DynamoExportSource implements ExportSource {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly pageSize = 200,
    private readonly phones: PhoneKeys = envPhoneKeys,
  ) {}

  async *participants(studyId: string): AsyncGenerator<Participant[]> {
    for await (const items of this.pages({
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.participantIndex(studyId, '').gsi1pk },
      Limit: this.pageSize,
    })) {
      yield items.map((i) => withoutKeys<Participant>(i));
    }
  }

  async weeks(p: Participant): Promise<ExportWeek[]> {
    // Only what the datasets use: not the keys, the phone, the timestamps or the USSD
    // conversation, which would be unmarshalled for nothing (a fifth of an export's reads).
    return (await this.all(p, PARTICIPANT_ITEM_PREFIXES.week, EXPORT_WEEK_FIELDS)) as unknown as ExportWeek[];
  }

  async complaints(p: Participant): Promise<Complaint[]> {
    return (await this.all(p, PARTICIPANT_ITEM_PREFIXES.complaint)).map((i) => withoutKeys<Complaint>(i));
  }

  async *messages(studyId: string): AsyncGenerator<ExportMessage[]> {
    for await (const items of this.pages({
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.messageIndex(studyId).gsi1pk },
      // Only what the export writes: not the text, not the claim's bookkeeping.
      ProjectionExpression: 'messageId, studyId, participantId, purpose, period, #status, phone, pid, failureReason, attempts, treatmentOnly, sentAt, createdAt, updatedAt',
      ExpressionAttributeNames: { '#status': 'status' },
      Limit: 500,
    })) {
      yield items as unknown as ExportMessage[];
    }
  }

  /** Every item of a participant's partition whose sort key starts with `prefix`, in key order. */
  private async all(p: Participant, prefix: string, fields?: readonly string[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    const only = fields ? projection(fields) : {};
    // A forgotten participant's record lives under their id, no longer under their number.
    const pk = researchPartition(p, await this.phones.hasher());
    for await (const items of this.pages({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix }, ...only })) {
      found.push(...items);
    }
    return found;
  }

  private async *pages(input: Omit<QueryCommandInput, 'TableName'>): AsyncGenerator<Record<string, unknown>[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(new QueryCommand({ TableName: this.tableName, ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
      if (out.Items && out.Items.length > 0) yield out.Items;
      start = out.LastEvaluatedKey;
    } while (start);
  }
}
