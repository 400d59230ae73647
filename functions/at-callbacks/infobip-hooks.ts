/**
 * Infobip's webhooks, `/hooks/{token}/infobip/reports` (delivery reports) and
 * `/hooks/{token}/infobip/inbound` (incoming SMS, where the route is two-way). Both post JSON
 * `{results: [...]}`, possibly several at once. The path token is checked by the caller as
 * for Africa's Talking; each result is stored once (Infobip resends until it gets a 2xx) and
 * then acted on: a report moves its message forward only, once per status, and a do-not-disturb
 * or blocked refusal opts the number out; an incoming SMS takes the same path as one from AT.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { textResponse } from '../adapters/apigw.js';
import { isOptOut, reportStatus } from '../adapters/infobip/status.js';
import type { CallbackStore, Logger, MessageStore } from '../core/ports/index.js';

const report = z.object({
  messageId: z.string().check(z.minLength(1)),
  to: z.optional(z.string()),
  doneAt: z.optional(z.string()),
  status: z.object({ groupId: z.number(), groupName: z.optional(z.string()), id: z.optional(z.number()), name: z.optional(z.string()), description: z.optional(z.string()) }),
  error: z.optional(z.nullable(z.object({ name: z.optional(z.string()), description: z.optional(z.string()) }))),
});
const inbound = z.object({
  messageId: z.string().check(z.minLength(1)),
  from: z.string().check(z.minLength(1)),
  to: z.string().check(z.minLength(1)),
  text: z.optional(z.string()),
  cleanText: z.optional(z.string()),
  receivedAt: z.optional(z.string()),
});
const bodies = { reports: z.object({ results: z.array(report) }), inbound: z.object({ results: z.array(inbound) }) };

export interface InfobipHookDeps {
  store: CallbackStore;
  messages: Pick<MessageStore, 'report' | 'byProviderId'>;
  /** The shared handling of an incoming SMS (fields as Africa's Talking names them). */
  incomingSms(fields: Record<string, string>, id: string): Promise<void>;
  /** Withdraws the number's participant of this study (core/sms/opt-out.ts). */
  optOut(key: { studyId: string; phone: string }, at: string): Promise<void>;
  log: Logger;
  now(): string;
}

export async function infobipHook(kind: 'reports' | 'inbound', event: APIGatewayProxyEventV2, deps: InfobipHookDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return textResponse(400, 'Expected JSON {"results": [...]}');
  }
  if (kind === 'reports') {
    const parsed = bodies.reports.safeParse(json);
    if (!parsed.success) return textResponse(400, 'Expected {"results": [{messageId, status{groupId}}]}');
    for (const r of parsed.data.results) await deliveryReport(r, deps);
  } else {
    const parsed = bodies.inbound.safeParse(json);
    if (!parsed.success) return textResponse(400, 'Expected {"results": [{messageId, from, to, text}]}');
    for (const m of parsed.data.results) await incoming(m, deps);
  }
  return textResponse(200, 'OK');
}

async function deliveryReport(r: z.infer<typeof report>, deps: InfobipHookDeps): Promise<void> {
  const at = deps.now();
  const statusName = r.status.name ?? `group-${r.status.groupId}`;
  const fields: Record<string, string> = { messageId: r.messageId, groupId: String(r.status.groupId), status: statusName, ...(r.to ? { to: r.to } : {}), ...(r.error?.name ? { error: r.error.name } : {}), ...(r.doneAt ? { doneAt: r.doneAt } : {}) };
  const fresh = await deps.store.saveOnce({ kind: 'infobip-report', id: `${r.messageId}#${statusName}`, fields, receivedAt: at });
  const status = reportStatus(r.status);
  if (!status) {
    deps.log.warn('infobip report with an unknown status group', { groupId: r.status.groupId });
    return;
  }
  const reason = r.status.groupId === 3 || r.status.groupId === 1 ? undefined : statusName;
  const applied = await deps.messages.report(r.messageId, status, reason, at);
  deps.log.info('delivery report', { provider: 'infobip', status, applied, duplicate: !fresh });
  if (applied && isOptOut(r.status)) {
    const m = await deps.messages.byProviderId(r.messageId);
    if (m?.phone) await deps.optOut({ studyId: m.studyId, phone: m.phone }, at);
  }
}

async function incoming(m: z.infer<typeof inbound>, deps: InfobipHookDeps): Promise<void> {
  const at = deps.now();
  // Infobip writes numbers without '+'; the rest of Sauti speaks E.164.
  const fields = { id: m.messageId, from: m.from.startsWith('+') ? m.from : `+${m.from}`, to: m.to, text: m.text ?? m.cleanText ?? '', date: m.receivedAt ?? at };
  const fresh = await deps.store.saveOnce({ kind: 'sms-inbound', id: m.messageId, fields, receivedAt: at });
  if (fresh || !(await deps.store.processed('sms-inbound', m.messageId))) {
    await deps.incomingSms(fields, m.messageId);
    await deps.store.markProcessed('sms-inbound', m.messageId, at);
  }
}
