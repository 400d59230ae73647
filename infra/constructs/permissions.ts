/**
 * Which Lambda may do what, as plain data: the constructs grant exactly these rights and the
 * CDK tests read them back from the template. No CDK here, so a reader (or a test) sees the
 * whole least-privilege design on one page.
 */
import type { LambdaName, WorkerName } from '../routes.js';

/** Every Lambda of the stack: the four behind HTTP and the two workers. */
export type FunctionName = LambdaName | WorkerName;

/** DynamoDB actions each Lambda may call on the table; the tests assert nothing more is granted. */
export const dynamoActions: Record<FunctionName, readonly string[]> = {
  // Exactly what the hop uses: BatchGetItem (session + participant), GetItem and Query (study
  // by service code), PutItem (the session, or the participant's consent decision).
  ussd: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
  // Callbacks record reports (conditional puts), advance a message on a delivery report (GetItem,
  // UpdateItem) and answer incoming SMS: read the study and participant (Query, BatchGetItem).
  // "Forget me" confirmed by SMS is queued for the forget worker (forgetQueueProducers).
  atCallbacks: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
  // Admin API: reads studies, campaigns and participants (Query, also on gsi1), creates and edits campaigns (conditional Put/Update);
  // "forget me" by an admin is queued for the forget worker (forgetQueueProducers).
  api: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  // Sender: send-time check reads (BatchGetItem, Query, GetItem), claims and closes messages
  // (conditional UpdateItem), records acceptance (TransactWriteItems of an Update and a Put:
  // DynamoDB authorises each contained action as UpdateItem / PutItem, there is no separate action).
  sender: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  // Dispatcher: pages participants (Query, also on gsi1), reads messages already planned
  // (GetItem, BatchGetItem) and records each new message once (conditional PutItem / transactions of Puts).
  // Once a day it applies data retention: finds raw texts past their time (Scan) and blanks them (UpdateItem).
  dispatcher: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:UpdateItem'],
  // Voice IVR: finds the caller in every study (Query on gsi1 for the study list, BatchGetItem),
  // reads the call, the week and the attempt (GetItem, BatchGetItem), writes the call, answers,
  // lessons and complaints (conditional PutItem) and an outbound call's cost on its attempt (UpdateItem).
  // No DeleteItem, no Scan.
  voice: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  // Forget worker: finds the participant (Query gsi1, GetItem), their partition (Query) and what
  // holds their number (Query gsi2), moves the record (PutItem, DeleteItem), redacts messages
  // (UpdateItem). No Scan: forget-store.ts reads only the participant's own items.
  forget: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
};

/**
 * The Lambdas that may also Query gsi1 (only Query, only that index: never `index/*`): the
 * dispatcher and the API list every study and page a study's participants (the voice IVR lists
 * the studies to find a caller); the API also lists
 * the outbox (DynamoStudyStore.studyIds, DynamoParticipantStore.page, DynamoOutboxGateway.list).
 */
export const gsi1Readers: readonly FunctionName[] = ['dispatcher', 'api', 'voice', 'forget'];

/** The Lambdas that may Query gsi2, the number index (keys only): the forget worker alone. */
export const gsi2Readers: readonly FunctionName[] = ['forget'];

/** The Lambdas that may put jobs on the forget queue (sqs:SendMessage on that queue only). */
export const forgetQueueProducers: readonly FunctionName[] = ['atCallbacks', 'api'];

/** The Lambdas that may put messages on the send queue (sqs:SendMessage on that queue only). */
// The API queues the SMS a case step owes the participant (core/cases/act.ts).
export const sendQueueProducers: readonly FunctionName[] = ['atCallbacks', 'dispatcher', 'api', 'forget'];

/** The secrets of the stack, and the environment variable that hands each one's ARN to a Lambda. */
export type SecretName = 'callbackToken' | 'atCredentials' | 'sslWirelessCredentials' | 'infobipCredentials' | 'pseudonymKey' | 'phoneKey';
export const secretEnv: Record<SecretName, string> = {
  callbackToken: 'CALLBACK_TOKEN_SECRET_ID',
  atCredentials: 'AT_CREDENTIALS_SECRET_ARN',
  sslWirelessCredentials: 'SSLWIRELESS_CREDENTIALS_SECRET_ARN',
  infobipCredentials: 'INFOBIP_CREDENTIALS_SECRET_ARN',
  pseudonymKey: 'PSEUDONYM_SECRET_ARN',
  phoneKey: 'PHONE_KEY_SECRET_ARN',
};

/** Which secrets each Lambda may read (GetSecretValue/DescribeSecret on that secret only). */
export const secretReaders: Record<FunctionName, readonly SecretName[]> = {
  // Both check the callback path token of Africa's Talking requests.
  // atCallbacks also reads the pseudonym key: "forget me" by SMS keeps the export id it computes.
  // Every Lambda that touches a participant's items reads the phone key: their keys hold the
  // number's HMAC, never the number (keys.ts).
  ussd: ['callbackToken', 'phoneKey'],
  atCallbacks: ['callbackToken', 'phoneKey'],
  // Cognito checks the caller before the API runs; the API reads the key of the exports'
  // pseudonymous participant ids.
  api: ['pseudonymKey', 'phoneKey'],
  // The only Lambda that talks to the SMS providers' APIs (each study's provider).
  sender: ['atCredentials', 'sslWirelessCredentials', 'infobipCredentials', 'phoneKey'],
  // The dispatcher places voice participants' weekly calls through AT's voice API.
  dispatcher: ['atCredentials', 'phoneKey'],
  // Checks the callback path token of AT's voice requests; finds the caller by the number's keyed hash.
  voice: ['callbackToken', 'phoneKey'],
  // Forgetting keeps the export id it computes from the number (pseudonym key).
  forget: ['pseudonymKey', 'phoneKey'],
};

/** Which Lambdas each Lambda may invoke (lambda:InvokeFunction on the unqualified ARN only). */
export const invokeGrants: Partial<Record<FunctionName, readonly FunctionName[]>> = {
  // The API runs the dispatcher on demand (asynchronously) after a campaign change.
  api: ['dispatcher'],
};

/**
 * What the API may do in the exports bucket, on its objects only (`<bucket ARN>/*`; nothing on
 * the bucket itself, no List, no Delete): write an export (a small file is one PutObject, a
 * large one a multipart upload, whose Create/UploadPart/Complete S3 authorises as PutObject),
 * abandon a failed multipart upload, and sign the 15-minute download links (a presigned GET
 * carries the signer's rights, so the signer needs GetObject).
 */
export const exportObjectActions = ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'] as const;

/** What the API may do in the user pool: manage staff accounts and their role groups, nothing else. */
export const userAdminActions = [
  'cognito-idp:ListUsers',
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  // Disabling ends the account's sessions too (functions/adapters/cognito/user-directory.ts).
  'cognito-idp:AdminUserGlobalSignOut',
] as const;
