import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Study } from '../../core/model.js';
import { RAW_BODY_FIELDS } from '../../core/privacy/forget.js';
import { expired, retentionCutoff, studyOfCallback } from '../../core/privacy/retention.js';
import { DynamoCallbackStore } from './callback-store.js';
import { isConditionFailure } from './items.js';

export interface RetentionResult {
  /** False when no study sets a retention, or today's run has been done already. */
  ran: boolean;
  callbacks: number;
  complaints: number;
}

/**
 * Applies every study's retention (core/privacy/retention.ts) to the table. Cheap on most
 * dispatcher ticks: nothing at all when no study sets a retention, one conditional write
 * otherwise (one run a day, claimed through a once-marker, whichever dispatcher gets there
 * first). The run itself is one filtered Scan for raw callbacks and SMS complaints still
 * holding text; a run that dies half-way is caught up by the next day's, since what goes is
 * decided by age, not by what the last run did. `force` skips the daily claim (tests, "run now").
 */
export async function applyRetention(doc: DynamoDBDocumentClient, tableName: string, studies: readonly Study[], now: Date, opts: { force?: boolean } = {}): Promise<RetentionResult> {
  const result: RetentionResult = { ran: false, callbacks: 0, complaints: 0 };
  const keeping = studies.filter((s) => s.retention !== undefined);
  if (keeping.length === 0) return result;
  if (!opts.force && !(await new DynamoCallbackStore(doc, tableName).claimOnce(`retention#${now.toISOString().slice(0, 10)}`, now))) return result;
  result.ran = true;
  const at = now.toISOString();
  const byId = new Map(keeping.map((s) => [s.studyId, s]));

  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '(begins_with(pk, :callback) AND attribute_not_exists(bodiesBlankedAt)) OR (begins_with(sk, :complaint) AND channel = :sms AND attribute_exists(#text))',
        ExpressionAttributeNames: { '#text': 'text' },
        ExpressionAttributeValues: { ':callback': 'CALLBACK#', ':complaint': 'COMPLAINT#', ':sms': 'sms' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const key = { pk: item.pk, sk: item.sk };
      if (String(item.pk).startsWith('CALLBACK#')) {
        const fields = (item.fields ?? {}) as Record<string, string>;
        const study = studyOfCallback(String(item.kind), fields, keeping);
        if (!study || !expired(item.receivedAt, retentionCutoff(study, now))) continue;
        const names = Object.fromEntries(RAW_BODY_FIELDS.map((f, i) => [`#b${i}`, f]));
        await update(doc, tableName, key, `REMOVE ${RAW_BODY_FIELDS.map((_, i) => `#fields.#b${i}`).join(', ')} SET bodiesBlankedAt = :at`, { '#fields': 'fields', ...names }, { ':at': at });
        result.callbacks += 1;
      } else {
        const study = byId.get(String(item.studyId));
        if (!study || !expired(item.at, retentionCutoff(study, now))) continue;
        await update(doc, tableName, key, 'REMOVE #text SET textBlankedAt = :at', { '#text': 'text' }, { ':at': at });
        result.complaints += 1;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return result;
}

async function update(doc: DynamoDBDocumentClient, tableName: string, key: Record<string, unknown>, expression: string, names: Record<string, string>, values: Record<string, unknown>): Promise<void> {
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName, Key: key, UpdateExpression: expression,
        // Only an item that still exists (deleted meanwhile, e.g. by "forget me": leave it gone).
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names, ExpressionAttributeValues: values,
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
}
