/**
 * The six Lambdas (infra/constructs/lambda.ts): runtime, memory and timeout, environment, the secrets
 * extension and their log groups.
 */
import { describe, expect, it } from 'vitest';
import { SENDER_TIMEOUT, SEND_MAX_RECEIVES } from '../../infra/constructs/messaging.js';
import { type FunctionName, secretReaders } from '../../infra/constructs/permissions.js';
import { routes } from '../../infra/routes.js';
import { type Json, cdkJson, resources, fnIds, ussdId, tableId, secretId, atSecretId, pseudonymSecretId, sslSecretId, infobipSecretId, exportsBucketId, queueId, userPoolId, allFunctions, ofType, distributionId, phoneKeySecretId, forgetQueueId } from './sauti-template.js';

describe('Lambda functions', () => {
  const expected: { name: FunctionName; memory: number; timeout: number }[] = [
    { name: 'ussd', memory: 512, timeout: 8 },
    { name: 'atCallbacks', memory: 256, timeout: 10 },
    { name: 'api', memory: 512, timeout: 29 },
    { name: 'sender', memory: 256, timeout: SENDER_TIMEOUT.toSeconds() },
    { name: 'dispatcher', memory: 512, timeout: 300 },
    { name: 'voice', memory: 512, timeout: 8 },
    { name: 'forget', memory: 256, timeout: 120 },
  ];

  it('are exactly the six of infra/routes.ts', () => {
    expect(ofType('AWS::Lambda::Function').map(([id]) => id).sort()).toEqual(Object.values(fnIds).sort());
    expect(expected.map((e) => e.name).sort()).toEqual([...allFunctions].sort());
  });

  it.each(expected)('$name runs Node.js 22 on arm64 with its memory and timeout', ({ name, memory, timeout }) => {
    expect(resources[fnIds[name]]!.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: memory,
      Timeout: timeout,
      Handler: 'index.handler',
    });
  });

  it("ussd answers before the ~10 s Africa's Talking timeout", () => {
    expect(resources[ussdId]!.Properties.Timeout).toBeLessThan(10);
  });

  it("voice answers before Africa's Talking's ~10 s callback timeout", () => {
    expect(resources[fnIds.voice]!.Properties.Timeout).toBeLessThan(10);
  });

  it('the sender times out well before its 5-minute message claim lease expires', () => {
    expect(resources[fnIds.sender]!.Properties.Timeout).toBeLessThan(5 * 60);
  });

  const env = (name: FunctionName): Json => resources[fnIds[name]]!.Properties.Environment.Variables as Json;
  const queueUrl = { Ref: queueId };
  const audioBase = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/audio']] };
  const forgetQueueUrl = { Ref: forgetQueueId };
  const phoneKey = { Ref: phoneKeySecretId };

  it.each(allFunctions)('%s gets exactly its environment, references and no secret value', (name) => {
    const wanted: Record<FunctionName, Json> = {
      ussd: { CALLBACK_TOKEN_SECRET_ID: { Ref: secretId }, PHONE_KEY_SECRET_ARN: phoneKey },
      atCallbacks: { CALLBACK_TOKEN_SECRET_ID: { Ref: secretId }, SEND_QUEUE_URL: queueUrl, FORGET_QUEUE_URL: forgetQueueUrl, PHONE_KEY_SECRET_ARN: phoneKey },
      api: {
        SEND_QUEUE_URL: queueUrl,
        FORGET_QUEUE_URL: forgetQueueUrl,
        PHONE_KEY_SECRET_ARN: phoneKey,
        DISPATCHER_FUNCTION_NAME: { Ref: fnIds.dispatcher },
        EXPORTS_BUCKET: { Ref: exportsBucketId },
        PSEUDONYM_SECRET_ARN: { Ref: pseudonymSecretId },
        USER_POOL_ID: { Ref: userPoolId },
      },
      sender: { AT_CREDENTIALS_SECRET_ARN: { Ref: atSecretId }, SSLWIRELESS_CREDENTIALS_SECRET_ARN: { Ref: sslSecretId }, INFOBIP_CREDENTIALS_SECRET_ARN: { Ref: infobipSecretId }, SAUTI_MAX_RECEIVES: String(SEND_MAX_RECEIVES), SAUTI_SEND_CONCURRENCY: String(cdkJson.context['sauti:sendConcurrency']), PHONE_KEY_SECRET_ARN: phoneKey },
      dispatcher: { SEND_QUEUE_URL: queueUrl, AT_CREDENTIALS_SECRET_ARN: { Ref: atSecretId }, PHONE_KEY_SECRET_ARN: phoneKey },
      // The recordings under /audio of the console's CloudFront distribution (HTTPS).
      voice: { CALLBACK_TOKEN_SECRET_ID: { Ref: secretId }, SAUTI_AUDIO_BASE_URL: audioBase, PHONE_KEY_SECRET_ARN: phoneKey },
      forget: { SEND_QUEUE_URL: queueUrl, PHONE_KEY_SECRET_ARN: phoneKey, PSEUDONYM_SECRET_ARN: { Ref: pseudonymSecretId } },
    };
    const vars = env(name);
    const { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: _port, SSM_PARAMETER_STORE_TTL: _a, ...own } = Object.fromEntries(
      Object.entries(vars).filter(([k]) => !k.startsWith('PARAMETERS_SECRETS_') && !k.startsWith('SECRETS_MANAGER_') && !k.startsWith('SSM_')),
    );
    expect(own).toEqual({ TABLE_NAME: { Ref: tableId }, POWERTOOLS_SERVICE_NAME: 'sauti', ...wanted[name] });
    // Anything named like a token or a secret must be a reference, never a literal string.
    for (const [k, value] of Object.entries(vars)) {
      if (/TOKEN|SECRET_ID|SECRET_ARN|API_KEY|USERNAME/.test(k)) expect(typeof value, k).not.toBe('string');
    }
  });

  it.each(allFunctions)('%s has the secrets extension if and only if it reads a secret', (name) => {
    const props = resources[fnIds[name]]!.Properties as Json;
    // Every function reads at least the phone key.
    const readsSecret = secretReaders[name].length > 0;
    // The AWS Parameters and Secrets Lambda Extension, for the arm64 architecture.
    if (readsSecret) {
      expect(JSON.stringify(props.Layers)).toMatch(/Paramsandsecrets.*arm64/i);
      expect(env(name).PARAMETERS_SECRETS_EXTENSION_HTTP_PORT).toBeDefined();
    } else {
      expect(props.Layers).toBeUndefined();
    }
  });

  it.each(allFunctions)('%s logs to its own log group with a retention', (name) => {
    const logGroupId = resources[fnIds[name]]!.Properties.LoggingConfig.LogGroup.Ref as string;
    expect(resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
    });
  });

  it('every log group has a retention', () => {
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups).toHaveLength(8); // seven Lambdas + API access logs
    for (const [, g] of groups) expect(g.Properties.RetentionInDays).toBeGreaterThan(0);
  });
});
