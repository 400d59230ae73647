/**
 * The synthesized CloudFormation of the Sauti stack, shared by the CDK tests of this folder
 * (one file per part of the stack) with the helpers that read it.
 *
 * Bundling is skipped (`aws:cdk:bundling-stacks: []`): these tests check the template, not
 * the handlers, and stay fast and offline. Each test file synthesizes the stack once.
 */
import { readFileSync } from 'node:fs';
import { App, CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { FunctionName } from '../../infra/constructs/permissions.js';
import { SautiStack } from '../../infra/stack.js';

// CloudFormation JSON, walked freely by the assertions: any keeps them short, and a wrong path fails the test anyway.
export type Json = Record<string, any>;

// Same feature flags as `cdk synth`, so the template under test is the one deployed.
export const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as Json;

export const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
export const stack = new SautiStack(app, 'Sauti');
// Only for its aspect that writes acknowledgements into the template metadata; the pack itself is
// run by the cdk-nag test in stack.test.ts (registered as a plugin, a finding would abort the synth of every test).
new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true });
export const template = Template.fromStack(stack);
// The web console's hosting (CloudFront, its buckets, the bundle upload) is asserted in
// console-site.test.ts; `resources`, and so the exact inventories of the other files, are of everything else.
const consolePaths = [stack.consoleSite.node.path, stack.consoleSite.deployment?.handlerRole.node.scope?.node.path].filter((p): p is string => p !== undefined);
const consoleIds = new Set(
  stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && consolePaths.some((p) => c.node.path.startsWith(`${p}/`))).map((c) => stack.getLogicalId(c)),
);
export const resources = Object.fromEntries(Object.entries(template.toJSON().Resources as Record<string, Json>).filter(([id]) => !consoleIds.has(id)));

export const logicalId = (c: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(c.node.defaultChild as CfnFunction);
export const fnIds = Object.fromEntries(
  (Object.keys(stack.functions) as FunctionName[]).map((name) => [name, logicalId(stack.functions[name])]),
) as Record<FunctionName, string>;
export const ussdId = fnIds.ussd;
export const callbacksId = fnIds.atCallbacks;
export const tableId = logicalId(stack.table);
export const secretId = logicalId(stack.callbackToken);
export const atSecretId = logicalId(stack.atCredentials);
export const pseudonymSecretId = logicalId(stack.pseudonymKey);
export const phoneKeySecretId = logicalId(stack.phoneKey);
export const forgetQueueId = logicalId(stack.forget.queue);
export const forgetDlqId = logicalId(stack.forget.deadLetterQueue);
export const sslSecretId = logicalId(stack.sslWirelessCredentials);
export const infobipSecretId = logicalId(stack.infobipCredentials);
export const exportsBucketId = logicalId(stack.exportsBucket);
export const exportsLogBucketId = logicalId(stack.exportsLogBucket);
export const queueId = logicalId(stack.sendQueue);
export const dlqId = logicalId(stack.sendDeadLetterQueue);
export const userPoolId = logicalId(stack.userPool);
export const clientId = logicalId(stack.userPoolClient);
export const topicId = logicalId(stack.alarmTopic);
export const distributionId = logicalId(stack.consoleSite.distribution);
export const allFunctions = Object.keys(fnIds) as FunctionName[];

export const ofType = (type: string): [string, Json][] => Object.entries(resources).filter(([, r]) => r.Type === type);
export const byName = (a: { AttributeName: string }, b: { AttributeName: string }): number =>
  a.AttributeName.localeCompare(b.AttributeName);
export const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
export const getAtt = (id: string): Json => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** Every IAM statement on a role (by its logical id). */
export function statementsOfRole(roleId: string): Json[] {
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => asArray<Json>(p.Properties.Roles).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => asArray<Json>(p.Properties.PolicyDocument.Statement));
}
/** Every IAM statement that ends up on the execution role of the given function. */
export const statementsOf = (fnLogicalId: string): Json[] =>
  statementsOfRole(resources[fnLogicalId]!.Properties.Role['Fn::GetAtt'][0] as string);
export const actionsOf = (fnLogicalId: string): string[] =>
  statementsOf(fnLogicalId).flatMap((s) => asArray<string>(s.Action));
/** The statements of a function that grant any action of this service (`dynamodb`, `sqs`...). */
export const serviceStatements = (fnLogicalId: string, service: string): Json[] =>
  statementsOf(fnLogicalId).filter((s) => asArray<string>(s.Action).some((a) => a.startsWith(`${service}:`)));
