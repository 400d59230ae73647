import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb.js';
import { atBody, dialHttp, isAlive, killAll, startStack, stopStack, until } from '../support/stack.js';
import { enrolmentInputs, texts } from '../support/ussd.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sauti-e2e-'));

afterAll(() => {
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('serves the enrolment over HTTP, stops cleanly and keeps its data across a restart', async () => {
    const port = await freePort();
    const stack = await startStack(dataDir, port);
    const dial = (sessionId: string, text: string, token?: string) => dialHttp(stack, { sessionId, phoneNumber: '+254714000001', text }, token);
    expect(stack.output()).toContain(`curl -s http://127.0.0.1:${port}/at/e2e-token/ussd`);
    expect(stack.output()).toContain('36 participants (just seeded)');

    expect(await (await fetch(`${stack.base}/health`)).json()).toEqual({ status: 'ok' });
    const first = await dial('ATUid_e2e1', '');
    expect(first).toEqual({ status: 200, type: 'text/plain; charset=utf-8', body: expect.stringMatching(/^CON Welcome to Sauti/) });
    expect((await dial('ATUid_e2e1', '', 'wrong')).status).toBe(404);
    expect((await dial('ATUid_e2e1', '5')).body).toMatch(/^CON Please reply with one of the numbers shown/);

    const all = texts(enrolmentInputs(1, ['2', '1', '33']));
    let last = '';
    for (const text of all.slice(1)) last = (await dial('ATUid_e2e1', text)).body;
    expect(last).toMatch(/^END Thank you, you have joined Sauti/);
    // Africa's Talking resends the last request: same answer, no second enrolment.
    expect((await dial('ATUid_e2e1', all.at(-1) as string)).body).toBe(last);
    expect((await dial('ATUid_e2e2', '')).body).toMatch(/^CON Sauti\n1\. This week's diary/);

    const sms = await fetch(`${stack.base}/at/e2e-token/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: atBody({ id: 'ATXid_e2e', from: '+254714000001', to: '12345', text: 'hello', date: '2026-11-23 09:00:00', linkId: '', networkCode: '63902' }),
    });
    expect(sms.status).toBe(200);

    const javaPid = Number(readFileSync(join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));
    expect(isAlive(javaPid)).toBe(true);
    await stopStack(stack);
    await until(() => !isAlive(javaPid), 'DynamoDB Local to exit');
    expect(stack.output()).not.toMatch(/error|exception/i);

    const again = await startStack(dataDir, port);
    // 36 seeded plus the number enrolled above: the data survived the stop.
    expect(again.output()).toContain('37 participants.');
    expect(again.output()).not.toContain('just seeded');
    expect((await dialHttp(again, { sessionId: 'ATUid_e2e3', phoneNumber: '+254714000001', text: '' })).body).toMatch(/^CON Sauti\n1\. This week's diary/);
    const javaPid2 = Number(readFileSync(join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));
    await stopStack(again, 'ctrl-c');
    await until(() => !isAlive(javaPid2), 'DynamoDB Local to exit after Ctrl-C');
  });
});
