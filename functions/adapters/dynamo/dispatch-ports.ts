import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Content } from '../../core/content/schema.js';
import type { DiaryWeekStore, MessageStore, ParticipantStore, SendQueue } from '../../core/ports/index.js';
import type { DispatchPorts, StoredMessage } from '../../core/schedule/dispatch.js';
import { dispatchTick, type DispatchTickResult } from '../../core/schedule/dispatch-tick.js';
import { systemClock } from '../../core/ports/clock.js';
import type { VoiceGateway } from '../../core/ports/voice.js';
import type { CallPorts } from '../../core/voice/outbound.js';
import { type DynamoPorts, dynamoPorts } from './ports.js';

/** The dispatcher's ports from the stores; the queue is SQS in AWS, the local queue locally. */
export function dispatchPortsOf(ports: { participants: Pick<ParticipantStore, 'page'>; ussd: Pick<DiaryWeekStore, 'answeredAmong'>; messages: Pick<MessageStore, 'getMany' | 'createMany'> }, queue: SendQueue): DispatchPorts {
  return {
    // Pages of 400: a tick makes a quarter of the queries; each page's reads go a few at once.
    participantsPage: (studyId, cursor) => ports.participants.page(studyId, cursor, 400),
    diaryComplete: (studyId, phones, week) => ports.ussd.answeredAmong(studyId, phones, week),
    // Records are written from StoredMessage (createMany below).
    recorded: async (ids) => (await ports.messages.getMany(ids)) as unknown as StoredMessage[],
    createMany: (ms) => ports.messages.createMany(ms),
    enqueue: (ms) => queue.enqueue(ms),
  };
}

/** The dispatcher's ports on the single table. */
export function dynamoDispatchPorts(doc: DynamoDBDocumentClient, tableName: string, queue: SendQueue): DispatchPorts {
  // No adapter of the dispatch stamps a time: the clock is the tick's `now`.
  return dispatchPortsOf(dynamoPorts(doc, tableName, systemClock), queue);
}

/** The outbound calls' ports: the attempts beside the dispatcher's other records. */
export function callPortsOf(ports: DynamoPorts, gateway: VoiceGateway): CallPorts {
  const dispatch = dispatchPortsOf(ports, { enqueue: async () => undefined });
  return { gateway, attempts: ports.callAttempts, participantsPage: dispatch.participantsPage, diaryComplete: dispatch.diaryComplete };
}

/** One tick over every study on the given ports (core/schedule/dispatch-tick.ts); calls only with a voice gateway. */
export function dispatchAllOn(ports: DynamoPorts, queue: SendQueue, content: Content, now: Date, voice?: VoiceGateway): Promise<DispatchTickResult> {
  return dispatchTick(
    { studies: ports.studies, campaigns: ports.campaigns, dispatch: dispatchPortsOf(ports, queue), retention: { store: ports.retention, once: ports.callbacks }, ...(voice ? { calls: callPortsOf(ports, voice) } : {}) },
    content,
    now,
  );
}

/** One tick over every study on the single table (the local stack, tests). */
export function dispatchAll(doc: DynamoDBDocumentClient, tableName: string, queue: SendQueue, content: Content, now: Date): Promise<DispatchTickResult> {
  return dispatchAllOn(dynamoPorts(doc, tableName, systemClock), queue, content, now);
}
