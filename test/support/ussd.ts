import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { content } from '../../content/index.js';
import { atCallbackEvent } from '../../infra/local/event.js';
import { MORE } from '../../functions/core/ussd/navigation.js';
import type { UssdRequest } from '../../functions/core/ussd/service.js';
import { systemClock } from '../../functions/core/ports/index.js';

/** The form body exactly as Africa's Talking posts it (application/x-www-form-urlencoded). */
export function atForm(req: UssdRequest): string {
  return new URLSearchParams({ networkCode: '63902', ...req }).toString();
}

/** An API Gateway HTTP API (v2) event for a USSD callback; HTTP APIs base64-encode form bodies. */
export function ussdEvent(req: UssdRequest, token = 'test-token', at = systemClock.now()): APIGatewayProxyEventV2 {
  return atCallbackEvent(token, '/ussd', atForm(req), at, { source: 'test', requestId: 'req' });
}

/** The event of another AT callback (`/sms`, `/sms/delivery`, `/ussd/events`) with these form fields. */
export function callbackEvent(suffix: string, fields: Record<string, string>, token = 'test-token', more: CallbackExtras = {}): APIGatewayProxyEventV2 {
  return atCallbackEvent(token, suffix, new URLSearchParams(fields).toString(), systemClock.now(), { source: 'test', requestId: 'req', ...more });
}
type CallbackExtras = Parameters<typeof atCallbackEvent>[4];

/**
 * The inputs of a complete enrolment, derived from the content (so a new consent page
 * does not break the tests): language, "more" through the consent, agree, then answers.
 */
export function enrolmentInputs(langIndex = 1, answers: string[] = ['3', '1', '30']): string[] {
  const lang = content.languages[langIndex - 1] as string;
  const pages = content.consent.pages[lang]?.length ?? 1;
  return [String(langIndex), ...Array.from({ length: pages - 1 }, () => MORE), '1', ...answers];
}

/** The successive `text` values Africa's Talking sends for a list of inputs: "", "1", "1*98", … */
export function texts(inputs: readonly string[]): string[] {
  return [''].concat(inputs.map((_, i) => inputs.slice(0, i + 1).join('*')));
}
