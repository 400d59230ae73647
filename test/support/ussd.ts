import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { content } from '../../content/index.js';
import type { UssdRequest } from '../../functions/core/ussd/service.js';
import { systemClock } from '../../functions/core/ports/index.js';

/** The form body exactly as Africa's Talking posts it (application/x-www-form-urlencoded). */
export function atForm(req: UssdRequest): string {
  return new URLSearchParams({ networkCode: '63902', ...req }).toString();
}

/** An API Gateway HTTP API (v2) event for a USSD callback; HTTP APIs base64-encode form bodies. */
export function ussdEvent(req: UssdRequest, token = 'test-token', at = systemClock.now()): APIGatewayProxyEventV2 {
  const body = Buffer.from(atForm(req)).toString('base64');
  return {
    version: '2.0',
    routeKey: 'POST /at/{token}/ussd',
    rawPath: `/at/${token}/ussd`,
    rawQueryString: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    pathParameters: { token },
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'POST', path: `/at/${token}/ussd`, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req',
      routeKey: 'POST /at/{token}/ussd',
      stage: '$default',
      time: at.toUTCString(),
      timeEpoch: at.getTime(),
    },
    body,
    isBase64Encoded: true,
  };
}

/**
 * The inputs of a complete enrolment, derived from the content (so a new consent page
 * does not break the tests): language, "more" through the consent, agree, then answers.
 */
export function enrolmentInputs(langIndex = 1, answers: string[] = ['3', '1', '30']): string[] {
  const lang = content.languages[langIndex - 1] as string;
  const pages = content.consent.pages[lang]?.length ?? 1;
  return [String(langIndex), ...Array.from({ length: pages - 1 }, () => '98'), '1', ...answers];
}

/** The successive `text` values Africa's Talking sends for a list of inputs: "", "1", "1*98", … */
export function texts(inputs: readonly string[]): string[] {
  return [''].concat(inputs.map((_, i) => inputs.slice(0, i + 1).join('*')));
}
