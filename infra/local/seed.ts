import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoEnumerationStore } from '../../functions/adapters/dynamo/enumeration-store.js';
import { balancedPlan, reassign } from '../../functions/core/enumerate/assign.js';
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

/** The local stack's enumerators: `local-enumerator` signs in as the first (infra/local/main.ts). */
export const DEMO_ENUMERATORS = ['Local enumerator', 'Local enumerator 2'];

/**
 * Hands a demo study's consented participants to the demo enumerators, balanced across arms,
 * once: a stack whose study already has assignments (a supervisor's own) is left alone.
 */
export async function seedAssignments(doc: DynamoDBDocumentClient, tableName: string, study: Study, now: Date): Promise<number> {
  const store = new DynamoEnumerationStore(doc, tableName);
  if ((await store.assignments(study.studyId)).length > 0) return 0;
  const participants = (await new DynamoParticipantStore(doc, tableName).listByStudy(study.studyId)).filter((p) => p.consent.state === 'consented' && !p.training);
  const plan = balancedPlan(participants, DEMO_ENUMERATORS);
  for (const [participantId, enumeratorId] of plan) {
    await store.saveAssignment(reassign(undefined, { studyId: study.studyId, participantId }, { enumeratorId, at: now.toISOString(), by: 'seed', how: 'balanced' }), 0);
  }
  return plan.size;
}
