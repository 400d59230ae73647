import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RAW_BODY_FIELDS } from '../../core/privacy/forget.js';
import type { RetainedItem, RetentionStore } from '../../core/ports/retention.js';
import { isConditionFailure } from './items.js';
import { NUMBER_BEARING_PREFIXES, PARTICIPANT_ITEM_PREFIXES } from './keys.js';

/**
 * What retention reads and blanks on the single table: one filtered Scan for raw callbacks and
 * complaints still holding an SMS's text or a voice recording's URL; the rules (which of them go) are the core's
 * (core/privacy/apply-retention.ts).
 */
export class DynamoRetentionStore implements RetentionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async *holdingText(): AsyncIterable<readonly RetainedItem[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '(begins_with(pk, :callback) AND attribute_not_exists(bodiesBlankedAt)) OR (begins_with(sk, :complaint) AND ((channel = :sms AND attribute_exists(#text)) OR attribute_exists(recordingUrl)))',
          ExpressionAttributeNames: { '#text': 'text' },
          ExpressionAttributeValues: { ':callback': NUMBER_BEARING_PREFIXES.callback, ':complaint': PARTICIPANT_ITEM_PREFIXES.complaint, ':sms': 'sms' },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      yield (page.Items ?? []).map((item): RetainedItem => {
        const key = { pk: item.pk, sk: item.sk };
        return String(item.pk).startsWith(NUMBER_BEARING_PREFIXES.callback)
          ? { type: 'callback', key, kind: String(item.kind), fields: (item.fields ?? {}) as Record<string, string>, receivedAt: item.receivedAt }
          : { type: 'complaint', key, studyId: String(item.studyId), at: item.at };
      });
      start = page.LastEvaluatedKey;
    } while (start);
  }

  blankCallback(key: Record<string, unknown>, at: string): Promise<boolean> {
    const names = Object.fromEntries(RAW_BODY_FIELDS.map((f, i) => [`#b${i}`, f]));
    return this.update(key, `REMOVE ${RAW_BODY_FIELDS.map((_, i) => `#fields.#b${i}`).join(', ')} SET bodiesBlankedAt = :at`, { '#fields': 'fields', ...names }, { ':at': at });
  }

  blankComplaint(key: Record<string, unknown>, at: string): Promise<boolean> {
    // The recording's URL too: AT's link to the participant's own voice is raw input like an SMS.
    return this.update(key, 'REMOVE #text, recordingUrl SET textBlankedAt = :at', { '#text': 'text' }, { ':at': at });
  }

  private async update(key: Record<string, unknown>, expression: string, names: Record<string, string>, values: Record<string, unknown>): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName, Key: key, UpdateExpression: expression,
          // Only an item that still exists (deleted meanwhile, e.g. by "forget me": leave it gone).
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names, ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return false;
    }
  }
}
