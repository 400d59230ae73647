import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DispatchPorts, StoredMessage } from '../../core/schedule/dispatch.js';
import type { OutboundMessage } from '../../core/sms/send.js';
import { batchGetAll } from './items.js';
import { keys } from './keys.js';
import { DynamoMessageStore } from './message-store.js';
import { DynamoParticipantStore } from './participant-store.js';

/** The dispatcher's ports on the single table; enqueueing is the caller's (SQS, or the local queue). */
export function dynamoDispatchPorts(doc: DynamoDBDocumentClient, tableName: string, enqueue: (m: OutboundMessage) => Promise<void>): DispatchPorts {
  const participants = new DynamoParticipantStore(doc, tableName);
  const messages = new DynamoMessageStore(doc, tableName);
  return {
    participantsPage: (studyId, cursor) => participants.page(studyId, cursor),
    async diaryComplete(studyId, phones, week) {
      const weeks = await batchGetAll(doc, tableName, phones.map((p) => keys.week(studyId, p, week)));
      return new Set(weeks.filter((w) => w.complete === true).map((w) => String(w.phone)));
    },
    async recorded(ids) {
      return (await messages.getMany(ids)) as unknown as StoredMessage[]; // records are written from StoredMessage (create below)
    },
    create: (m) => messages.create(m),
    enqueue,
  };
}
