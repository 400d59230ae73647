/**
 * JSON over HTTP for the provider clients (SSL Wireless, Infobip): one request with a deadline
 * over the whole exchange, and an answer that never throws for what a provider may do (time
 * out, hang up, answer HTML). Errors are reduced to reasons without the request: a request
 * carries phone numbers and keys, and reasons end up in logs and message records.
 */
export type HttpAnswer =
  | { kind: 'answer'; status: number; json: unknown; text: string }
  | { kind: 'no-answer'; reason: string };

export interface HttpOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
}

export function postJson(url: string, body: unknown, options: HttpOptions): Promise<HttpAnswer> {
  return exchange(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...options.headers }, body: JSON.stringify(body) }, options.timeoutMs);
}

/** A GET whose answer is JSON (a provider's look-up, e.g. Infobip's message logs). */
export function getJson(url: string, options: HttpOptions): Promise<HttpAnswer> {
  return exchange(url, { method: 'GET', headers: { ...options.headers } }, options.timeoutMs);
}

async function exchange(url: string, init: RequestInit, timeoutMs: number): Promise<HttpAnswer> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    text = await res.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'no-answer', reason: `timeout after ${timeoutMs} ms` };
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    return { kind: 'no-answer', reason: typeof cause === 'string' ? cause : 'network error' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { kind: 'answer', status: res.status, json, text };
}

/** A provider's error text, short and without phone numbers (some echo them). */
export function scrubbed(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
  return text.replace(/\+?\d[\d\s-]{5,}\d/g, '<number>').slice(0, 200);
}
