/**
 * One Sauti Lambda: bundled by the local esbuild (never Docker) with the benchmarks' options,
 * its own role and log group, and exactly the DynamoDB actions and secrets of the permission
 * tables. Also the grants between Lambdas (send queue, invoke), once all of them exist.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, type Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, ParamsAndSecretsLayerVersion, ParamsAndSecretsLogLevel, ParamsAndSecretsVersions, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { GSI1, GSI2 } from '../../functions/adapters/dynamo/keys.js';
import { bundleOptions } from '../bundling.js';
import { lambdaEntries } from '../routes.js';
import type { Data } from './data.js';
import { type FunctionName, dynamoActions, forgetQueueProducers, gsi1Readers, gsi2Readers, invokeGrants, secretEnv, secretReaders, sendQueueProducers } from './permissions.js';
import type { Secrets } from './secrets.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const L1_REASON = 'Node.js 22 is the runtime this project targets (docs/design.md); move to 24 with the whole toolchain';

export interface LambdaOptions {
  description: string;
  memorySize: number;
  timeout: Duration;
  withContent?: boolean;
  /** Besides TABLE_NAME, POWERTOOLS_SERVICE_NAME and the secret ARNs of secretReaders. */
  environment?: Record<string, string>;
  /** A VPC to run in (the sender behind a static egress IP, egress.ts); none by default. */
  network?: Pick<NodejsFunctionProps, 'vpc' | 'vpcSubnets' | 'securityGroups'>;
}

/** Makes the stack's Lambdas, each in the stack's scope under its historical id. */
export class LambdaFactory {
  constructor(
    private readonly stack: Stack,
    private readonly data: Data,
    private readonly secrets: Secrets,
  ) {}

  /** One Lambda with its own role, log group and exactly its DynamoDB actions and secrets. */
  create(id: string, name: FunctionName, opts: LambdaOptions): NodejsFunction {
    const { stack, data } = this;
    const logGroup = new LogGroup(stack, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });

    // An explicit role instead of AWSLambdaBasicExecutionRole: logs go to this one log group only.
    const role = new Role(stack, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Sauti ${name} Lambda`,
    });
    logGroup.grantWrite(role);
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...dynamoActions[name]],
        // The table only (table.grant*() would add `index/*`); an index is named below, per Lambda.
        resources: [data.table.tableArn],
      }),
    );
    for (const [index, readers] of [[GSI1, gsi1Readers], [GSI2, gsi2Readers]] as const) {
      if (!readers.includes(name)) continue;
      role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: [`${data.table.tableArn}/index/${index}`] }));
    }
    // DynamoDB uses the table key on the caller's behalf; the condition keeps the key usable
    // through DynamoDB only, never by calling KMS directly.
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [data.tableKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.${stack.urlSuffix}` } },
      }),
    );

    const secrets = secretReaders[name];
    const environment: Record<string, string> = {
      TABLE_NAME: data.table.tableName,
      POWERTOOLS_SERVICE_NAME: 'sauti',
      ...opts.environment,
    };
    // The ARN, not the value: the handler reads the secret through the extension below.
    for (const s of secrets) environment[secretEnv[s]] = this.secrets.byName[s].secretArn;

    const fn = new NodejsFunction(stack, id, {
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
      ...opts.network,
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
    for (const s of secrets) this.secrets.byName[s].grantRead(fn);
    // On the function resource only, not on what hangs below it (its event source mapping).
    Validations.of(fn.node.defaultChild ?? fn).acknowledge({ id: 'AwsSolutions-L1', reason: L1_REASON });
    return fn;
  }
}

/** Sending to the queue and invoking other Lambdas, exactly as sendQueueProducers and invokeGrants say. */
export function grantQueueAndInvoke(functions: Record<FunctionName, NodejsFunction>, sendQueue: Queue, forgetQueue: Queue): void {
  for (const [queue, producers] of [[sendQueue, sendQueueProducers], [forgetQueue, forgetQueueProducers]] as const) {
    // sqs:SendMessage only: not grantSendMessages(), which adds GetQueueAttributes and GetQueueUrl.
    for (const name of producers) functions[name].addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  }
  for (const [name, targets] of Object.entries(invokeGrants) as [FunctionName, readonly FunctionName[]][]) {
    // The unqualified ARN only: not grantInvoke(), which adds every version and alias (`:*`).
    functions[name].addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: targets.map((t) => functions[t].functionArn),
      }),
    );
  }
}
