/**
 * The four Lambdas behind the HTTP API: the USSD menu engine, the voice IVR, the provider
 * callbacks, and the admin API with its rights on the exports bucket's objects (its user-pool rights: Auth).
 */
import { Duration, type Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { parseCidr } from '../../functions/adapters/source-ip.js';
import { type LambdaName, routes } from '../routes.js';
import type { LambdaFactory } from './lambda.js';
import { exportObjectActions } from './permissions.js';

export interface HttpFunctionsProps {
  sendQueueUrl: string;
  /** Where "forget me" jobs go (the Forget construct). */
  forgetQueueUrl: string;
  dispatcher: NodejsFunction;
  exportsBucket: Bucket;
  /** `AT_SOURCE_IPS` of every Africa's Talking callback Lambda (context sauti:atSourceIps); unset: any source. */
  atSourceIps?: string;
}

/** Context key: the IPv4 CIDRs Africa's Talking calls back from (docs/operations.md, "Source-IP allowlist"). */
export const AT_SOURCE_IPS_CONTEXT = 'sauti:atSourceIps';

/**
 * The context value as `AT_SOURCE_IPS`: a list (cdk.json) or a comma-separated or JSON string
 * (`-c`). An entry that is not an IPv4 CIDR fails the synth: the Lambda would ignore it
 * (fail closed), and a deploy that silently refuses every callback is worse than no deploy.
 */
export function atSourceIpsOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const list: unknown = typeof value === 'string' ? (value.trim().startsWith('[') ? parseJsonList(value) : value.split(',')) : value;
  if (!Array.isArray(list)) throw new Error(`${AT_SOURCE_IPS_CONTEXT} must be a list of IPv4 CIDRs, got ${JSON.stringify(value)}`);
  const cidrs = list.map((c) => String(c).trim()).filter((c) => c !== '');
  const bad = cidrs.filter((c) => parseCidr(c) === undefined);
  if (bad.length > 0) throw new Error(`${AT_SOURCE_IPS_CONTEXT}: not an IPv4 address or CIDR: ${bad.join(', ')}`);
  return cidrs.length > 0 ? cidrs.join(',') : undefined;
}

function parseJsonList(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${AT_SOURCE_IPS_CONTEXT} looks like JSON but does not parse: ${text}`);
  }
}

/** The Lambdas Africa's Talking calls, from the route table: a callback Lambda added there gets the allowlist too. */
export const atCallbackLambdas = [...new Set(routes.filter((r) => r.path.startsWith('/at/')).map((r) => r.lambda))].filter((l): l is LambdaName => l !== 'health');

export function httpFunctions(stack: Stack, lambdas: LambdaFactory, props: HttpFunctionsProps): Record<LambdaName, NodejsFunction> {
  const ussd = lambdas.create('Ussd', 'ussd', {
    description: "Sauti: Africa's Talking USSD callback (menu engine)",
    withContent: true,
    memorySize: 512,
    // Africa's Talking drops the USSD connection after ~10 s; fail before it does.
    timeout: Duration.seconds(8),
  });
  const atCallbacks = lambdas.create('AtCallbacks', 'atCallbacks', {
    description: "Sauti: Africa's Talking USSD end-of-session, incoming SMS (replies queued) and delivery reports",
    // Incoming SMS answers with content (diary questions, confirmations).
    withContent: true,
    memorySize: 256,
    timeout: Duration.seconds(10),
    environment: { SEND_QUEUE_URL: props.sendQueueUrl, FORGET_QUEUE_URL: props.forgetQueueUrl },
  });
  const api = lambdas.create('AdminApi', 'api', {
    description: 'Sauti: admin API (studies, campaigns, participants) for researchers, NGOs and admins',
    withContent: true,
    memorySize: 512,
    // Just under API Gateway's 30 s integration timeout: a slow request fails in the Lambda, logged.
    timeout: Duration.seconds(29),
    environment: {
      SEND_QUEUE_URL: props.sendQueueUrl,
      FORGET_QUEUE_URL: props.forgetQueueUrl,
      DISPATCHER_FUNCTION_NAME: props.dispatcher.functionName,
      EXPORTS_BUCKET: props.exportsBucket.bucketName,
    },
  });
  const voice = lambdas.create('Voice', 'voice', {
    description: "Sauti: Africa's Talking voice callback (the diary, lessons and complaints by IVR)",
    withContent: true,
    memorySize: 512,
    // AT waits about 10 s for an answer before it drops the call; fail (with an apology) before.
    timeout: Duration.seconds(8),
  });
  grantExports(stack, api, props.exportsBucket);
  const functions = { ussd, atCallbacks, api, voice };
  if (props.atSourceIps) for (const name of atCallbackLambdas) functions[name].addEnvironment('AT_SOURCE_IPS', props.atSourceIps);
  return functions;
}

/** Objects of the exports bucket only, exactly exportObjectActions. */
function grantExports(stack: Stack, api: NodejsFunction, exportsBucket: Bucket): void {
  // Not grantReadWrite(), which adds List, Delete and the bucket itself.
  api.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: [...exportObjectActions], resources: [exportsBucket.arnForObjects('*')] }));
  // That one finding only (this resource on this policy), not IAM5 at large.
  const apiPolicy = api.role?.node.tryFindChild('DefaultPolicy');
  const bucketId = stack.getLogicalId(exportsBucket.node.defaultChild as CfnBucket);
  Validations.of(apiPolicy?.node.defaultChild ?? apiPolicy ?? api).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
    reason:
      'Objects of the exports bucket only: export file names carry the study and a timestamp, so no fixed list of keys exists; the actions are exactly PutObject, GetObject and AbortMultipartUpload',
  });
}
