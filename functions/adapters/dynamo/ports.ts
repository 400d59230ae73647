import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UssdHopStore } from '../../core/ussd/hop.js';
import type {
  AuditStore,
  CaseStore,
  CallbackStore,
  CampaignStore,
  Clock,
  ConsoleReader,
  DiaryReader,
  DiaryWeekStore,
  EnumerationStore,
  ExportSource,
  ForgetStore,
  MessageStore,
  OnceStore,
  OutboxReader,
  ParticipantStore,
  RandomizationStore,
  RetentionStore,
  CallAttemptStore,
  SmsGateway,
  StudyReader,
  StudyStore,
} from '../../core/ports/index.js';
import type { StaffUser } from '../../core/users.js';
import { participantPseudonym, studyKey } from '../../core/export/pseudonym.js';
import { pseudonymSecret } from '../pseudonym-secret.js';
import { DynamoAuditStore } from './audit-store.js';
import { DynamoCallAttemptStore } from './call-attempts.js';
import { DynamoCaseStore } from './case-store.js';
import { DynamoCallbackStore } from './callback-store.js';
import { DynamoCampaignStore } from './campaign-store.js';
import { DynamoConsoleReader } from './console-reader.js';
import { DynamoDiaryReader } from './diary-reader.js';
import { DynamoEnumerationStore } from './enumeration-store.js';
import { DynamoExportSource } from './export-source.js';
import { DynamoForgetStore } from './forget-store.js';
import { LocalUserDirectory } from './local-user-directory.js';
import { DynamoMessageStore } from './message-store.js';
import { DynamoOutboxGateway } from './outbox-gateway.js';
import { DynamoParticipantStore } from './participant-store.js';
import { dynamoRandomizationStore } from './randomization-store.js';
import { DynamoRetentionStore } from './retention-store.js';
import { DynamoStudyAdmin } from './study-admin.js';
import { dynamoUssdPorts } from './ussd-ports.js';

/** Every DynamoDB port, each typed to its port: what entry points, the local stack, tests and benchmarks hold. */
export interface DynamoPorts {
  studies: StudyReader;
  studyAdmin: StudyStore;
  participants: ParticipantStore;
  /** The USSD hop's records (sessions, diary weeks, complaints, participant writes), read in one BatchGetItem. */
  ussd: UssdHopStore & DiaryWeekStore;
  messages: MessageStore;
  callbacks: CallbackStore & OnceStore;
  campaigns: CampaignStore;
  audit: AuditStore;
  /** Complaint cases (opened with each complaint by `ussd.saveComplaint`). */
  cases: CaseStore;
  forget: ForgetStore;
  diary: DiaryReader;
  exportSource: ExportSource;
  randomization: RandomizationStore;
  retention: RetentionStore;
  console: ConsoleReader;
  /** The dispatcher's outbound call attempts. */
  callAttempts: CallAttemptStore;
  /** Enumerators' assignments and call records (issue 18). */
  enumeration: EnumerationStore;
  /** The local stack's SMS gateway (a provider without credentials) and what it kept. */
  outbox: SmsGateway & OutboxReader;
  /** The local stack's staff directory, listing the configured accounts beside its own. */
  localUsers(configured: () => StaffUser[]): LocalUserDirectory;
}

/**
 * The composition root of DynamoDB: every adapter from one client and one table name (read once,
 * `tableNameFromEnv` in client.ts), with the injected clock for the adapters that stamp times.
 * The USSD Lambda takes only its part (ussd-ports.ts) to keep its bundle small.
 */
export function dynamoPorts(doc: DynamoDBDocumentClient, tableName: string, clock: Clock): DynamoPorts {
  return {
    ...dynamoUssdPorts(doc, tableName),
    studyAdmin: new DynamoStudyAdmin(doc, tableName),
    participants: new DynamoParticipantStore(doc, tableName),
    messages: new DynamoMessageStore(doc, tableName),
    callbacks: new DynamoCallbackStore(doc, tableName),
    campaigns: new DynamoCampaignStore(doc, tableName),
    audit: new DynamoAuditStore(doc, tableName),
    cases: new DynamoCaseStore(doc, tableName),
    forget: new DynamoForgetStore(doc, tableName),
    diary: new DynamoDiaryReader(doc, tableName),
    exportSource: new DynamoExportSource(doc, tableName),
    randomization: dynamoRandomizationStore(doc, tableName),
    retention: new DynamoRetentionStore(doc, tableName),
    enumeration: new DynamoEnumerationStore(doc, tableName),
    // Export ids next to console ids, so a timeline can be linked to exported rows (docs/console.md).
    console: new DynamoConsoleReader(doc, tableName, undefined, async (studyId) => {
      const secret = await pseudonymSecret();
      if (!secret) return undefined;
      const key = studyKey(secret, studyId);
      return (p) => participantPseudonym(p, key);
    }),
    callAttempts: new DynamoCallAttemptStore(doc, tableName),
    outbox: new DynamoOutboxGateway(doc, tableName, () => clock.now()),
    localUsers: (configured) => new LocalUserDirectory(doc, tableName, configured, () => clock.now()),
  };
}
