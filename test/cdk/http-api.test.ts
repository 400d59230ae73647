/**
 * The admin users (infra/constructs/auth.ts) and the HTTP API (http-api.ts): Cognito, the exact route
 * table of infra/routes.ts, the JWT authorizer and the throttled, logged stage.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TOKEN_MINUTES } from '../../infra/constructs/auth.js';
import { ROUTE_THROTTLES } from '../../infra/constructs/http-api.js';
import { routes } from '../../infra/routes.js';
import { type Json, app, stack, template, resources, fnIds, callbacksId, userPoolId, clientId, ofType } from './sauti-template.js';

describe('admin users (Cognito)', () => {
  const pool = (): Json => resources[userPoolId]!;

  it('are created by an admin only, with a strong password policy and MFA required', () => {
    expect(pool().Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: { RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true } },
    });
    expect(pool().Properties.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
  });

  it('are retained with the pool when the stack is deleted', () => {
    expect(pool()).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { DeletionProtection: 'ACTIVE' } });
  });

  it('belong to the groups researcher, ngo, admin, enumerator and provider', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties as Json);
    expect(groups.map((g) => g.GroupName).sort()).toEqual(['admin', 'enumerator', 'ngo', 'provider', 'researcher']);
    for (const g of groups) expect(g.UserPoolId).toEqual({ Ref: userPoolId });
  });

  it('sign in through one public app client (no secret)', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    expect(resources[clientId]!.Properties).toMatchObject({ GenerateSecret: false, UserPoolId: { Ref: userPoolId } });
    expect(resources[clientId]!.Properties.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });

  it('issue ID and access tokens for 15 minutes, so a token signed before a disable or demotion dies soon', () => {
    expect(TOKEN_MINUTES).toBe(15);
    expect(resources[clientId]!.Properties).toMatchObject({ IdTokenValidity: 15, AccessTokenValidity: 15, TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes' } });
  });

  it('cannot change their own email (the audit label and sign-in name): the client writes no email', () => {
    const writable = resources[clientId]!.Properties.WriteAttributes as string[] | undefined;
    // Absent, Cognito lets users write every mutable attribute, email included.
    expect(writable).toBeDefined();
    expect(writable!.length).toBeGreaterThan(0);
    expect(writable).not.toContain('email');
    expect(writable).not.toContain('email_verified');
  });
});

describe('HTTP API', () => {
  const routeResources = ofType('AWS::ApiGatewayV2::Route');

  it('has exactly the routes of infra/routes.ts', () => {
    const keys = routeResources.map(([, r]) => r.Properties.RouteKey as string);
    expect(keys.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('has one JWT authorizer: the Cognito user pool, for the app client', () => {
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const props = authorizers[0]![1].Properties as Json;
    expect(props).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    expect(props.JwtConfiguration.Audience).toEqual([{ Ref: clientId }]);
    expect(JSON.stringify(props.JwtConfiguration.Issuer)).toContain(userPoolId);
  });

  it('puts the authorizer on exactly the routes with auth: jwt (/api/v1), none on /at/, /hooks/ and /health', () => {
    const [[authorizerId]] = ofType('AWS::ApiGatewayV2::Authorizer') as [[string, Json]];
    const byKey = new Map(routeResources.map(([, r]) => [r.Properties.RouteKey as string, r.Properties as Json]));
    expect(routes.filter((r) => r.auth === 'jwt').length).toBeGreaterThan(0);
    for (const route of routes) {
      const r = byKey.get(`${route.method} ${route.path}`)!;
      if (route.auth === 'jwt') {
        expect(route.path.startsWith('/api/v1/'), route.path).toBe(true);
        expect(r.AuthorizationType, route.path).toBe('JWT');
        expect(r.AuthorizerId, route.path).toEqual({ Ref: authorizerId });
      } else {
        expect(route.path.startsWith('/at/') || route.path.startsWith('/hooks/') || route.path === '/health', route.path).toBe(true);
        expect(r.AuthorizationType, route.path).toBe('NONE');
        expect(r.AuthorizerId, route.path).toBeUndefined();
      }
    }
  });

  it('sends each route to the Lambda named in infra/routes.ts (health to atCallbacks)', () => {
    const fnOfRoute = new Map(
      routeResources.map(([, r]) => {
        const integrationId = (r.Properties.Target['Fn::Join'][1] as Json[])[1]!.Ref as string;
        return [r.Properties.RouteKey as string, resources[integrationId]!.Properties.IntegrationUri['Fn::GetAtt'][0]];
      }),
    );
    for (const route of routes) {
      const want = route.lambda === 'health' ? callbacksId : fnIds[route.lambda];
      expect(fnOfRoute.get(`${route.method} ${route.path}`), route.path).toBe(want);
    }
  });

  it('has a throttled, auto-deployed $default stage whose access log never records the token', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
    const format = stage.Properties.AccessLogSettings.Format as string;
    expect(format).toContain('$context.requestId');
    expect(format).toContain('$context.routeKey');
    // $context.path is /at/<the real token>/...: it must not reach the logs.
    expect(format).not.toMatch(/\$context\.(path|rawPath)|\$context\.resourcePath/);
  });

  it('throttles every route on its own, the admin API and /health far below the callbacks, so junk there cannot use up the callbacks\' budget', () => {
    const [stageId, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
    const settings = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    const of = (prefix: string) => Object.entries(settings).filter(([key]) => key.split(' ')[1]!.startsWith(prefix)).map(([, v]) => v);
    const ussd = settings['POST /at/{token}/ussd']!;
    expect(ussd).toEqual({ ThrottlingRateLimit: ROUTE_THROTTLES.callbacks.rateLimit, ThrottlingBurstLimit: ROUTE_THROTTLES.callbacks.burstLimit });
    for (const s of [...of('/at/'), ...of('/hooks/')]) expect(s).toEqual(ussd);
    for (const [prefix, want] of [['/api/', ROUTE_THROTTLES.api], ['/health', ROUTE_THROTTLES.health]] as const) {
      expect(of(prefix).length, prefix).toBeGreaterThan(0);
      for (const s of of(prefix)) {
        expect(s, prefix).toEqual({ ThrottlingRateLimit: want.rateLimit, ThrottlingBurstLimit: want.burstLimit });
        expect(s.ThrottlingRateLimit, prefix).toBeLessThan(ussd.ThrottlingRateLimit);
        expect(s.ThrottlingBurstLimit, prefix).toBeLessThan(ussd.ThrottlingBurstLimit);
      }
    }
    // Route settings name route keys: the stage must come after the routes.
    const dependsOn = new Set(resources[stageId]!.DependsOn as string[]);
    for (const [id] of routeResources) expect(dependsOn.has(id), id).toBe(true);
  });
});
