import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { smsText } from '../../functions/core/sms/text.js';
import { type FakeSsl, startFakeSslWireless } from '../support/fake-sslwireless-server.js';
import { killAll, startStack, stopStack, until } from '../support/stack.js';

/**
 * The "done when", as a user would: `npm start -- --clock <a Friday 17:55 in Dhaka>
 * --speed 300` with SSLWIRELESS_* pointing at the local fake sends the Dhaka prompts there
 * (8801… numbers, Bangla in UTF-8, one csms_id per message, ≤ 100 a call) while Kenya, without
 * AT credentials, goes to the outbox; a restart and more dispatches send nothing new.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'sauti-e2e-ssl-'));
let ssl: FakeSsl;
const saved = { ...process.env };

beforeAll(async () => {
  ssl = await startFakeSslWireless({ apiToken: 'e2e-ssl-token', sid: 'SAUTIBD' });
  Object.assign(process.env, { SSLWIRELESS_API_TOKEN: 'e2e-ssl-token', SSLWIRELESS_SID: 'SAUTIBD', SSLWIRELESS_BASE_URL: ssl.url });
});
afterAll(async () => {
  killAll();
  for (const k of ['SSLWIRELESS_API_TOKEN', 'SSLWIRELESS_SID', 'SSLWIRELESS_BASE_URL']) delete process.env[k];
  Object.assign(process.env, saved);
  await ssl?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start with SSL Wireless credentials', () => {
  it('sends the Dhaka prompts to SSL Wireless, once, across a restart', async () => {
    const stack = await startStack(dataDir, undefined, ['--clock', '2026-11-27T17:55:00+06:00', '--speed', '300']);
    try {
      expect(stack.output()).toContain('SSL Wireless: the provider');
      await until(() => ssl.delivered.length >= 36, 'the 36 Dhaka prompts at the SSL Wireless fake');
      expect(new Set(ssl.delivered.map((m) => m.msisdn))).toEqual(new Set(Array.from({ length: 36 }, (_, i) => `8801700000${String(i + 1).padStart(3, '0')}`)));
      expect(new Set(ssl.delivered.map((m) => m.csmsId)).size).toBe(36);
      for (const r of ssl.requests) {
        expect(r.path).toMatch(/^\/api\/v3\/send-sms(\/dynamic)?$/);
        expect(r.asked.length).toBeLessThanOrEqual(100);
      }
      const bangla = ssl.delivered.find((m) => m.msisdn === '8801700000001');
      expect(bangla?.text).toBe(smsText(content, 'promptOneWay', 'bn', { code: '*384*880#' }));
    } finally {
      await stopStack(stack);
    }
    const before = ssl.delivered.length;
    const calls = ssl.requests.length;
    const again = await startStack(dataDir, undefined, ['--clock', '2026-11-27T18:30:00+06:00', '--speed', '300']);
    try {
      // Two dispatches on the restarted stack (the API runs one in-process and answers with it).
      for (let i = 0; i < 2; i += 1) {
        const res = await fetch(`${again.base}/api/v1/dispatch`, { method: 'POST', headers: { authorization: 'Bearer local-admin' } });
        const body = (await res.json()) as { dispatch: { studies: Record<string, { created?: number; enqueued?: number }> } };
        expect(body.dispatch.studies['dhaka-2026']).toMatchObject({ created: 0, enqueued: 0 });
      }
      expect(ssl.delivered.length).toBe(before);
      expect(ssl.requests.length).toBe(calls);
    } finally {
      await stopStack(again);
    }
  });
});
