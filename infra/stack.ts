/**
 * The AWS deployment of Sauti: one DynamoDB table, the Africa's Talking callback token,
 * the two callback Lambdas and the HTTP API in front of them (DESIGN.md, "AWS deployment").
 *
 * The stack is environment-agnostic (no account/region lookups), so `cdk synth` runs
 * offline without credentials; Lambdas are bundled by the local esbuild, never Docker.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  Architecture,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { GSI1 } from '../functions/adapters/dynamo/keys.js';
import { bundleOptions } from './bundling.js';
import { lambdaEntries, routes, type LambdaName, type Route } from './routes.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** DynamoDB actions each Lambda may call; the tests assert nothing more is granted. */
export const dynamoActions: Record<LambdaName, readonly string[]> = {
  // Exactly what the hop uses: BatchGetItem (session + participant), GetItem and Query (study
  // by service code), PutItem (the session, or the participant's consent decision).
  ussd: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
  // Callbacks record what Africa's Talking reports (idempotent conditional puts) and move a
  // message's status on a delivery report (GetItem of the id link, conditional UpdateItem).
  atCallbacks: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
};

/** The token placeholder shown in the callback URL outputs (the real value never leaves the secret). */
export const TOKEN_PLACEHOLDER = '<CallbackToken>';

const L1_REASON = 'Node.js 22 is the runtime this project targets (DESIGN.md); move to 24 with the whole toolchain';

export class SautiStack extends Stack {
  readonly table: Table;
  readonly callbackToken: Secret;
  readonly functions: Record<LambdaName, NodejsFunction>;
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // A customer-managed key lets us audit and, if ever needed, revoke access to study data.
    // Retained with the table: deleting it would make the retained table and its backups unreadable.
    const tableKey = new Key(this, 'TableKey', {
      description: 'Sauti: encrypts the DynamoDB table (study data, phone numbers)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: tableKey,
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

    this.functions = {
      ussd: this.lambda('Ussd', 'ussd', {
        description: "Sauti: Africa's Talking USSD callback (menu engine)",
        withContent: true,
        memorySize: 512,
        // Africa's Talking drops the USSD connection after ~10 s; fail before it does.
        timeout: Duration.seconds(8),
        tableKey,
      }),
      atCallbacks: this.lambda('AtCallbacks', 'atCallbacks', {
        description: "Sauti: Africa's Talking USSD end-of-session, incoming SMS and delivery reports",
        memorySize: 256,
        timeout: Duration.seconds(10),
        tableKey,
      }),
    };

    this.api = this.httpApi();
    this.outputs();
  }

  /** One callback Lambda with its own role, log group and exactly its DynamoDB actions. */
  private lambda(
    id: string,
    name: LambdaName,
    opts: { description: string; memorySize: number; timeout: Duration; tableKey: Key; withContent?: boolean },
  ): NodejsFunction {
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });

    // An explicit role instead of AWSLambdaBasicExecutionRole: logs go to this one log group only.
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Sauti ${name} Lambda`,
    });
    logGroup.grantWrite(role);
    const actions = dynamoActions[name];
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...actions],
        // The table only: no handler queries an index yet (table.grant*() would add `index/*`).
        // A handler that needs gsi1 gets `${tableArn}/index/${GSI1}` named here, not a wildcard.
        resources: [this.table.tableArn],
      }),
    );
    // DynamoDB uses the table key on the caller's behalf; the condition keeps the key usable
    // through DynamoDB only, never by calling KMS directly.
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [opts.tableKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.${this.urlSuffix}` } },
      }),
    );

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
      environment: {
        TABLE_NAME: this.table.tableName,
        // The ARN, not the value: the handler reads the token through the extension below.
        CALLBACK_TOKEN_SECRET_ID: this.callbackToken.secretArn,
        POWERTOOLS_SERVICE_NAME: 'sauti',
      },
      // Local cached HTTP endpoint for the token: no Secrets Manager call on the hot path.
      paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, {
        cacheSize: 10,
        secretsManagerTtl: Duration.minutes(5),
        // Bounded so a slow Secrets Manager cannot eat the USSD time budget.
        secretsManagerTimeout: Duration.seconds(2),
        logLevel: ParamsAndSecretsLogLevel.WARN,
      }),
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
    this.callbackToken.grantRead(fn);
    Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason: L1_REASON });
    return fn;
  }

  /** The HTTP API with exactly the routes of infra/routes.ts on a throttled, logged $default stage. */
  private httpApi(): HttpApi {
    const api = new HttpApi(this, 'Api', {
      description: "Sauti: Africa's Talking callbacks",
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
          }),
        ),
      },
    });

    const integrations: Record<LambdaName, HttpLambdaIntegration> = {
      ussd: new HttpLambdaIntegration('UssdIntegration', this.functions.ussd),
      atCallbacks: new HttpLambdaIntegration('AtCallbacksIntegration', this.functions.atCallbacks),
    };
    for (const route of routes) {
      // /health is answered by the callbacks Lambda: no extra function to deploy or keep warm.
      const target: LambdaName = route.lambda === 'health' ? 'atCallbacks' : route.lambda;
      const added = api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations[target],
      });
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

  private outputs(): void {
    // $default stage: the URL is the bare endpoint, no stage segment.
    const base = this.api.apiEndpoint;
    const readToken = `aws secretsmanager get-secret-value --secret-id ${this.callbackToken.secretArn} --query SecretString --output text`;

    new CfnOutput(this, 'ApiUrl', { value: base, description: 'Base URL of the HTTP API' });
    for (const route of routes) {
      new CfnOutput(this, outputId(route), {
        value: base + route.path.replace('{token}', TOKEN_PLACEHOLDER),
        description: route.path.includes('{token}')
          ? `${route.method} ${route.path}: paste into the Africa's Talking dashboard with ${TOKEN_PLACEHOLDER} replaced by the CallbackToken secret (see ReadCallbackTokenCommand)`
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
  }
}

/** `/at/{token}/ussd/events` -> `UssdEventsCallbackUrl`, `/health` -> `HealthUrl`. */
export function outputId(route: Route): string {
  const words = route.path
    .split('/')
    .filter((s) => s !== '' && s !== 'at' && s !== '{token}')
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1));
  return `${words.join('')}${route.path.includes('{token}') ? 'CallbackUrl' : 'Url'}`;
}
