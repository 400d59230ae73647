import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ConsoleComplaint, ConsoleMessage, ConsoleParticipant, ConsoleWeek } from '../../core/console/model.js';
import type { ConsoleReader } from '../../core/ports/console.js';

import { projection, queryAll } from './items.js';
import { GSI1, keys, PARTICIPANT_ITEM_PREFIXES } from './keys.js';

/** Participant attributes the console shows or counts: never `phone` (nor the baseline answers). */
const PARTICIPANT = ['studyId', 'participantId', 'lang', 'consent', 'armId', 'assignment', 'stratum', 'cluster', 'lessons', 'reminder', 'channel', 'source', 'createdAt', 'updatedAt'];
const WEEK = ['participantId', 'week', 'studyWeek', 'answers', 'complete', 'completedAt', 'updatedAt'];
const COMPLAINT = ['participantId', 'week', 'provider', 'category', 'ref', 'text', 'at', 'channel'];
const MESSAGE = ['participantId', 'purpose', 'period', 'status', 'failureReason', 'campaignId', 'createdAt', 'sentAt', 'updatedAt'];

/**
 * Reads a study for the web console. Phone numbers are kept out by projection: the items come
 * back without them, so no code path above this one can leak one (invariant 6). The only way
 * to a number is `phoneOf`, which the admin-only reveal calls after writing its audit record.
 *
 * Aggregates read the per-week indexes (`…#DIARY#{week}`, `…#COMPLAINTS#{week}`) and the
 * messages index: one Query per week, not per participant (see DynamoDiaryReader). A
 * participant's timeline reads their own partition (diary weeks, complaints) after locating
 * it by participant id on gsi1; their messages are the study's messages index filtered by id
 * (messages carry no per-participant index), which reads the whole index: acceptable for one
 * click in the console, not for a loop.
 */
export class DynamoConsoleReader implements ConsoleReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Weeks queried at once. */
    private readonly concurrency = 4,
    /**
     * The study's export id (`pid`) of a participant item, when the deployment has the
     * pseudonym key: the number is read for it here and dropped before the item goes up.
     */
    private readonly exportIds?: (studyId: string) => Promise<((p: { phone: string; forgotten?: { pseudonym?: string } }) => string) | undefined>,
  ) {}

  /** Names to project for listed participants: the number too when it becomes an export id. */
  private withIdFields(names: readonly string[]): string[] {
    return this.exportIds ? [...names, 'phone', 'forgotten'] : [...names];
  }

  /** The item with its export id in place of the number (invariant 6 holds above this line). */
  private async exportIdsOf(studyId: string): Promise<(item: Record<string, unknown>) => ConsoleParticipant> {
    const pid = await this.exportIds?.(studyId);
    return (item) => {
      const { phone, forgotten, ...rest } = item;
      const exportId = pid && typeof phone === 'string' ? pid({ phone, ...(forgotten ? { forgotten: forgotten as { pseudonym?: string } } : {}) }) : undefined;
      return { ...(rest as unknown as ConsoleParticipant), ...(forgotten ? { forgotten } : {}), ...(exportId ? { exportId } : {}) } as ConsoleParticipant;
    };
  }

  /**
   * The participant with this export id, or undefined: a read of the study's participants (a
   * pid cannot be turned back into a number), for the console's search by export id.
   */
  async findByExportId(studyId: string, exportId: string): Promise<ConsoleParticipant | undefined> {
    if (!this.exportIds) return undefined;
    const toRow = await this.exportIdsOf(studyId);
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.participantIndex(studyId, '').gsi1pk },
      ...projection(this.withIdFields(PARTICIPANT)),
    });
    return items.map(toRow).find((p) => p.exportId === exportId);
  }

  async participants(studyId: string): Promise<ConsoleParticipant[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.participantIndex(studyId, '').gsi1pk },
      ...projection(PARTICIPANT),
    });
    return items as unknown as ConsoleParticipant[];
  }

  /**
   * A page of participants in id order, after the participant id `after`, optionally of one arm.
   * The position is the participant id (a key condition `gsi1sk > :after`), not DynamoDB's
   * LastEvaluatedKey: that holds the table key, and the table key holds the phone number.
   */
  async participantPage(studyId: string, opts: { limit: number; after?: string; arm?: string }): Promise<{ participants: ConsoleParticipant[]; next?: string }> {
    const found: ConsoleParticipant[] = [];
    const toRow = await this.exportIdsOf(studyId);
    let after = opts.after;
    for (;;) {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI1,
          KeyConditionExpression: after === undefined ? 'gsi1pk = :pk' : 'gsi1pk = :pk AND gsi1sk > :after',
          ...(opts.arm ? { FilterExpression: '#arm = :arm' } : {}),
          ...projection(this.withIdFields(PARTICIPANT), opts.arm ? { '#arm': 'armId' } : {}),
          ExpressionAttributeValues: {
            ':pk': keys.participantIndex(studyId, '').gsi1pk,
            ...(after === undefined ? {} : { ':after': after }),
            ...(opts.arm ? { ':arm': opts.arm } : {}),
          },
          // Filtering by arm reads more than it keeps: read a larger slice, cut it below.
          Limit: opts.arm ? Math.max(opts.limit, 200) : opts.limit,
        }),
      );
      for (const item of out.Items ?? []) {
        found.push(toRow(item));
        if (found.length === opts.limit) return { participants: found, next: (item as { participantId: string }).participantId };
      }
      const last = out.LastEvaluatedKey?.gsi1sk;
      if (typeof last !== 'string') return { participants: found };
      after = last;
    }
  }

  /** The participant index entry with this id, with only `names` read. */
  private async indexEntry(studyId: string, participantId: string, names: readonly string[]): Promise<Record<string, unknown> | undefined> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :id',
        ExpressionAttributeValues: { ':pk': keys.participantIndex(studyId, '').gsi1pk, ':id': participantId },
        ...projection(names),
      }),
    );
    return out.Items?.[0];
  }

  /** The participant with this id, without the phone number, and the key of their partition (for the timeline's reads). */
  private async locate(studyId: string, participantId: string): Promise<{ participant: ConsoleParticipant; pk: string } | undefined> {
    const item = await this.indexEntry(studyId, participantId, ['pk', ...this.withIdFields(PARTICIPANT)]);
    if (!item) return undefined;
    const { pk, ...participant } = item;
    return { participant: (await this.exportIdsOf(studyId))(participant), pk: String(pk) };
  }

  /** Everything on one participant's timeline, or undefined when the study has no such participant. */
  async timeline(studyId: string, participantId: string): Promise<{ participant: ConsoleParticipant; weeks: ConsoleWeek[]; complaints: ConsoleComplaint[]; messages: ConsoleMessage[] } | undefined> {
    const found = await this.locate(studyId, participantId);
    if (!found) return undefined;
    const own = (prefix: string, names: readonly string[]) =>
      queryAll(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': found.pk, ':prefix': prefix },
        ...projection(names),
      });
    const [weeks, complaints, messages] = await Promise.all([
      own(PARTICIPANT_ITEM_PREFIXES.week, WEEK),
      own(PARTICIPANT_ITEM_PREFIXES.complaint, COMPLAINT),
      queryAll(this.doc, {
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk',
        FilterExpression: '#pid = :pid',
        ExpressionAttributeValues: { ':pk': keys.messageIndex(studyId).gsi1pk, ':pid': participantId },
        ...projection(MESSAGE, { '#pid': 'participantId' }),
      }),
    ]);
    return {
      participant: found.participant,
      weeks: weeks as unknown as ConsoleWeek[],
      complaints: complaints as unknown as ConsoleComplaint[],
      messages: messages as unknown as ConsoleMessage[],
    };
  }

  /** The participant's phone number: for the audited, admin-only reveal and nothing else. */
  async phoneOf(studyId: string, participantId: string): Promise<string | undefined> {
    const phone = (await this.indexEntry(studyId, participantId, ['phone']))?.phone;
    return typeof phone === 'string' ? phone : undefined;
  }


  /** Diary weeks of the study in these ISO weeks (gsi1 `…#DIARY#{week}`), a few weeks at once. */
  async weeks(studyId: string, isoWeeks: readonly string[]): Promise<ConsoleWeek[]> {
    return this.perWeek(isoWeeks, async (week) => {
      const items = await queryAll(this.doc, {
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.weekIndex(studyId, week, '').gsi1pk },
        ...projection(['participantId', 'studyWeek', 'answers', 'complete']),
      });
      return items.map((i) => ({ ...(i as unknown as ConsoleWeek), week }));
    });
  }

  /** Complaints of the study reported in these ISO weeks (gsi1 `…#COMPLAINTS#{week}`). */
  async complaints(studyId: string, isoWeeks: readonly string[]): Promise<ConsoleComplaint[]> {
    return this.perWeek(isoWeeks, async (week) => {
      const items = await queryAll(this.doc, {
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.complaintIndex(studyId, week, '', '').gsi1pk },
        ...projection(['participantId', 'provider', 'category']),
      });
      return items.map((i) => ({ ...(i as unknown as ConsoleComplaint), week }));
    });
  }

  /** Every outbound message of the study: status and purpose only, no phone, no text. */
  async messages(studyId: string): Promise<ConsoleMessage[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.messageIndex(studyId).gsi1pk },
      ...projection(MESSAGE),
    });
    return items as unknown as ConsoleMessage[];
  }

  private async perWeek<T>(isoWeeks: readonly string[], read: (week: string) => Promise<T[]>): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < isoWeeks.length; i += this.concurrency) {
      for (const rows of await Promise.all(isoWeeks.slice(i, i + this.concurrency).map(read))) out.push(...rows);
    }
    return out;
  }
}
