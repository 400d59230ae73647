import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Arm, Study } from '../../core/model.js';
import type { StudyReader } from '../../core/ports/studies.js';
import { queryAll, withoutKeys } from './items.js';
import { GSI1, keys } from './keys.js';

type StudyMeta = Omit<Study, 'arms'>;

/** Reads studies; the USSD path uses it, so it carries no write code (see study-admin.ts). */
export class DynamoStudyStore implements StudyReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async studyForServiceCode(serviceCode: string): Promise<Study | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.serviceCode(serviceCode) }));
    const studyId = out.Item?.studyId;
    return typeof studyId === 'string' ? this.getStudy(studyId) : undefined;
  }

  /** The study that claimed an SMS short code (incoming SMS to it belong to that study). */
  async studyForShortCode(shortCode: string): Promise<Study | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.smsShortCode(shortCode) }));
    const studyId = out.Item?.studyId;
    return typeof studyId === 'string' ? this.getStudy(studyId) : undefined;
  }

  /** Every study id, from the index (a handful per deployment: no paging needed in practice, but done). */
  async studyIds(): Promise<string[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'STUDIES' },
      ProjectionExpression: 'studyId',
    });
    return items.map((i) => String(i.studyId));
  }

  /** The study's settings and arms live in one partition: one query reads both. */
  async getStudy(studyId: string): Promise<Study | undefined> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.study(studyId).pk },
        ConsistentRead: true,
      }),
    );
    const items = out.Items ?? [];
    const meta = items.find((i) => i.sk === 'META');
    if (!meta) return undefined;
    // Arms keep the order the study defined (the sort key alone would order them by id).
    const arms = items
      .filter((i) => String(i.sk).startsWith('ARM#'))
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map((i) => {
        const { position: _position, ...arm } = withoutKeys<Arm & { position: number }>(i);
        return arm;
      });
    return { ...withoutKeys<StudyMeta>(meta), arms };
  }
}
