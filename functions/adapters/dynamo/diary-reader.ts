import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DiaryWeekData } from '../../core/impact/outcomes.js';
import type { DiaryReader } from '../../core/ports/diary.js';
import { queryAll } from './items.js';
import { GSI1, keys } from './keys.js';

/**
 * Reads a study's diary weeks for the impact report, one Query per ISO week on gsi1
 * (`STUDY#{studyId}#DIARY#{isoWeek}`, written with every diary week: keys.weekIndex).
 *
 * Why by week and not by participant partition (`sk begins_with DIARY#`): the number of
 * queries grows with the study's weeks (one a week, ~52 a year), not with its participants
 * (one each, 1,300 in a Garment Worker Diaries-sized panel); the report already holds every
 * participant (it needs the arms), so items without the arm cost no join. Only the fields the
 * report reads are projected — not the phone number, not the USSD conversation — which keeps
 * the reads small and phone numbers out of the report's memory. The index is eventually
 * consistent: a report is a snapshot. A week record with an ISO week outside the study's weeks
 * (answered before its first day) is not read.
 */
export class DynamoDiaryReader implements DiaryReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Weeks queried at once. */
    private readonly concurrency = 4,
  ) {}

  /** Every diary week of the study in one ISO week (e.g. `2026-W48`), all pages. */
  async week(studyId: string, isoWeek: string): Promise<DiaryWeekData[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.weekIndex(studyId, isoWeek, '').gsi1pk },
      ProjectionExpression: '#participantId, #studyWeek, #answers, #complete',
      ExpressionAttributeNames: { '#participantId': 'participantId', '#studyWeek': 'studyWeek', '#answers': 'answers', '#complete': 'complete' },
    });
    return items.map((item) => ({
      participantId: String(item.participantId),
      studyWeek: Number(item.studyWeek),
      answers: (item.answers ?? {}) as DiaryWeekData['answers'],
      complete: item.complete === true,
    }));
  }

  /** Every diary week of the study in the given ISO weeks, a few weeks queried at once. */
  async weeks(studyId: string, isoWeeks: readonly string[]): Promise<DiaryWeekData[]> {
    const out: DiaryWeekData[] = [];
    for (let i = 0; i < isoWeeks.length; i += this.concurrency) {
      const batch = await Promise.all(isoWeeks.slice(i, i + this.concurrency).map((w) => this.week(studyId, w)));
      for (const records of batch) out.push(...records);
    }
    return out;
  }
}
