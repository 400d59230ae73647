/**
 * The AWS deployment of Sauti (DESIGN.md, "AWS deployment"): one DynamoDB table; the Africa's
 * Talking callback Lambdas behind an HTTP API; the admin API behind a Cognito JWT authorizer;
 * SMS sending through an SQS queue drained by a concurrency-capped sender; the dispatcher on an
 * EventBridge Scheduler tick; alarms into an SNS topic.
 *
 * The stack is environment-agnostic (no account/region lookups), so `cdk synth` runs
 * offline without credentials; Lambdas are bundled by the local esbuild, never Docker.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  CfnUserPoolClient,
  UserPool,
  type UserPoolClient,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  Architecture,
  type IFunction,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { ScheduleTargetBase, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { GSI1 } from '../functions/adapters/dynamo/keys.js';
import { bundleOptions } from './bundling.js';
import { ConsoleSite } from './console-site.js';
import { lambdaEntries, routes, type LambdaName, type Route, type WorkerName } from './routes.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Every Lambda of the stack: the three behind HTTP and the two workers. */
export type FunctionName = LambdaName | WorkerName;

/** DynamoDB actions each Lambda may call on the table; the tests assert nothing more is granted. */
export const dynamoActions: Record<FunctionName, readonly string[]> = {
  // Exactly what the hop uses: BatchGetItem (session + participant), GetItem and Query (study
  // by service code), PutItem (the session, or the participant's consent decision).
  ussd: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
  // Callbacks record reports (conditional puts), advance a message on a delivery report (GetItem,
  // UpdateItem) and answer incoming SMS: read the study and participant (Query, BatchGetItem).
  // "Forget me" confirmed by SMS moves the record and deletes the originals (DeleteItem) and
  // finds the number's messages, callbacks and sessions (Scan: forget-store.ts).
  atCallbacks: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:Scan'],
  // Admin API: reads studies, campaigns and participants (Query, also on gsi1), creates and edits campaigns (conditional Put/Update);
  // "forget me" by an admin as for atCallbacks (DeleteItem, Scan).
  api: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Scan'],
  // Sender: send-time check reads (BatchGetItem, Query, GetItem), claims and closes messages
  // (conditional UpdateItem), records acceptance (TransactWriteItems of an Update and a Put:
  // DynamoDB authorises each contained action as UpdateItem / PutItem, there is no separate action).
  sender: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  // Dispatcher: pages participants (Query, also on gsi1), reads messages already planned
  // (GetItem, BatchGetItem) and records each new message once (conditional PutItem / transactions of Puts).
  // Once a day it applies data retention: finds raw texts past their time (Scan) and blanks them (UpdateItem).
  dispatcher: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:UpdateItem'],
};

/**
 * The Lambdas that may also Query gsi1 (only Query, only that index: never `index/*`): the
 * dispatcher and the API list every study and page a study's participants; the API also lists
 * the outbox (DynamoStudyStore.studyIds, DynamoParticipantStore.page, DynamoOutboxGateway.list).
 */
export const gsi1Readers: readonly FunctionName[] = ['dispatcher', 'api'];

/** Receives of a send-queue message before it moves to the DLQ (the sender records why). */
export const SEND_MAX_RECEIVES = 5;

/** The Lambdas that may put messages on the send queue (sqs:SendMessage on that queue only). */
export const sendQueueProducers: readonly FunctionName[] = ['atCallbacks', 'dispatcher'];

/** The secrets of the stack, and the environment variable that hands each one's ARN to a Lambda. */
export type SecretName = 'callbackToken' | 'atCredentials' | 'sslWirelessCredentials' | 'infobipCredentials' | 'pseudonymKey';
export const secretEnv: Record<SecretName, string> = {
  callbackToken: 'CALLBACK_TOKEN_SECRET_ID',
  atCredentials: 'AT_CREDENTIALS_SECRET_ARN',
  sslWirelessCredentials: 'SSLWIRELESS_CREDENTIALS_SECRET_ARN',
  infobipCredentials: 'INFOBIP_CREDENTIALS_SECRET_ARN',
  pseudonymKey: 'PSEUDONYM_SECRET_ARN',
};

/** Which secrets each Lambda may read (GetSecretValue/DescribeSecret on that secret only). */
export const secretReaders: Record<FunctionName, readonly SecretName[]> = {
  // Both check the callback path token of Africa's Talking requests.
  // atCallbacks also reads the pseudonym key: "forget me" by SMS keeps the export id it computes.
  ussd: ['callbackToken'],
  atCallbacks: ['callbackToken', 'pseudonymKey'],
  // Cognito checks the caller before the API runs; the API reads only the key of the exports'
  // pseudonymous participant ids.
  api: ['pseudonymKey'],
  // The only Lambda that talks to the SMS providers' APIs (each study's provider).
  sender: ['atCredentials', 'sslWirelessCredentials', 'infobipCredentials'],
  dispatcher: [],
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

/** Days an export stays in the bucket before S3 deletes it. */
export const EXPORT_RETENTION_DAYS = 7;

/** The admin API's Cognito groups (roles, DESIGN.md). */
export const userGroups = ['researcher', 'ngo', 'admin'] as const;

/** CDK context key of the sender's concurrency cap; SQS event sources accept 2..1000. */
export const SEND_CONCURRENCY_CONTEXT = 'sauti:sendConcurrency';
/** What the API may do in the user pool: manage staff accounts and their role groups, nothing else. */
export const userAdminActions = [
  'cognito-idp:ListUsers',
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
] as const;
/** Context key: the Cognito hosted UI's domain prefix (default `sauti-<account id>`). */
export const AUTH_DOMAIN_CONTEXT = 'sauti:authDomainPrefix';
export const DEFAULT_SEND_CONCURRENCY = 2;

/** The dispatcher's tick. */
export const DISPATCH_RATE = Duration.minutes(15);

/**
 * The sender's time budget. Below the message-claim lease (5 minutes, DynamoMessageStore.claim),
 * so a sender that is still running never has its claims taken over and a message sent twice.
 */
export const SENDER_TIMEOUT = Duration.minutes(2);
const SEND_BATCH_WINDOW = Duration.seconds(2);

/** The token placeholder shown in the callback URL outputs (the real value never leaves the secret). */
export const TOKEN_PLACEHOLDER = '<CallbackToken>';

const L1_REASON = 'Node.js 22 is the runtime this project targets (DESIGN.md); move to 24 with the whole toolchain';

interface LambdaOptions {
  description: string;
  memorySize: number;
  timeout: Duration;
  withContent?: boolean;
  /** Besides TABLE_NAME, POWERTOOLS_SERVICE_NAME and the secret ARNs of secretReaders. */
  environment?: Record<string, string>;
}

/**
 * Invokes a Lambda from EventBridge Scheduler with exactly `lambda:InvokeFunction` on its ARN.
 * The stock LambdaInvoke target uses `grantInvoke`, which also grants every version and alias
 * (`<arn>:*`): a wildcard the scheduler does not need, since it invokes the unqualified function.
 */
class InvokeFunction extends ScheduleTargetBase {
  private readonly fn: IFunction;

  constructor(fn: IFunction, props: ScheduleTargetBaseProps = {}) {
    super(props, fn.functionArn);
    this.fn = fn;
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }));
  }
}

export class SautiStack extends Stack {
  readonly table: Table;
  readonly callbackToken: Secret;
  readonly atCredentials: Secret;
  readonly sslWirelessCredentials: Secret;
  readonly infobipCredentials: Secret;
  readonly pseudonymKey: Secret;
  readonly exportsBucket: Bucket;
  readonly exportsLogBucket: Bucket;
  readonly sendQueue: Queue;
  readonly sendDeadLetterQueue: Queue;
  readonly functions: Record<FunctionName, NodejsFunction>;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** The Cognito hosted UI (console and CLI sign-in). */
  readonly authDomain: UserPoolDomain;
  readonly dispatchSchedule: Schedule;
  readonly api: HttpApi;
  /** The web console on CloudFront; its /api/* goes to `api`. */
  readonly consoleSite: ConsoleSite;
  readonly alarmTopic: Topic;
  /** The sender's maxConcurrency (context `sauti:sendConcurrency`). */
  readonly sendConcurrency: number;
  private readonly tableKey: Key;
  private readonly secrets: Record<SecretName, Secret>;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // A customer-managed key lets us audit and, if ever needed, revoke access to study data.
    // Retained with the table: deleting it would make the retained table and its backups unreadable.
    this.tableKey = new Key(this, 'TableKey', {
      description: 'Sauti: encrypts the DynamoDB table (study data, phone numbers)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      // Diaries are research data: neither a stack deletion nor a console click may drop them.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: GSI1,
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    // Africa's Talking cannot send auth headers, so callbacks carry this token in the path.
    // Alphanumeric only: it must be usable verbatim in a URL path segment.
    this.callbackToken = new Secret(this, 'CallbackToken', {
      description: "Sauti: path token of the Africa's Talking callback URLs (/at/{token}/...)",
      generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.callbackToken).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "Rotation of the callback token with a grace period is planned (issue 6); rotating it now would break Africa's Talking callbacks",
    });

    // The Africa's Talking API credentials, as {"username", "apiKey"}. Generated so that a
    // first deploy works: username `sandbox` keeps an unconfigured stack on AT's sandbox (it can
    // never send a real, billed SMS) until an operator puts the real values (SetAtCredentialsCommand).
    this.atCredentials = new Secret(this, 'AtCredentials', {
      description: "Sauti: Africa's Talking API credentials, JSON {\"username\": \"...\", \"apiKey\": \"...\"}",
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'sandbox' }),
        generateStringKey: 'apiKey',
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
      },
    });
    Validations.of(this.atCredentials).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "The Africa's Talking API key is issued in the AT dashboard and has no API to rotate it; operators replace the secret value when they regenerate the key",
    });
    // SSL Wireless (Bangladesh) and Infobip credentials. Generated with the key only: until an
    // operator adds the SID / base URL (Set…CredentialsCommand), the sender treats the provider
    // as unconfigured and its studies' SMS go to the outbox records, never to a provider.
    this.sslWirelessCredentials = this.providerSecret('SslWirelessCredentials', 'SSL Wireless Push SMS API v3 credentials, JSON {"apiToken": "...", "sid": "...", "baseUrl"?: "..."}', 'apiToken', 'SSL Wireless');
    this.infobipCredentials = this.providerSecret('InfobipCredentials', 'Infobip SMS API credentials, JSON {"apiKey": "...", "baseUrl": "https://<account>.api.infobip.com"}', 'apiKey', 'Infobip');
    // The deployment secret behind the exports' pseudonymous ids (functions/core/export/pseudonym.ts):
    // each study's key is derived from it, so one secret serves every study.
    this.pseudonymKey = new Secret(this, 'PseudonymKey', {
      description: 'Sauti: secret behind the pseudonymous participant ids (pid) of research exports',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.pseudonymKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the pseudonym key would give every participant a new pid, so exports before and after could no longer be joined (the panel would break); it is kept, and only the API Lambda may read it',
    });
    this.secrets = {
      callbackToken: this.callbackToken, atCredentials: this.atCredentials, sslWirelessCredentials: this.sslWirelessCredentials, infobipCredentials: this.infobipCredentials, pseudonymKey: this.pseudonymKey,
    };

    [this.exportsBucket, this.exportsLogBucket] = this.exportBuckets();

    this.sendConcurrency = sendConcurrencyOf(this.node.tryGetContext(SEND_CONCURRENCY_CONTEXT));
    [this.sendQueue, this.sendDeadLetterQueue] = this.queues();

    const sendQueueUrl = this.sendQueue.queueUrl;
    const ussd = this.lambda('Ussd', 'ussd', {
      description: "Sauti: Africa's Talking USSD callback (menu engine)",
      withContent: true,
      memorySize: 512,
      // Africa's Talking drops the USSD connection after ~10 s; fail before it does.
      timeout: Duration.seconds(8),
    });
    const atCallbacks = this.lambda('AtCallbacks', 'atCallbacks', {
      description: "Sauti: Africa's Talking USSD end-of-session, incoming SMS (replies queued) and delivery reports",
      // Incoming SMS answers with content (diary questions, confirmations).
      withContent: true,
      memorySize: 256,
      timeout: Duration.seconds(10),
      environment: { SEND_QUEUE_URL: sendQueueUrl },
    });
    const sender = this.lambda('Sender', 'sender', {
      description: "Sauti: sends queued SMS through Africa's Talking (SQS-triggered)",
      memorySize: 256,
      timeout: SENDER_TIMEOUT,
      // On the queue's last receive a retry becomes a recorded failure (then the DLQ).
      environment: { SAUTI_MAX_RECEIVES: String(SEND_MAX_RECEIVES) },
    });
    const dispatcher = this.lambda('Dispatcher', 'dispatcher', {
      description: 'Sauti: plans due messages and puts them on the send queue (scheduled, or on demand from the API)',
      withContent: true,
      memorySize: 512,
      // One run pages through the participants of every study with campaigns.
      timeout: Duration.minutes(5),
      environment: { SEND_QUEUE_URL: sendQueueUrl },
    });
    // No reserved concurrency of 1 for the dispatcher: running it twice for the same period sends
    // nothing twice (invariant 4, messages are created once by id), so a tick overlapping an
    // on-demand run from the API is safe, and a stuck run cannot block the next tick.
    const api = this.lambda('AdminApi', 'api', {
      description: 'Sauti: admin API (studies, campaigns, participants) for researchers, NGOs and admins',
      withContent: true,
      memorySize: 512,
      // Just under API Gateway's 30 s integration timeout: a slow request fails in the Lambda, logged.
      timeout: Duration.seconds(29),
      environment: { SEND_QUEUE_URL: sendQueueUrl, DISPATCHER_FUNCTION_NAME: dispatcher.functionName, EXPORTS_BUCKET: this.exportsBucket.bucketName },
    });
    // Objects of the exports bucket only, exactly these actions (not grantReadWrite(), which adds
    // List, Delete and the bucket itself).
    api.addToRolePolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: [...exportObjectActions], resources: [this.exportsBucket.arnForObjects('*')] }),
    );
    // That one finding only (this resource on this policy), not IAM5 at large.
    const apiPolicy = api.role?.node.tryFindChild('DefaultPolicy');
    const bucketId = this.getLogicalId(this.exportsBucket.node.defaultChild as CfnBucket);
    Validations.of(apiPolicy?.node.defaultChild ?? apiPolicy ?? api).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
      reason:
        'Objects of the exports bucket only: export file names carry the study and a timestamp, so no fixed list of keys exists; the actions are exactly PutObject, GetObject and AbortMultipartUpload',
    });
    this.functions = { ussd, atCallbacks, api, sender, dispatcher };
    this.grantQueueAndInvoke();

    // Throughput cap: at most `sendConcurrency` senders at once, each sending up to 100 messages
    // (bulk requests) per batch, so Africa's Talking's rate limit is not overrun. Failed items are
    // reported one by one (partial batch), so one bad message does not resend a whole batch.
    sender.addEventSource(
      new SqsEventSource(this.sendQueue, {
        batchSize: 100,
        maxBatchingWindow: SEND_BATCH_WINDOW,
        reportBatchItemFailures: true,
        maxConcurrency: this.sendConcurrency,
      }),
    );

    this.dispatchSchedule = new Schedule(this, 'DispatchSchedule', {
      description: 'Sauti: dispatcher tick',
      schedule: ScheduleExpression.rate(DISPATCH_RATE),
      // A tick that cannot be delivered within 10 minutes is dropped: the next one (15 min) catches up.
      target: new InvokeFunction(dispatcher, { retryAttempts: 3, maxEventAge: Duration.minutes(10) }),
    });

    [this.userPool, this.userPoolClient, this.authDomain] = this.cognito();
    // Admins manage staff accounts through the API (functions/api/users.ts): exactly these
    // user-pool actions, on this pool only.
    api.addEnvironment('USER_POOL_ID', this.userPool.userPoolId);
    api.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: [...userAdminActions], resources: [this.userPool.userPoolArn] }));
    this.api = this.httpApi();
    // The web console, same-origin with the API: CloudFront forwards /api/* to it.
    this.consoleSite = new ConsoleSite(this, 'ConsoleSite', {
      api: this.api,
      accessLogs: this.exportsLogBucket,
      config: {
        apiBase: '/api/v1',
        region: this.region,
        userPoolId: this.userPool.userPoolId,
        userPoolClientId: this.userPoolClient.userPoolClientId,
        // The console's "Sign in" goes to the hosted UI (authorization code + PKCE) and back.
        cognitoDomain: this.authDomain.baseUrl(),
      },
    });
    // The console's own URL as a sign-in redirect, now that the distribution exists (the client
    // was made before it; CloudFormation orders them by the reference).
    const clientResource = this.userPoolClient.node.defaultChild as CfnUserPoolClient;
    clientResource.callbackUrLs = ['http://localhost:8976/callback', `${this.consoleSite.url}/`];
    clientResource.logoutUrLs = ['http://localhost:8976/', `${this.consoleSite.url}/`];
    this.alarmTopic = this.alarms();
    this.outputs();
  }

  /**
   * The bucket research exports are written to (and downloaded from, by presigned links), and
   * the bucket of its server access logs: who fetched which export, from where, even through a
   * forwarded link. Both private, TLS only, S3-managed encryption: S3 server access logs can
   * only be delivered to an SSE-S3 bucket, and with SSE-S3 a presigned link needs no KMS grant
   * on the signer. Exports expire after 7 days; both buckets outlive a stack deletion (the logs
   * are an audit record; the exports empty themselves).
   */
  private exportBuckets(): [Bucket, Bucket] {
    const logs = new Bucket(this, 'ExportsAccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs.node.defaultChild ?? logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the exports bucket\'s server access logs; logging access to the log bucket itself would only log the log delivery',
    });
    const exports = new Bucket(this, 'Exports', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'exports/',
      lifecycleRules: [
        { id: 'ExpireExports', expiration: Duration.days(EXPORT_RETENTION_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    return [exports, logs];
  }

  /** The send queue and its dead-letter queue. */
  private queues(): [Queue, Queue] {
    // SQS-managed SSE rather than the table key: cdk-nag (SQS2) accepts either, and messages
    // live minutes (the durable record is the table), so SQS-managed keys protect them at rest
    // without a KMS call per message or kms:* grants on every producer and the event source.
    const dlq = new Queue(this, 'SendDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time for a person to look at what could not be sent.
      retentionPeriod: Duration.days(14),
    });
    const queue = new Queue(this, 'SendQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's rule for Lambda event sources: at least 6x the function timeout (plus the batching
      // window), so a batch is not redelivered while a sender (or its retries) still works on it.
      // Also above the 5-minute claim lease, so a redelivery after a crash finds the claim stale.
      visibilityTimeout: Duration.seconds(6 * SENDER_TIMEOUT.toSeconds() + SEND_BATCH_WINDOW.toSeconds()),
      // After 5 failed receives (provider down for an hour or more, or a malformed message) the
      // message is parked in the DLQ, which alarms.
      deadLetterQueue: { queue: dlq, maxReceiveCount: SEND_MAX_RECEIVES },
    });
    return [queue, dlq];
  }

  /** Sending to the queue and invoking other Lambdas, exactly as sendQueueProducers and invokeGrants say. */
  private grantQueueAndInvoke(): void {
    for (const name of sendQueueProducers) {
      // sqs:SendMessage only: not grantSendMessages(), which adds GetQueueAttributes and GetQueueUrl.
      this.functions[name].addToRolePolicy(
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [this.sendQueue.queueArn] }),
      );
    }
    for (const [name, targets] of Object.entries(invokeGrants) as [FunctionName, readonly FunctionName[]][]) {
      // The unqualified ARN only: not grantInvoke(), which adds every version and alias (`:*`).
      this.functions[name].addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['lambda:InvokeFunction'],
          resources: targets.map((t) => this.functions[t].functionArn),
        }),
      );
    }
  }

  /** One Lambda with its own role, log group and exactly its DynamoDB actions and secrets. */
  private lambda(id: string, name: FunctionName, opts: LambdaOptions): NodejsFunction {
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });

    // An explicit role instead of AWSLambdaBasicExecutionRole: logs go to this one log group only.
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Sauti ${name} Lambda`,
    });
    logGroup.grantWrite(role);
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...dynamoActions[name]],
        // The table only (table.grant*() would add `index/*`); an index is named below, per Lambda.
        resources: [this.table.tableArn],
      }),
    );
    if (gsi1Readers.includes(name)) {
      role.addToPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:Query'],
          resources: [`${this.table.tableArn}/index/${GSI1}`],
        }),
      );
    }
    // DynamoDB uses the table key on the caller's behalf; the condition keeps the key usable
    // through DynamoDB only, never by calling KMS directly.
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [this.tableKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.${this.urlSuffix}` } },
      }),
    );

    const secrets = secretReaders[name];
    const environment: Record<string, string> = {
      TABLE_NAME: this.table.tableName,
      POWERTOOLS_SERVICE_NAME: 'sauti',
      ...opts.environment,
    };
    // The ARN, not the value: the handler reads the secret through the extension below.
    for (const s of secrets) environment[secretEnv[s]] = this.secrets[s].secretArn;

    const fn = new NodejsFunction(this, id, {
      entry: path.join(repoRoot, lambdaEntries[name]),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      description: opts.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: opts.memorySize,
      timeout: opts.timeout,
      role,
      logGroup,
      environment,
      // Local cached HTTP endpoint for secrets (functions/adapters/secrets.ts): no Secrets
      // Manager call on the hot path. Only on the Lambdas that read a secret.
      ...(secrets.length > 0
        ? {
            paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, {
              cacheSize: 10,
              secretsManagerTtl: Duration.minutes(5),
              // Bounded so a slow Secrets Manager cannot eat the USSD time budget.
              secretsManagerTimeout: Duration.seconds(2),
              logLevel: ParamsAndSecretsLogLevel.WARN,
            }),
          }
        : {}),
      // Same esbuild options as the benchmarks (infra/bundling.ts), so measured == deployed.
      bundling: {
        format: OutputFormat.ESM,
        target: bundleOptions.target,
        minify: bundleOptions.minify,
        mainFields: [...bundleOptions.mainFields],
        banner: bundleOptions.banner.js,
        // Empty: the AWS SDK v3 is bundled rather than taken from the runtime.
        externalModules: [...bundleOptions.external],
        sourceMap: bundleOptions.sourcemap,
        esbuildArgs: { '--legal-comments': bundleOptions.legalComments },
        // esbuild is a devDependency: bundle locally, so synth needs no Docker.
        forceDockerBundling: false,
        // Content ships as data beside the code (content.json), validated on the way.
        ...(opts.withContent
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => [`npx tsx "${inputDir}/infra/content-asset.ts" "${outputDir}"`],
              },
            }
          : {}),
      },
    });
    for (const s of secrets) this.secrets[s].grantRead(fn);
    // On the function resource only, not on what hangs below it (its event source mapping).
    Validations.of(fn.node.defaultChild ?? fn).acknowledge({ id: 'AwsSolutions-L1', reason: L1_REASON });
    return fn;
  }

  /** The admin users: researchers, NGO staff and admins, created by an admin (no self sign-up). */
  private cognito(): [UserPool, UserPoolClient, UserPoolDomain] {
    const pool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Users see participants' phone numbers and study data: a password alone is not enough.
      // An authenticator app (TOTP) only: SMS codes would need an SNS role and cost per message.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.ESSENTIALS,
      // Accounts and their group memberships outlive a stack deletion or replacement.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // On the AWS::Cognito::UserPool only, not on its client and groups.
    Validations.of(pool.node.defaultChild ?? pool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Essentials tier: a handful of staff accounts, created by an admin only (no self sign-up), with TOTP MFA and a strong password policy required; Plus threat protection is billed per user and adds little here',
    });
    // The roles reach the API in the token's `cognito:groups` claim; no IAM role per group.
    for (const groupName of userGroups) {
      pool.addGroup(`Group${groupName.charAt(0).toUpperCase()}${groupName.slice(1)}`, { groupName, description: `Sauti role ${groupName}` });
    }
    // A public client (no secret: a CLI or a browser cannot keep one) for the hosted UI's
    // authorization-code flow with PKCE and for SRP sign-in from the CLI.
    const client = pool.addClient('AdminClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        // The CLI's loopback redirect (RFC 8252); the console's URL is added when it exists.
        callbackUrls: ['http://localhost:8976/callback'],
        logoutUrls: ['http://localhost:8976/'],
      },
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
    });
    // The hosted UI the console (and the CLI's loopback flow) signs in through. The prefix is
    // global across AWS: this account's id keeps two deployments from colliding; context
    // `sauti:authDomainPrefix` sets another.
    const domain = pool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: this.node.tryGetContext(AUTH_DOMAIN_CONTEXT) ?? `sauti-${this.account}` },
    });
    return [pool, client, domain];
  }

  /** A provider's API credentials: a generated placeholder key, the rest set by the operator. */
  private providerSecret(id: string, what: string, key: string, provider: string): Secret {
    const secret = new Secret(this, id, {
      description: `Sauti: ${what}`,
      generateSecretString: { secretStringTemplate: JSON.stringify({}), generateStringKey: key, passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: `The ${provider} key is issued in the provider's portal, which has no API to rotate it; operators replace the secret value when they regenerate the key`,
    });
    return secret;
  }

  /** The HTTP API with exactly the routes of infra/routes.ts on a throttled, logged $default stage. */
  private httpApi(): HttpApi {
    const api = new HttpApi(this, 'Api', {
      description: "Sauti: Africa's Talking callbacks and the admin API",
      // The default stage of HttpApi takes no logging or throttling options; we add our own.
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
    new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      // Far above Africa's Talking's traffic for a study, low enough to cap cost if a URL leaks.
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // routeKey (`POST /at/{token}/ussd`) instead of $context.path: the path holds the token.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            // Who called the admin API (empty on the callbacks): the Cognito user id, not an email.
            user: '$context.authorizer.claims.sub',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    // API Gateway checks the Cognito JWT (signature, expiry, issuer, audience = the app client)
    // before the API Lambda runs; the Lambda then checks the role in `cognito:groups`.
    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', this.userPool, {
      userPoolClients: [this.userPoolClient],
    });

    const integrations: Record<LambdaName, HttpLambdaIntegration> = {
      ussd: new HttpLambdaIntegration('UssdIntegration', this.functions.ussd),
      atCallbacks: new HttpLambdaIntegration('AtCallbacksIntegration', this.functions.atCallbacks),
      api: new HttpLambdaIntegration('AdminApiIntegration', this.functions.api),
    };
    for (const route of routes) {
      // /health is answered by the callbacks Lambda: no extra function to deploy or keep warm.
      const target: LambdaName = route.lambda === 'health' ? 'atCallbacks' : route.lambda;
      const added = api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations[target],
        ...(route.auth === 'jwt' ? { authorizer } : {}),
      });
      if (route.auth === 'jwt') continue;
      for (const r of added) {
        // On the AWS::ApiGatewayV2::Route only, not on the integration and permission below it.
        Validations.of(r.node.defaultChild ?? r).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: route.path.includes('{token}')
            ? "Africa's Talking cannot send auth headers; the route is authenticated by the unguessable {token} path segment checked inside the Lambda"
            : 'Public liveness probe: answers ok and reads or returns no data',
        });
      }
    }
    return api;
  }

  /** What an operator must hear about: parked messages, failing Lambdas, slow USSD, API 5xx. */
  private alarms(): Topic {
    // A customer-managed key: CloudWatch cannot publish to a topic encrypted with the AWS-managed
    // SNS key, since that key's policy cannot be changed to let CloudWatch use it. Nothing durable is
    // encrypted with it (notifications are transient), so it goes with the stack.
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Sauti: encrypts the alarm notifications topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishEncrypted',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: 'Sauti alarms',
      masterKey: key,
      // Publishers must use TLS (cdk-nag SNS3), on top of the encryption at rest (SNS2).
      enforceSSL: true,
    });
    // Only this account's alarms may publish: the topic policy that enforceSSL creates replaces
    // SNS's default policy, so CloudWatch's access is stated here.
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*` },
          StringEquals: { 'aws:SourceAccount': this.account },
        },
      }),
    );
    const action = new SnsAction(topic);
    const period = Duration.minutes(5);
    const alarm = (id: string, description: string, metric: IMetric, threshold: number, extra: Partial<{ evaluationPeriods: number; comparison: ComparisonOperator }> = {}) => {
      const a = new Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: extra.evaluationPeriods ?? 1,
        datapointsToAlarm: extra.evaluationPeriods ?? 1,
        comparisonOperator: extra.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No data is no traffic (or an empty queue), not a problem.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      // Recovery is news too: whoever was paged learns it is over.
      a.addOkAction(action);
    };

    alarm(
      'SendDeadLetterAlarm',
      'Messages could not be sent after 5 attempts and wait in the send DLQ: inspect, fix, redrive',
      this.sendDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      1,
    );
    const ids: Record<FunctionName, string> = {
      ussd: 'Ussd',
      atCallbacks: 'AtCallbacks',
      api: 'AdminApi',
      sender: 'Sender',
      dispatcher: 'Dispatcher',
    };
    for (const [name, fn] of Object.entries(this.functions) as [FunctionName, NodejsFunction][]) {
      alarm(`${ids[name]}ErrorsAlarm`, `The ${name} Lambda failed at least once in 5 minutes`, fn.metricErrors({ period, statistic: 'Sum' }), 1);
    }
    alarm(
      'UssdLatencyAlarm',
      "USSD p99 latency above 3 s for 15 minutes: participants wait, and Africa's Talking drops sessions after ~10 s",
      this.functions.ussd.metricDuration({ period, statistic: 'p99' }),
      3000,
      { evaluationPeriods: 3, comparison: ComparisonOperator.GREATER_THAN_THRESHOLD },
    );
    alarm('Api5xxAlarm', 'The HTTP API answered 5xx at least once in 5 minutes', this.api.metricServerError({ period, statistic: 'Sum' }), 1);
    return topic;
  }

  private outputs(): void {
    // $default stage: the URL is the bare endpoint, no stage segment.
    const base = this.api.apiEndpoint;
    const readToken = `aws secretsmanager get-secret-value --secret-id ${this.callbackToken.secretArn} --query SecretString --output text`;

    new CfnOutput(this, 'ApiUrl', { value: base, description: 'Base URL of the HTTP API' });
    const seen = new Set<string>();
    for (const route of routes) {
      // One output per path: GET and POST of the admin API share theirs.
      const id = outputId(route);
      if (seen.has(id)) continue;
      seen.add(id);
      new CfnOutput(this, id, {
        value: base + route.path.replace('{token}', TOKEN_PLACEHOLDER).replace('/{proxy+}', ''),
        description: route.path.includes('{token}')
          ? `${route.method} ${route.path}: paste into the ${route.path.includes('/infobip/') ? 'Infobip portal (webhooks)' : "Africa's Talking dashboard"} with ${TOKEN_PLACEHOLDER} replaced by the CallbackToken secret (see ReadCallbackTokenCommand)`
          : route.auth === 'jwt'
            ? `${route.path}: admin API, Cognito token (UserPoolClientId) as Authorization: Bearer`
            : `${route.method} ${route.path}`,
      });
    }
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'DynamoDB table' });
    new CfnOutput(this, 'CallbackTokenSecretArn', {
      value: this.callbackToken.secretArn,
      description: 'Secrets Manager secret holding the callback path token',
    });
    new CfnOutput(this, 'ReadCallbackTokenCommand', {
      value: readToken,
      description: `Prints the value to put in place of ${TOKEN_PLACEHOLDER} in the callback URLs`,
    });
    new CfnOutput(this, 'SendQueueUrl', { value: this.sendQueue.queueUrl, description: 'SQS queue of SMS to send' });
    new CfnOutput(this, 'SendDeadLetterQueueUrl', {
      value: this.sendDeadLetterQueue.queueUrl,
      description: 'Messages that failed 5 times; redrive to the send queue once the cause is fixed',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: 'Cognito user pool of the admin API' });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.userPoolClient.userPoolClientId,
      description: 'Cognito app client (public, no secret) for the hosted UI and the CLI',
    });
    new CfnOutput(this, 'AtCredentialsSecretName', {
      value: this.atCredentials.secretName,
      description: "Secrets Manager secret with the Africa's Talking credentials (see SetAtCredentialsCommand)",
    });
    new CfnOutput(this, 'SetSslWirelessCredentialsCommand', {
      value: `aws secretsmanager put-secret-value --secret-id ${this.sslWirelessCredentials.secretName} --secret-string '{"apiToken":"<SSL Wireless API token>","sid":"<SID>"}'`,
      description: "Stores the SSL Wireless credentials (Bangladeshi studies); whitelist the sender's outgoing IP in the SSL Wireless portal",
    });
    new CfnOutput(this, 'SetInfobipCredentialsCommand', {
      value: `aws secretsmanager put-secret-value --secret-id ${this.infobipCredentials.secretName} --secret-string '{"apiKey":"<Infobip API key>","baseUrl":"https://<account>.api.infobip.com"}'`,
      description: 'Stores the Infobip credentials (studies with messaging.provider infobip)',
    });
    new CfnOutput(this, 'SetAtCredentialsCommand', {
      value: `aws secretsmanager put-secret-value --secret-id ${this.atCredentials.secretName} --secret-string '{"username":"<AT username>","apiKey":"<AT API key>"}'`,
      description: "Stores the real Africa's Talking credentials (until then the sender uses the AT sandbox)",
    });
    new CfnOutput(this, 'ExportsBucketName', {
      value: this.exportsBucket.bucketName,
      description: `S3 bucket of research exports (POST /api/v1/studies/{studyId}/exports); objects expire after ${EXPORT_RETENTION_DAYS} days`,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'SNS topic of the alarms: subscribe an email or a chat webhook',
    });
  }
}

/**
 * `/at/{token}/ussd/events` -> `UssdEventsCallbackUrl`, `/health` -> `HealthUrl`,
 * `/api/v1/{proxy+}` -> `ApiV1Url`.
 */
export function outputId(route: Route): string {
  const words = route.path
    .split('/')
    .filter((s) => s !== '' && s !== 'at' && s !== '{token}' && s !== '{proxy+}')
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1));
  return `${words.join('')}${route.path.includes('{token}') ? 'CallbackUrl' : 'Url'}`;
}

/** The sender's concurrency cap from CDK context (a number, or a string from `-c`), checked. */
export function sendConcurrencyOf(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_SEND_CONCURRENCY;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 2 || n > 1000) {
    throw new Error(`${SEND_CONCURRENCY_CONTEXT} must be an integer from 2 to 1000 (SQS event source maximum concurrency), got ${JSON.stringify(value)}`);
  }
  return n;
}
