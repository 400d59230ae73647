import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { smsText } from '../../functions/core/sms/text.js';
import { atBody, dialHttp, killAll, type Stack, startStack, stopStack } from '../support/stack.js';

/**
 * The issue's "tried as a new user would": `npm start` with the fast-forward clock, then only
 * HTTP: prompts arrive in the outbox at the local hour, STOP is honoured, an SMS diary reply
 * lands in that week's diary, and a campaign preview shows counts, segments and cost.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'sauti-e2e-sms-'));

afterAll(() => {
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

interface OutboxEntry {
  to: string;
  text: string;
  at: string;
  from?: string;
}

const api = async (stack: Stack, path: string, token: string, body?: unknown) => {
  const res = await fetch(`${stack.base}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const outbox = async (stack: Stack, study: string, phone?: string) =>
  (await api(stack, `/studies/${study}/outbox?limit=500${phone ? `&phone=${encodeURIComponent(phone)}` : ''}`, 'local-admin')).body.messages as OutboxEntry[];
const sms = (stack: Stack, id: string, from: string, text: string) =>
  fetch(`${stack.base}/at/${stack.token}/sms`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: atBody({ id, from, to: '20880', text, date: '2026-11-27' }) });

/** Polls until the condition holds (the stack works at its own pace, slower on a busy machine). */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 120_000): Promise<T> {
  const deadline = performance.now() + ms;
  let value = await read();
  while (!ok(value) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    value = await read();
  }
  return value;
}

describe('npm start -- --clock … --speed …', () => {
  it('sends the week\'s prompts to the outbox, honours STOP, files an SMS diary and previews a campaign', async () => {
    // Friday 17:00 in Nairobi (20:00 in Dhaka, an hour before its quiet hours), 300× faster: a dispatcher tick every 3 s.
    const stack = await startStack(dataDir, undefined, ['--clock', '2026-11-27T17:00:00+03:00', '--speed', '300']);
    expect(stack.output()).toContain('the dispatcher runs every 3 s (clock from 2026-11-27T17:00:00+03:00 at 300×)');
    try {
      // Dhaka's 18:00 prompt is already due (and 21:00 quiet hours not yet come); Nairobi's after 18:00.
      const kenya = await eventually(() => outbox(stack, 'athi-river-2026'), (m) => m.length >= 36);
      expect(new Set(kenya.map((m) => m.to)).size).toBe(36);
      const dhaka = await outbox(stack, 'dhaka-2026');
      expect(new Set(dhaka.map((m) => m.to)).size).toBe(36);
      // The sender re-checks quiet hours: nothing reached Dhaka at or after 21:00 there (15:00 UTC).
      for (const m of dhaka) expect(m.at < '2026-11-27T15:00:00.000Z').toBe(true);
      // In each participant's language; Kenyan prompts at or after 18:00 Nairobi (15:00 UTC).
      const first = kenya.find((m) => m.to === '+254700000001');
      expect(first?.text).toBe(smsText(content, 'prompt', 'sw', { code: '*384*123#' }));
      for (const m of kenya) expect(m.at >= '2026-11-27T15:00:00.000Z').toBe(true);
      // Dhaka (SSL Wireless, no credentials here: the outbox) is one-way: its prompt points to USSD only.
      expect(dhaka.find((m) => m.to === '+8801700000003')?.text).toBe(smsText(content, 'promptOneWay', 'en', { code: '*384*880#' }));

      // STOP: one confirmation, in the participant's language, from the short code.
      expect((await sms(stack, 'e2e-sms-1', '+254700000002', 'Simama')).status).toBe(200);
      expect((await sms(stack, 'e2e-sms-1', '+254700000002', 'Simama')).status).toBe(200); // AT resends
      const mine = await eventually(() => outbox(stack, 'athi-river-2026', '+254700000002'), (m) => m.length >= 2);
      expect(mine.map((m) => m.text)).toEqual([smsText(content, 'stopConfirmation', 'sw', {}), smsText(content, 'prompt', 'sw', { code: '*384*123#' })]);
      expect(mine[0]?.from).toBe('20880');

      // A diary by SMS, then the USSD diary offers to continue from it.
      expect((await sms(stack, 'e2e-sms-2', '+254700000005', 'd 8,000 m 200 500')).status).toBe(200);
      const thanked = await eventually(() => outbox(stack, 'athi-river-2026', '+254700000005'), (m) => m.length >= 2);
      expect(thanked[0]?.text).toBe(smsText(content, 'diaryReceived', 'sw', {}));
      await dialHttp(stack, { sessionId: 'e2e-sms-ussd', phoneNumber: '+254700000005', text: '' });
      const diary = (await dialHttp(stack, { sessionId: 'e2e-sms-ussd', phoneNumber: '+254700000005', text: '1' })).body;
      expect(diary.startsWith(`CON ${content.strings.sw?.diaryResume}`)).toBe(true);
      const summary = await api(stack, '/studies/athi-river-2026/campaigns/preview', 'local-ngo', {
        name: 'Fees first', modules: ['cashing_out'], targetArms: ['treatment'], startsOn: '2026-11-30', day: 3, hour: 18, channel: 'sms',
      });
      expect(summary.status).toBe(200);
      const preview = summary.body.preview as { currency: string; weeks: { recipients: number; segments: number; cost: number }[]; totals: { cost: number } };
      expect(preview.currency).toBe('KES');
      expect(preview.weeks).toHaveLength(content.modules?.find((m) => m.id === 'cashing_out')?.lessons.length ?? -1);
      // 18 treatment participants; the one who stopped is not counted.
      expect(preview.weeks[0]?.recipients).toBe(17);
      expect(preview.weeks[0]?.segments).toBeGreaterThan(17);
      expect(preview.totals.cost).toBeCloseTo(preview.weeks.reduce((n, w) => n + w.cost, 0), 6);
      // NGO staff may not read the outbox (phone numbers).
      expect((await api(stack, '/studies/athi-river-2026/outbox', 'local-ngo')).status).toBe(403);
    } finally {
      await stopStack(stack);
    }
  });
});
