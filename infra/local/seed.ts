import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoParticipantStore } from '../../functions/adapters/dynamo/participant-store.js';
import { createStudy } from '../../functions/adapters/dynamo/study-admin.js';
import { DynamoStudyStore } from '../../functions/adapters/dynamo/study-store.js';
import type { Study } from '../../functions/core/model.js';
import { demoParticipants, demoStudy, dhakaStudy } from './demo.js';

/** Seeds the demo studies once; later starts find them and leave them (and their data) alone. */
export async function seedDemos(doc: DynamoDBDocumentClient, tableName: string, serviceCode: string, now: Date) {
  const kenya = await seedDemo(doc, tableName, serviceCode, now);
  const dhaka = await seedStudy(doc, tableName, dhakaStudy(now), now);
  return [kenya, dhaka];
}

/** Seeds the Kenyan demo study once; later starts find it and leave it (and its data) alone. */
export async function seedDemo(
  doc: DynamoDBDocumentClient,
  tableName: string,
  serviceCode: string,
  now: Date,
): Promise<{ study: Study; created: boolean; participants: number }> {
  return seedStudy(doc, tableName, demoStudy(serviceCode, now), now);
}

async function seedStudy(doc: DynamoDBDocumentClient, tableName: string, wanted: Study, now: Date): Promise<{ study: Study; created: boolean; participants: number }> {
  const studies = new DynamoStudyStore(doc, tableName);
  const participants = new DynamoParticipantStore(doc, tableName);
  const existing = await studies.getStudy(wanted.studyId);
  if (existing) {
    const count = (await participants.listByStudy(existing.studyId)).length;
    return { study: existing, created: false, participants: count };
  }
  await createStudy(doc, tableName, wanted);
  let added = 0;
  for (const p of demoParticipants(wanted, now)) if (await participants.addParticipant(p)) added += 1;
  return { study: wanted, created: true, participants: added };
}
