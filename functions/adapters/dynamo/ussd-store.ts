import { BatchGetCommand, type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AlreadyEnrolledError, StaleSessionError } from '../../core/errors.js';
import type { Participant } from '../../core/model.js';
import type { HopRecords, UssdStore } from '../../core/ports.js';
import type { UssdSession } from '../../core/ussd/session.js';
import { isConditionFailure, withoutKeys } from './items.js';
import { keys } from './keys.js';

/**
 * The USSD hop's storage: one BatchGetItem to read, one PutItem (or one transaction when a
 * participant consents or declines) to write.
 */
export class DynamoUssdStore implements UssdStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async loadHop(sessionId: string, studyId: string, phone: string, now: Date): Promise<HopRecords> {
    const sessionKey = keys.session(sessionId);
    const participantKey = keys.participant(studyId, phone);
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> = {
      [this.tableName]: { Keys: [sessionKey, participantKey], ConsistentRead: true },
    };
    const items: Record<string, unknown>[] = [];
    // BatchGetItem may return keys unprocessed under throttling; retry those with a short backoff.
    for (let attempt = 0; ; attempt += 1) {
      const out = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
      items.push(...(out.Responses?.[this.tableName] ?? []));
      const rest = out.UnprocessedKeys?.[this.tableName];
      if (!rest?.Keys?.length) break;
      if (attempt >= 4) throw new Error('DynamoDB left keys unprocessed after retries');
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      request = { [this.tableName]: { Keys: rest.Keys, ConsistentRead: true } };
    }
    const records: HopRecords = {};
    const nowSeconds = Math.floor(now.getTime() / 1000);
    for (const item of items) {
      if (item.pk === sessionKey.pk) {
        const session = withoutKeys<UssdSession>(item);
        // TTL deletion is lazy: an expired session may still be there for hours.
        if (session.expiresAt > nowSeconds) records.session = session;
      } else if (item.pk === participantKey.pk) {
        records.participant = withoutKeys<Participant>(item);
      }
    }
    return records;
  }

  async saveSession(session: UssdSession, previousVersion: number | undefined): Promise<void> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, ...this.sessionPut(session, previousVersion) }));
    } catch (err) {
      if (isConditionFailure(err)) throw new StaleSessionError(session.sessionId);
      throw err;
    }
  }

  async commitParticipant(change: Parameters<UssdStore['commitParticipant']>[0]): Promise<void> {
    const { participant, answers, session, previousVersion } = change;
    const participantPut = {
      TableName: this.tableName,
      Item: {
        ...keys.participant(participant.studyId, participant.phone),
        ...keys.participantIndex(participant.studyId, participant.participantId),
        ...participant,
      },
      // Never overwrite a consented participant (a concurrent session enrolled the number).
      ConditionExpression: 'attribute_not_exists(pk) OR #consent.#state <> :consented',
      ExpressionAttributeNames: { '#consent': 'consent', '#state': 'state' },
      ExpressionAttributeValues: { ':consented': 'consented' },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    const answerPuts = answers.map((a) => ({
      TableName: this.tableName,
      Item: { ...keys.answer(a.studyId, participant.phone, a.questionnaireId, a.period, a.questionId), ...a },
      // An answer is recorded once; a second write for the same question and period is refused.
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: participantPut },
            ...answerPuts.map((Put) => ({ Put })),
            { Put: { TableName: this.tableName, ...this.sessionPut(session, previousVersion) } },
          ],
        }),
      );
    } catch (err) {
      const reasons = transactionReasons(err);
      if (!reasons) throw err;
      // The session first: a copy of this very request that won makes this one a replay.
      // A transaction conflict (another transaction on the same items in flight) is the same race.
      const sessionReason = reasons[reasons.length - 1];
      if (sessionReason === 'ConditionalCheckFailed' || reasons.includes('TransactionConflict')) {
        throw new StaleSessionError(session.sessionId);
      }
      if (reasons[0] === 'ConditionalCheckFailed') throw new AlreadyEnrolledError();
      throw err;
    }
  }

  private sessionPut(session: UssdSession, previousVersion: number | undefined) {
    const item = { ...keys.session(session.sessionId), ...session };
    if (previousVersion === undefined) {
      return {
        Item: item,
        // A new session may replace only an expired leftover that TTL has not yet deleted.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': Math.floor(Date.parse(session.updatedAt) / 1000) },
      };
    }
    return {
      Item: item,
      ConditionExpression: 'version = :previous',
      ExpressionAttributeValues: { ':previous': previousVersion },
    };
  }
}

/** The per-item cancellation codes of a cancelled transaction, or undefined for other errors. */
function transactionReasons(err: unknown): (string | undefined)[] | undefined {
  if (!(err instanceof Error) || err.name !== 'TransactionCanceledException') return undefined;
  const reasons = (err as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return reasons?.map((r) => (r.Code === 'None' ? undefined : r.Code));
}
