import { type DynamoDBDocumentClient, PutCommand, type PutCommandInput, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { caseFromComplaint } from '../../core/cases/model.js';
import { StaleSessionError } from '../../core/errors.js';
import type { Complaint, Participant } from '../../core/model.js';
import type { ComplaintStore, DiaryWeekStore, HopReader, HopRecords, ParticipantStore, SessionStore } from '../../core/ports/index.js';
import type { UssdSession } from '../../core/ussd/session.js';
import { batchGetAll, withoutKeys } from './items.js';
import { DynamoParticipantStore, putOrStale } from './participant-store.js';
import { weekAnswered, type WeekRecord } from '../../core/diary/week-record.js';
import { envPhoneKeys, type PhoneKeys } from '../phone-key.js';
import { keys, numberIndex, type PhoneHasher } from './keys.js';
import { caseCreateItems, conditionCancelled } from './case-store.js';

/**
 * The USSD hop's storage: one BatchGetItem to read (session, participant, diary week), one
 * PutItem to write (the enrolment session, the participant when they consent or decline, or
 * the diary week with the conversation of a consented participant). The participant writes are
 * the participant store's; the others live here, beside the read that needs them all at once.
 */
export class DynamoUssdStore implements HopReader, SessionStore, DiaryWeekStore, ComplaintStore, Pick<ParticipantStore, 'saveParticipant' | 'saveConsent'> {
  private readonly participants: DynamoParticipantStore;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly phones: PhoneKeys = envPhoneKeys,
  ) {
    this.participants = new DynamoParticipantStore(doc, tableName, phones);
  }

  async loadHop(sessionId: string, studyId: string, phone: string, week: string, now: Date): Promise<HopRecords> {
    // The hop's one HMAC: the participant and their week are keyed by the number's hash.
    const hashed = (await this.phones.hasher())(phone);
    const sessionKey = keys.session(sessionId);
    const participantKey = keys.participant(studyId, hashed);
    const weekKey = keys.week(studyId, hashed, week);
    const items = await batchGetAll(this.doc, this.tableName, [sessionKey, participantKey, weekKey]);
    const records: HopRecords = {};
    const nowSeconds = Math.floor(now.getTime() / 1000);
    for (const item of items) {
      if (item.pk === sessionKey.pk) {
        const session = withoutKeys<UssdSession>(item);
        // TTL deletion is lazy: an expired session may still be there for hours.
        if (session.expiresAt > nowSeconds) records.session = session;
      } else if (item.sk === participantKey.sk) {
        records.participant = withoutKeys<Participant>(item);
      } else if (item.sk === weekKey.sk) {
        records.week = withoutKeys<WeekRecord>(item);
      }
    }
    return records;
  }

  async saveSession(session: UssdSession, previousVersion: number | undefined): Promise<void> {
    await this.putOrStale({ TableName: this.tableName, ...this.sessionPut(session, previousVersion, await this.phones.hasher()) }, session.sessionId);
  }

  saveConsent(participant: Participant): Promise<void> {
    return this.participants.saveConsent(participant);
  }

  async saveWeek(record: WeekRecord, previousVersion: number | undefined): Promise<void> {
    const hash = await this.phones.hasher();
    await this.putOrStale(
      {
        TableName: this.tableName,
        Item: {
          ...keys.week(record.studyId, hash(record.phone), record.week),
          ...keys.weekIndex(record.studyId, record.week, record.participantId),
          ...record,
        },
        ...(previousVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: { ':previous': previousVersion } }),
      },
      record.conversation?.sessionId ?? record.week,
    );
  }

  saveParticipant(participant: Participant, previousUpdatedAt: string): Promise<void> {
    return this.participants.saveParticipant(participant, previousUpdatedAt);
  }

  private putOrStale(put: PutCommandInput, id: string): Promise<void> {
    return putOrStale(this.doc, put, id);
  }

  async answeredAmong(studyId: string, phones: readonly string[], week: string): Promise<Set<string>> {
    const hash = await this.phones.hasher();
    const weeks = await batchGetAll(this.doc, this.tableName, phones.map((p) => keys.week(studyId, hash(p), week)));
    return new Set(weeks.filter((w) => weekAnswered(w as unknown as WeekRecord)).map((w) => String(w.phone)));
  }

  async saveComplaint(c: Complaint): Promise<void> {
    const hash = await this.phones.hasher();
    const complaint = { Put: { TableName: this.tableName, Item: { ...keys.complaint(c.studyId, hash(c.phone), c.ref), ...keys.complaintIndex(c.studyId, c.week, c.provider, c.ref), ...c }, ConditionExpression: 'attribute_not_exists(pk)' } };
    const opened = caseFromComplaint(c);
    try {
      // The complaint and the case it opens in one write: no complaint is ever without its case.
      await this.doc.send(new TransactWriteCommand({ TransactItems: [complaint, ...(opened ? caseCreateItems(this.tableName, opened) : [])] }));
    } catch (err) {
      // Stored by an earlier copy of the same request: nothing to add.
      if (!conditionCancelled(err)) throw err;
    }
  }

  async listWeeks(studyId: string, phone: string, fromWeek: string, toWeek: string): Promise<WeekRecord[]> {
    const hashed = (await this.phones.hasher())(phone);
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.week(studyId, hashed, fromWeek).pk,
          ':from': keys.week(studyId, hashed, fromWeek).sk,
          ':to': keys.week(studyId, hashed, toWeek).sk,
        },
      }),
    );
    return (out.Items ?? []).map((i) => withoutKeys<WeekRecord>(i));
  }

  private sessionPut(session: UssdSession, previousVersion: number | undefined, hash: PhoneHasher) {
    const key = keys.session(session.sessionId);
    // The session holds the caller's number: indexed by its hash, so forgetting finds it.
    const item = { ...key, ...numberIndex(hash(session.phone), key.pk, key.sk), ...session };
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
