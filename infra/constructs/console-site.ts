/**
 * The web console's hosting: a private S3 bucket served by CloudFront through Origin Access
 * Control, and `/api/*` on the same distribution forwarded to the HTTP API, so the browser
 * calls the API same-origin (no CORS, the bearer token never goes to a second host).
 *
 * The bundle (`web/dist`, made by `npm run build`) is uploaded only if it exists when the app
 * is synthesized: a fresh clone synthesizes and deploys without building the console first.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/** Where `npm run build` puts the console. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface ConsoleSiteProps {
  /** The HTTP API whose `/api/*` routes the console calls. */
  api: HttpApi;
  /** The bucket that receives S3 server access logs (the stack's log bucket). */
  accessLogs: IBucket;
  /** What the console needs to know at run time, written as `/config.js` (deploy-time values allowed). */
  config?: Record<string, string>;
  /** The built console; uploaded only when it holds an index.html. */
  webDist?: string;
}

/** Cognito's sign-in endpoints the console may call (SRP, token refresh) besides its own origin. */
const cognitoEndpoints = (region: string) => `https://cognito-idp.${region}.amazonaws.com https://*.auth.${region}.amazoncognito.com`;

export class ConsoleSite extends Construct {
  readonly bucket: Bucket;
  /** CloudFront's standard logs (which need ACLs, unlike S3 server access logs). */
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** Undefined when web/dist was not built at synth time. */
  readonly deployment?: BucketDeployment;
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const region = Stack.of(this).region;

    // CloudFront standard logging writes with an ACL grant: this bucket keeps ACLs (owner
    // preferred), unlike every other bucket of the stack. Its own access is logged to the
    // stack's log bucket. Kept a year, like the other access logs.
    this.logBucket = new Bucket(this, 'CdnLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'console-cdn-logs/',
      lifecycleRules: [{ id: 'ExpireCdnLogs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Private: only this distribution reads it (OAC adds the bucket policy for exactly that).
    // Retained like the stack's other buckets: deleting a stack never deletes data or logs.
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'console-site/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Sauti console: security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            // Chart.js sizes its canvases through style attributes.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            `connect-src 'self' ${cognitoEndpoints(region)}`,
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
            `form-action 'self' https://*.auth.${region}.amazoncognito.com`,
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });

    // SPA routing: a path without a file extension (/studies/x/participants) is a page of the
    // app, answered with index.html. Done in a viewer-request function on the site behaviour
    // rather than with the distribution's custom error responses (403/404 -> /index.html):
    // those apply to every behaviour, and would turn the API's own 403 and 404 JSON answers
    // into a 200 HTML page.
    const spa = new CloudFrontFunction(this, 'SpaRouting', {
      comment: 'Sauti console: app routes to /index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(
        [
          'function handler(event) {',
          '  var request = event.request;',
          "  var last = request.uri.split('/').pop();",
          "  if (last.indexOf('.') === -1) request.uri = '/index.html';",
          '  return request;',
          '}',
        ].join('\n'),
      ),
    });

    // The API's host, from its endpoint URL (https://{id}.execute-api.{region}.amazonaws.com).
    const apiDomain = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Sauti web console and its API',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      // The study countries (Kenya, Bangladesh) are served from edge locations in class 200.
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: spa, eventType: FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: {
        // Never cached (answers depend on the caller); every method; every viewer header but
        // Host, which includes Authorization (API Gateway checks the JWT), and the query string.
        '/api/*': {
          origin: new HttpOrigin(apiDomain, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    const distributionNode = this.distribution.node.defaultChild ?? this.distribution;
    Validations.of(distributionNode).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'No geo restriction: researchers and NGO staff sign in from wherever they travel; every page is public code and every answer of /api/* needs a Cognito JWT with a role',
    });
    Validations.of(distributionNode).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason: 'No WAF web ACL: the site is static files and the API behind it requires a Cognito JWT and is throttled at its stage; a web ACL (about USD 5+ a month) can be attached later without changes here',
    });
    Validations.of(distributionNode).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: 'The distribution uses the default *.cloudfront.net certificate, whose minimum TLS version cannot be set; a custom domain with an ACM certificate (TLSv1.2_2021) is a deployment choice left to the operator',
    });

    const webDist = props.webDist ?? WEB_DIST;
    if (existsSync(path.join(webDist, 'index.html'))) {
      const config = `window.SAUTI_CONFIG = ${JSON.stringify(props.config ?? {})};\n`;
      this.deployment = new BucketDeployment(this, 'Deploy', {
        // The bundle, then /config.js with this deployment's values over the bundle's empty one.
        sources: [Source.asset(webDist), Source.data('config.js', config)],
        destinationBucket: this.bucket,
        // A deploy is visible at once: the cached copies of the old bundle are dropped.
        distribution: this.distribution,
        distributionPaths: ['/*'],
        memoryLimit: 256,
      });
      this.acknowledgeDeploymentHandler(this.deployment);
    }

    this.url = `https://${this.distribution.distributionDomainName}`;
    new CfnOutput(this, 'ConsoleUrl', { value: this.url, description: 'The web console (its API under /api/v1 on the same origin)' });
  }

  /**
   * BucketDeployment runs a Lambda of the CDK's own (a custom resource, run at deploy time
   * only) whose runtime, managed policy and S3 wildcards are not ours to set.
   */
  private acknowledgeDeploymentHandler(deployment: BucketDeployment): void {
    const role = deployment.handlerRole;
    const stack = Stack.of(this);
    Validations.of(role.node.defaultChild ?? role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "The CDK's BucketDeployment custom resource role uses AWSLambdaBasicExecutionRole (its own logs only); it runs at deploy time, never on a request",
    });
    // Each wildcard finding by name, so that a new one (another bucket, another action) is reported.
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    const wildcards = [
      'Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*', 'Action::s3:Abort*', 'Action::s3:DeleteObject*',
      `Resource::<${bucketId}.Arn>/*`,
      `Resource::arn:<AWS::Partition>:s3:::cdk-${stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>/*`,
      // cloudfront:CreateInvalidation and GetInvalidation, which do not take a resource.
      'Resource::*',
    ];
    // The role sits in the handler function (a singleton at the stack's root); its CfnFunction is `Resource`.
    const fn = role.node.scope?.node.tryFindChild('Resource');
    if (fn) {
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason: "The runtime of the CDK's BucketDeployment custom resource is chosen by aws-cdk-lib and moves with its upgrades; it runs at deploy time only",
      });
    }
    const policy = role.node.tryFindChild('DefaultPolicy');
    for (const w of wildcards) {
      Validations.of(policy?.node.defaultChild ?? policy ?? role).acknowledge({
        id: `AwsSolutions-IAM5[${w}]`,
        reason: "The CDK's BucketDeployment copies the bundle from the CDK asset bucket into the console bucket (object wildcards on those two only) and invalidates this distribution's cache; granted by the construct, used at deploy time only",
      });
    }
  }
}
