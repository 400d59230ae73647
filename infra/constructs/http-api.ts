/**
 * The HTTP API with exactly the routes of infra/routes.ts on a logged $default stage with a
 * throttle per route (ROUTE_THROTTLES); the admin API's routes behind the Cognito JWT authorizer. Made in the stack's scope
 * (see Data), so the routes and their permissions keep their logical ids.
 */
import { type Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type CfnStage, HttpApi, HttpMethod, type HttpRoute, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type LambdaName, type Route, routes } from '../routes.js';
import type { Auth } from './auth.js';

/**
 * Requests per second (steady, burst) per route, by who calls it. Each route has its own
 * bucket, so junk sent to the admin API or to /health runs out of its own budget and never
 * the callbacks'. Callbacks: far above Africa's Talking's traffic for a study (a campaign's
 * delivery reports come in bursts), low enough to cap cost if a URL leaks. The admin API: a
 * handful of staff whose console pages make a few calls each. Health: a probe a minute.
 */
export const ROUTE_THROTTLES = {
  callbacks: { rateLimit: 100, burstLimit: 200 },
  api: { rateLimit: 20, burstLimit: 40 },
  health: { rateLimit: 2, burstLimit: 5 },
} as const;

export const throttleClassOf = (route: Pick<Route, 'path'>): keyof typeof ROUTE_THROTTLES =>
  route.path.startsWith('/api/') ? 'api' : route.path === '/health' ? 'health' : 'callbacks';

export function httpApi(stack: Stack, functions: Record<LambdaName, IFunction>, auth: Auth): HttpApi {
  const api = new HttpApi(stack, 'Api', {
    description: "Sauti: Africa's Talking callbacks and the admin API",
    // The default stage of HttpApi takes no logging or throttling options; we add our own.
    createDefaultStage: false,
  });

  const accessLogs = new LogGroup(stack, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
  const stage = new HttpStage(stack, 'DefaultStage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    // For a route without its own throttle (every route has one: ROUTE_THROTTLES).
    throttle: ROUTE_THROTTLES.callbacks,
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
          // Who called the admin API (empty on the callbacks): the Cognito user id, not an email.
          user: '$context.authorizer.claims.sub',
          authorizerError: '$context.authorizer.error',
        }),
      ),
    },
  });

  // API Gateway checks the Cognito JWT (signature, expiry, issuer, audience = the app client)
  // before the API Lambda runs; the Lambda then checks the role in `cognito:groups`.
  const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', auth.userPool, {
    userPoolClients: [auth.userPoolClient],
  });

  const integrations: Record<LambdaName, HttpLambdaIntegration> = {
    ussd: new HttpLambdaIntegration('UssdIntegration', functions.ussd),
    atCallbacks: new HttpLambdaIntegration('AtCallbacksIntegration', functions.atCallbacks),
    api: new HttpLambdaIntegration('AdminApiIntegration', functions.api),
    voice: new HttpLambdaIntegration('VoiceIntegration', functions.voice),
  };
  const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
  const added: HttpRoute[] = [];
  for (const route of routes) {
    const { rateLimit, burstLimit } = ROUTE_THROTTLES[throttleClassOf(route)];
    routeSettings[`${route.method} ${route.path}`] = { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit };
    // /health is answered by the callbacks Lambda: no extra function to deploy or keep warm.
    const target: LambdaName = route.lambda === 'health' ? 'atCallbacks' : route.lambda;
    const these = api.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration: integrations[target],
      ...(route.auth === 'jwt' ? { authorizer } : {}),
    });
    added.push(...these);
    if (route.auth === 'jwt') continue;
    for (const r of these) {
      // On the AWS::ApiGatewayV2::Route only, not on the integration and permission below it.
      Validations.of(r.node.defaultChild ?? r).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: route.path.includes('{token}')
          ? "Africa's Talking cannot send auth headers; the route is authenticated by the unguessable {token} path segment checked inside the Lambda"
          : 'Public liveness probe: answers ok and reads or returns no data',
      });
    }
  }
  // A route setting names a route key that must exist when the stage is updated.
  (stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
  for (const r of added) stage.node.addDependency(r);
  return api;
}
