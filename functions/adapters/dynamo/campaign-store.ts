import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Campaign } from '../../core/campaign/model.js';
import type { CampaignStore } from '../../core/ports/campaigns.js';
import { conditionally, queryAll, withoutKeys } from './items.js';
import { keys } from './keys.js';

/** Campaigns of a study: created once, then changed only if unchanged since read (no lost update). */
export class DynamoCampaignStore implements CampaignStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** false when a campaign with this id exists. */
  async create(c: Campaign): Promise<boolean> {
    return conditionally(
      this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.campaign(c.studyId, c.campaignId), ...c }, ConditionExpression: 'attribute_not_exists(pk)' })),
    );
  }

  /** false when someone changed it since `previousUpdatedAt` (the caller reads again). */
  async save(c: Campaign, previousUpdatedAt: string): Promise<boolean> {
    return conditionally(
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.campaign(c.studyId, c.campaignId), ...c },
          ConditionExpression: 'updatedAt = :prev',
          ExpressionAttributeValues: { ':prev': previousUpdatedAt },
        }),
      ),
    );
  }

  async get(studyId: string, campaignId: string): Promise<Campaign | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.campaign(studyId, campaignId), ConsistentRead: true }));
    return out.Item ? withoutKeys<Campaign>(out.Item) : undefined;
  }

  /** All campaigns of the study, oldest first. */
  async list(studyId: string): Promise<Campaign[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.campaign(studyId, '').pk },
      ConsistentRead: true,
    });
    return items.map((i) => withoutKeys<Campaign>(i)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}
