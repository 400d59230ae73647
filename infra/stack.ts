/**
 * The AWS deployment of Sauti (docs/design.md, "AWS deployment"), composed of the parts under
 * infra/constructs/: data (one DynamoDB table, the exports buckets), secrets, messaging (send
 * queue, concurrency-capped sender, dispatcher on an EventBridge Scheduler tick), auth
 * (Cognito), the HTTP API (provider callbacks, and the admin API behind a JWT authorizer), the
 * web console, and alarms into an SNS topic. Who may do what is in constructs/permissions.ts.
 *
 * The parts make their resources in this stack's scope, under the ids the stack has always
 * used, so splitting it renamed (and replaced) nothing. The stack is environment-agnostic (no
 * account/region lookups), so `cdk synth` runs offline without credentials; Lambdas are
 * bundled by the local esbuild, never Docker.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { UserPool, UserPoolClient, UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { alarms } from './constructs/alarms.js';
import { Auth } from './constructs/auth.js';
import { ConsoleSite } from './constructs/console-site.js';
import { Data } from './constructs/data.js';
import { httpApi } from './constructs/http-api.js';
import { AT_SOURCE_IPS_CONTEXT, atSourceIpsOf, httpFunctions } from './constructs/http-functions.js';
import { LambdaFactory, grantQueueAndInvoke } from './constructs/lambda.js';
import { Forget } from './constructs/forget.js';
import { Messaging } from './constructs/messaging.js';
import { outputs } from './constructs/outputs.js';
import type { FunctionName } from './constructs/permissions.js';
import { Secrets } from './constructs/secrets.js';

export class SautiStack extends Stack {
  readonly table: Table;
  readonly callbackToken: Secret;
  readonly atCredentials: Secret;
  readonly sslWirelessCredentials: Secret;
  readonly infobipCredentials: Secret;
  readonly pseudonymKey: Secret;
  readonly phoneKey: Secret;
  /** "Forget me" jobs, their DLQ and worker (constructs/forget.ts). */
  readonly forget: Forget;
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

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const data = new Data(this);
    ({ table: this.table, exportsBucket: this.exportsBucket, exportsLogBucket: this.exportsLogBucket } = data);
    const secrets = new Secrets(this);
    ({
      callbackToken: this.callbackToken,
      atCredentials: this.atCredentials,
      sslWirelessCredentials: this.sslWirelessCredentials,
      infobipCredentials: this.infobipCredentials,
      pseudonymKey: this.pseudonymKey,
      phoneKey: this.phoneKey,
    } = secrets);

    const lambdas = new LambdaFactory(this, data, secrets);
    const messaging = new Messaging(this, lambdas);
    const forget = new Forget(this, lambdas, messaging.sendQueue);
    this.forget = forget;
    ({ sendQueue: this.sendQueue, sendDeadLetterQueue: this.sendDeadLetterQueue, dispatchSchedule: this.dispatchSchedule, sendConcurrency: this.sendConcurrency } = messaging);
    const auth = new Auth(this);
    ({ userPool: this.userPool, userPoolClient: this.userPoolClient, authDomain: this.authDomain } = auth);
    const { ussd, atCallbacks, api, voice } = httpFunctions(this, lambdas, {
      sendQueueUrl: messaging.sendQueue.queueUrl,
      forgetQueueUrl: forget.queue.queueUrl,
      dispatcher: messaging.dispatcher,
      exportsBucket: data.exportsBucket,
      atSourceIps: atSourceIpsOf(this.node.tryGetContext(AT_SOURCE_IPS_CONTEXT)),
    });
    this.functions = { ussd, atCallbacks, api, voice, sender: messaging.sender, dispatcher: messaging.dispatcher, forget: forget.worker };
    grantQueueAndInvoke(this.functions, messaging.sendQueue, forget.queue);
    // After the invoke grant, so the API's policy lists its statements in their historical order.
    auth.letManageStaff(api);

    this.api = httpApi(this, this.functions, auth);
    // The web console, same-origin with the API: CloudFront forwards /api/* to it.
    this.consoleSite = new ConsoleSite(this, 'ConsoleSite', {
      api: this.api,
      accessLogs: data.exportsLogBucket,
      config: {
        apiBase: '/api/v1',
        region: this.region,
        userPoolId: auth.userPool.userPoolId,
        userPoolClientId: auth.userPoolClient.userPoolClientId,
        // The console's "Sign in" goes to the hosted UI (authorization code + PKCE) and back.
        cognitoDomain: auth.authDomain.baseUrl(),
      },
    });
    auth.allowConsoleAt(this.consoleSite.url);
    // The voice prompts' recordings, served over HTTPS by the console's distribution under /audio/ (their upload is a deploy step still to write).
    voice.addEnvironment('SAUTI_AUDIO_BASE_URL', `${this.consoleSite.url}/audio`);
    this.alarmTopic = alarms(this, { functions: this.functions, sendDeadLetterQueue: messaging.sendDeadLetterQueue, api: this.api, forget });
    outputs(this, { api: this.api, table: data.table, secrets, messaging, auth, exportsBucket: data.exportsBucket, alarmTopic: this.alarmTopic });
  }
}
