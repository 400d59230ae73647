/**
 * The HTTP API with exactly the routes of infra/routes.ts on a throttled, logged $default
 * stage; the admin API's routes behind the Cognito JWT authorizer. Made in the stack's scope
 * (see Data), so the routes and their permissions keep their logical ids.
 */
import { type Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type LambdaName, routes } from '../routes.js';
import type { Auth } from './auth.js';

export function httpApi(stack: Stack, functions: Record<LambdaName, IFunction>, auth: Auth): HttpApi {
  const api = new HttpApi(stack, 'Api', {
    description: "Sauti: Africa's Talking callbacks and the admin API",
    // The default stage of HttpApi takes no logging or throttling options; we add our own.
    createDefaultStage: false,
  });

  const accessLogs = new LogGroup(stack, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
  new HttpStage(stack, 'DefaultStage', {
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
  for (const route of routes) {
    // /health is answered by the callbacks Lambda: no extra function to deploy or keep warm.
    const target: LambdaName = route.lambda === 'health' ? 'atCallbacks' : route.lambda;
    const added = api.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration: integrations[target],
      ...(route.auth === 'jwt' ? { authorizer } : {}),
    });
    if (route.auth === 'jwt') continue;
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
