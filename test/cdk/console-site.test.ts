/**
 * The web console's hosting (infra/constructs/console-site.ts), in the Sauti stack as deployed: a private
 * bucket read by CloudFront through Origin Access Control only, app routes answered with
 * index.html, security headers, `/api/*` forwarded uncached to the stack's own HTTP API with
 * the Authorization header, the bundle uploaded only when it was built, the console URL as an
 * output, and a clean cdk-nag report with only the acknowledgements that cannot be fixed.
 *
 * Bundling of the Lambdas is skipped (as in sauti-template.ts); the console bundle is a folder
 * asset, staged without bundling, so a temporary `dist` stands in for `npm run build`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ConsoleSite } from '../../infra/constructs/console-site.js';
import { SautiStack } from '../../infra/stack.js';

type Json = Record<string, any>;

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as Json;
const context = { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] };

/** A built console: an index.html and a script, in a folder of its own. */
const builtDist = (() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sauti-web-dist-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Sauti</title><script src="/app.js"></script>');
  writeFileSync(path.join(dir, 'app.js'), 'console.log(1)');
  return dir;
})();
const emptyDist = mkdtempSync(path.join(tmpdir(), 'sauti-web-none-'));

const app = new App({ context });
const stack = new SautiStack(app, 'Sauti');
new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true });
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Json>;
const site = stack.consoleSite;
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const siteBucketId = id(site.bucket);
const cdnLogsId = id(site.logBucket);
const distributionId = id(site.distribution);
const apiId = id(stack.api);
const logsBucketId = id(stack.exportsLogBucket);
const ofType = (type: string): [string, Json][] => Object.entries(resources).filter(([, r]) => r.Type === type);
const config = () => resources[distributionId]!.Properties.DistributionConfig as Json;

/** A stack with only the console site and an API, from a given dist folder. */
function siteAlone(webDist: string): { stack: Stack; site: ConsoleSite; template: Template } {
  const a = new App({ context });
  const s = new Stack(a, 'Alone');
  const api = new HttpApi(s, 'Api');
  // A deploy-time value in the config, as the stack's user pool ids are.
  const siteAlone = new ConsoleSite(s, 'ConsoleSite', { api, accessLogs: new Bucket(s, 'Logs'), config: { apiBase: '/api/v1', apiId: api.apiId }, webDist });
  return { stack: s, site: siteAlone, template: Template.fromStack(s) };
}

describe('the console bucket', () => {
  const bucket = () => resources[siteBucketId]!.Properties as Json;
  const policy = () => ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === siteBucketId)?.[1].Properties.PolicyDocument.Statement as Json[];

  it('is private, encrypted, owner-enforced, and logs its access to the stack log bucket', () => {
    expect(bucket().PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket().BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    expect(bucket().OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket().LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logsBucketId }, LogFilePrefix: 'console-site/' });
    expect(bucket().WebsiteConfiguration).toBeUndefined();
  });

  it('refuses requests without TLS, and lets only this distribution read it (OAC)', () => {
    expect(policy()).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allows = policy().filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' });
    expect(JSON.stringify(allows[0]!.Condition)).toContain(distributionId);
    const [[, oac]] = ofType('AWS::CloudFront::OriginAccessControl') as [[string, Json]];
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    expect(ofType('AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual([]);
  });

  it('and the CDN log bucket (ACLs kept for CloudFront logging) are retained, TLS-only and logged', () => {
    const logs = resources[cdnLogsId]!.Properties as Json;
    expect(logs.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] });
    expect(logs.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(logs.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logsBucketId }, LogFilePrefix: 'console-cdn-logs/' });
    for (const b of [siteBucketId, cdnLogsId]) expect(resources[b]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('the distribution', () => {
  const origins = () => config().Origins as Json[];
  const originOf = (behaviour: Json) => origins().find((o) => o.Id === behaviour.TargetOriginId) as Json;

  it('serves index.html at the root, over HTTPS, with access logs', () => {
    expect(config()).toMatchObject({ DefaultRootObject: 'index.html', Enabled: true, Logging: { Bucket: { 'Fn::GetAtt': [cdnLogsId, 'RegionalDomainName'] }, Prefix: 'cloudfront/' } });
    expect(config().DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    expect(originOf(config().DefaultCacheBehavior).S3OriginConfig).toBeDefined();
    expect(originOf(config().DefaultCacheBehavior).DomainName).toEqual({ 'Fn::GetAtt': [siteBucketId, 'RegionalDomainName'] });
  });

  it('answers app routes with index.html in a viewer-request function, not with error responses that would also rewrite the API\'s 403 and 404', () => {
    expect(config().CustomErrorResponses).toBeUndefined();
    const [[fnId, fn]] = ofType('AWS::CloudFront::Function') as [[string, Json]];
    expect(config().DefaultCacheBehavior.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } }]);
    // Run the function's own code on a few requests.
    const handler = new Function(`${fn.Properties.FunctionCode as string}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
    const uri = (u: string) => handler({ request: { uri: u } }).uri;
    expect(uri('/studies/kenya/participants')).toBe('/index.html');
    expect(uri('/')).toBe('/index.html');
    expect(uri('/app.js')).toBe('/app.js');
    expect(uri('/assets/logo.svg')).toBe('/assets/logo.svg');
  });

  it('forwards /api/* to the stack\'s HTTP API: every method, never cached, Authorization and query passed on', () => {
    const behaviours = config().CacheBehaviors as Json[];
    expect(behaviours.map((b) => b.PathPattern)).toEqual(['/api/*']);
    const api = behaviours[0]!;
    expect(api).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      ViewerProtocolPolicy: 'https-only',
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader (Authorization included)
    });
    const origin = originOf(api);
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only' });
    expect(JSON.stringify(origin.DomainName)).toContain(`"${apiId}"`);
    expect(JSON.stringify(origin.DomainName)).toContain('ApiEndpoint');
  });

  it('adds security headers to the pages and the API answers', () => {
    const [[policyId, policy]] = ofType('AWS::CloudFront::ResponseHeadersPolicy') as [[string, Json]];
    expect(config().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    expect((config().CacheBehaviors as Json[])[0]!.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    const sec = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig as Json;
    expect(sec.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true, Override: true });
    expect(sec.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(sec.ContentTypeOptions).toEqual({ Override: true });
    expect(sec.ReferrerPolicy).toMatchObject({ ReferrerPolicy: 'no-referrer' });
    const csp = JSON.stringify(sec.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"]) expect(csp).toContain(directive);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('gives the console URL as an output', () => {
    const outputs = template.toJSON().Outputs as Record<string, Json>;
    const [url] = Object.entries(outputs).filter(([k]) => k.startsWith('ConsoleSiteConsoleUrl'));
    expect(url?.[1].Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] });
  });
});

describe('console sign-in', () => {
  it('has a Cognito hosted UI domain, and the console URL as the app client\'s sign-in and sign-out redirect', () => {
    const domains = ofType('AWS::Cognito::UserPoolDomain');
    expect(domains).toHaveLength(1);
    expect(domains[0]![1].Properties.UserPoolId).toEqual({ Ref: id(stack.userPool) });
    const client = resources[id(stack.userPoolClient)]!.Properties as Json;
    const consoleUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']] };
    expect(client.CallbackURLs).toEqual(['http://localhost:8976/callback', consoleUrl]);
    expect(client.LogoutURLs).toEqual(['http://localhost:8976/', consoleUrl]);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
  });
});

describe('the console bundle', () => {
  it('is uploaded with its run-time config and invalidates the cache, when web/dist was built', () => {
    const { stack: s, site: built, template: t } = siteAlone(builtDist);
    expect(built.deployment).toBeDefined();
    const [[, deploy]] = Object.entries(t.toJSON().Resources as Record<string, Json>).filter(([, r]) => r.Type === 'Custom::CDKBucketDeployment') as [[string, Json]];
    expect(deploy.Properties.DestinationBucketName).toEqual({ Ref: s.getLogicalId(built.bucket.node.defaultChild as never) });
    expect(deploy.Properties.DistributionId).toEqual({ Ref: s.getLogicalId(built.distribution.node.defaultChild as never) });
    expect(deploy.Properties.DistributionPaths).toEqual(['/*']);
    expect(deploy.Properties.SourceObjectKeys).toHaveLength(2);
    // /config.js gets the deploy-time value (a marker resolved by the custom resource), not a token's text.
    const apiRef = { Ref: s.getLogicalId((s.node.findChild('Api') as HttpApi).node.defaultChild as never) };
    expect(deploy.Properties.SourceMarkers).toEqual([{}, { '<<marker:0xbaba:0>>': apiRef }]);
  });

  it('is skipped when web/dist was not built, and the site still synthesizes', () => {
    const { site: none, template: t } = siteAlone(emptyDist);
    expect(none.deployment).toBeUndefined();
    t.resourceCountIs('Custom::CDKBucketDeployment', 0);
    t.resourceCountIs('AWS::CloudFront::Distribution', 1);
  });
});

describe('cdk-nag AwsSolutions on the console site', () => {
  it('reports nothing unacknowledged in the stack with the console, built or not', () => {
    for (const s of [stack, siteAlone(builtDist).stack]) {
      const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(s.node.root);
      const found = report.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
      expect(found.filter((f) => f.includes('ConsoleSite') || f.includes('BucketDeployment'))).toEqual([]);
    }
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('acknowledges on the distribution only what a default certificate and no WAF imply, with reasons', () => {
    const rules = ((resources[distributionId]!.Metadata?.cdk_nag?.rules_to_suppress ?? []) as Json[]).map((r) => r.id as string);
    expect(rules.sort()).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR2', 'AwsSolutions-CFR4']);
    for (const b of [siteBucketId, cdnLogsId]) expect(resources[b]!.Metadata?.cdk_nag).toBeUndefined();
  });
});
