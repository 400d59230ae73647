/**
 * The three Lambdas behind the HTTP API: the USSD menu engine, the provider callbacks, and the
 * admin API with its rights on the exports bucket's objects (its user-pool rights: Auth).
 */
import { Duration, type Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { LambdaName } from '../routes.js';
import type { LambdaFactory } from './lambda.js';
import { exportObjectActions } from './permissions.js';

export interface HttpFunctionsProps {
  sendQueueUrl: string;
  /** Where "forget me" jobs go (the Forget construct). */
  forgetQueueUrl: string;
  dispatcher: NodejsFunction;
  exportsBucket: Bucket;
}

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
  grantExports(stack, api, props.exportsBucket);
  return { ussd, atCallbacks, api };
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
