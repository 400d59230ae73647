import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Content } from '../../core/content/schema.js';
import { weekAnswered, type WeekRecord } from '../../core/diary/week-record.js';
import { type DispatchResult, type DispatchPorts, dispatchStudy, type StoredMessage } from '../../core/schedule/dispatch.js';
import type { SendQueue } from '../../core/ports.js';
import { batchGetAll } from './items.js';
import { keys } from './keys.js';
import { DynamoMessageStore } from './message-store.js';
import { DynamoCampaignStore } from './campaign-store.js';
import { DynamoParticipantStore } from './participant-store.js';
import { DynamoStudyStore } from './study-store.js';
import { applyRetention, type RetentionResult } from './retention-store.js';
import type { Study } from '../../core/model.js';

/** The dispatcher's ports on the single table; the queue is SQS in AWS, the local queue locally. */
export function dynamoDispatchPorts(doc: DynamoDBDocumentClient, tableName: string, queue: SendQueue): DispatchPorts {
  const participants = new DynamoParticipantStore(doc, tableName);
  const messages = new DynamoMessageStore(doc, tableName);
  return {
    // Pages of 400: a tick makes a quarter of the queries; each page's reads go a few at once.
    participantsPage: (studyId, cursor) => participants.page(studyId, cursor, 400),
    async diaryComplete(studyId, phones, week) {
      const weeks = await batchGetAll(doc, tableName, phones.map((p) => keys.week(studyId, p, week)));
      return new Set(weeks.filter((w) => weekAnswered(w as unknown as WeekRecord)).map((w) => String(w.phone)));
    },
    async recorded(ids) {
      return (await messages.getMany(ids)) as unknown as StoredMessage[]; // records are written from StoredMessage (createMany below)
    },
    createMany: (ms) => messages.createMany(ms),
    enqueue: (ms) => queue.enqueue(ms),
  };
}

/**
 * One dispatcher tick over every study (the scheduled Lambda, the local timer and "run now"
 * all call this). Studies go one after another: a failing study is reported and the others
 * still get their messages.
 */
export async function dispatchAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  queue: SendQueue,
  content: Content,
  now: Date,
): Promise<{ studies: Record<string, DispatchResult | { error: string }>; retention?: RetentionResult }> {
  const studies = new DynamoStudyStore(doc, tableName);
  const campaigns = new DynamoCampaignStore(doc, tableName);
  const ports = dynamoDispatchPorts(doc, tableName, queue);
  const out: Record<string, DispatchResult | { error: string }> = {};
  const seen: Study[] = [];
  for (const id of await studies.studyIds()) {
    try {
      const study = await studies.getStudy(id);
      if (!study) continue;
      seen.push(study);
      out[id] = await dispatchStudy({ study, content, now, campaigns: await campaigns.list(id) }, ports);
    } catch (err) {
      out[id] = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  // Data retention rides on the tick: nothing when no study sets one, one run a day otherwise.
  const retention = await applyRetention(doc, tableName, seen, now);
  return { studies: out, ...(retention.ran ? { retention } : {}) };
}
