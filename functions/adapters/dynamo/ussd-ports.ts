import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StudyReader } from '../../core/ports/studies.js';
import { DynamoStudyStore } from './study-store.js';
import { DynamoUssdStore } from './ussd-store.js';

/**
 * The DynamoDB ports of the USSD hop: the part of `dynamoPorts` (ports.ts) the USSD Lambda
 * needs, in a module of its own, so that its bundle and cold start carry no other adapter.
 */
export function dynamoUssdPorts(doc: DynamoDBDocumentClient, tableName: string): { studies: StudyReader; ussd: DynamoUssdStore } {
  return { studies: new DynamoStudyStore(doc, tableName), ussd: new DynamoUssdStore(doc, tableName) };
}
