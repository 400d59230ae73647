/**
 * The stack's outputs: every URL to paste into a provider's dashboard (with a placeholder for
 * the callback token, never its value), and the names an operator needs to run Sauti.
 */
import { CfnOutput, type Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { type Route, routes } from '../routes.js';
import type { Auth } from './auth.js';
import { EXPORT_RETENTION_DAYS } from './data.js';
import type { Messaging } from './messaging.js';
import type { Secrets } from './secrets.js';

/** The token placeholder shown in the callback URL outputs (the real value never leaves the secret). */
export const TOKEN_PLACEHOLDER = '<CallbackToken>';

export interface OutputsProps {
  api: HttpApi;
  table: Table;
  secrets: Secrets;
  messaging: Messaging;
  auth: Auth;
  exportsBucket: Bucket;
  alarmTopic: Topic;
}

export function outputs(stack: Stack, { api, table, secrets, messaging, auth, exportsBucket, alarmTopic }: OutputsProps): void {
  // $default stage: the URL is the bare endpoint, no stage segment.
  const base = api.apiEndpoint;
  const readToken = `aws secretsmanager get-secret-value --secret-id ${secrets.callbackToken.secretArn} --query SecretString --output text`;

  new CfnOutput(stack, 'ApiUrl', { value: base, description: 'Base URL of the HTTP API' });
  const seen = new Set<string>();
  for (const route of routes) {
    // One output per path: GET and POST of the admin API share theirs.
    const id = outputId(route);
    if (seen.has(id)) continue;
    seen.add(id);
    new CfnOutput(stack, id, {
      value: base + route.path.replace('{token}', TOKEN_PLACEHOLDER).replace('/{proxy+}', ''),
      description: route.path.includes('{token}')
        ? `${route.method} ${route.path}: paste into the ${route.path.includes('/infobip/') ? 'Infobip portal (webhooks)' : "Africa's Talking dashboard"} with ${TOKEN_PLACEHOLDER} replaced by the CallbackToken secret (see ReadCallbackTokenCommand)`
        : route.auth === 'jwt'
          ? `${route.path}: admin API, Cognito token (UserPoolClientId) as Authorization: Bearer`
          : `${route.method} ${route.path}`,
    });
  }
  new CfnOutput(stack, 'TableName', { value: table.tableName, description: 'DynamoDB table' });
  new CfnOutput(stack, 'CallbackTokenSecretArn', {
    value: secrets.callbackToken.secretArn,
    description: 'Secrets Manager secret holding the callback path token',
  });
  new CfnOutput(stack, 'ReadCallbackTokenCommand', {
    value: readToken,
    description: `Prints the value to put in place of ${TOKEN_PLACEHOLDER} in the callback URLs`,
  });
  new CfnOutput(stack, 'SendQueueUrl', { value: messaging.sendQueue.queueUrl, description: 'SQS queue of SMS to send' });
  new CfnOutput(stack, 'SendDeadLetterQueueUrl', {
    value: messaging.sendDeadLetterQueue.queueUrl,
    description: 'Messages that failed 5 times; redrive to the send queue once the cause is fixed',
  });
  new CfnOutput(stack, 'UserPoolId', { value: auth.userPool.userPoolId, description: 'Cognito user pool of the admin API' });
  new CfnOutput(stack, 'UserPoolClientId', {
    value: auth.userPoolClient.userPoolClientId,
    description: 'Cognito app client (public, no secret) for the hosted UI and the CLI',
  });
  new CfnOutput(stack, 'AtCredentialsSecretName', {
    value: secrets.atCredentials.secretName,
    description: "Secrets Manager secret with the Africa's Talking credentials (see SetAtCredentialsCommand)",
  });
  new CfnOutput(stack, 'SetSslWirelessCredentialsCommand', {
    value: `aws secretsmanager put-secret-value --secret-id ${secrets.sslWirelessCredentials.secretName} --secret-string '{"apiToken":"<SSL Wireless API token>","sid":"<SID>"}'`,
    description: "Stores the SSL Wireless credentials (Bangladeshi studies); whitelist the sender's outgoing IP in the SSL Wireless portal",
  });
  new CfnOutput(stack, 'SetInfobipCredentialsCommand', {
    value: `aws secretsmanager put-secret-value --secret-id ${secrets.infobipCredentials.secretName} --secret-string '{"apiKey":"<Infobip API key>","baseUrl":"https://<account>.api.infobip.com"}'`,
    description: 'Stores the Infobip credentials (studies with messaging.provider infobip)',
  });
  new CfnOutput(stack, 'SetAtCredentialsCommand', {
    value: `aws secretsmanager put-secret-value --secret-id ${secrets.atCredentials.secretName} --secret-string '{"username":"<AT username>","apiKey":"<AT API key>"}'`,
    description: "Stores the real Africa's Talking credentials (until then the sender uses the AT sandbox)",
  });
  new CfnOutput(stack, 'ExportsBucketName', {
    value: exportsBucket.bucketName,
    description: `S3 bucket of research exports (POST /api/v1/studies/{studyId}/exports); objects expire after ${EXPORT_RETENTION_DAYS} days`,
  });
  new CfnOutput(stack, 'AlarmTopicArn', {
    value: alarmTopic.topicArn,
    description: 'SNS topic of the alarms: subscribe an email or a chat webhook',
  });
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
