/**
 * The Africa's Talking adapter with the real SDK (africastalking 0.8.3, real axios, real HTTP)
 * against the local fake AT server. Nothing here reaches the internet.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AfricasTalkingSmsGateway } from '../../functions/adapters/africastalking/sms-gateway.js';
import type { RecipientOutcome } from '../../functions/core/ports/sms.js';
import { bundleOptions } from '../../infra/bundling.js';
import { AT_STATUS, DEFAULT_COST, startFakeAt, type FakeAt } from '../support/fake-at-server.js';

const API_KEY = 'test-api-key';
let fake: FakeAt;

beforeAll(async () => {
  fake = await startFakeAt({ apiKey: API_KEY });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** Never 'sandbox': that username switches the whole process to AT's sandbox URLs. */
function gateway(overrides: { apiKey?: string; timeoutMs?: number } = {}): AfricasTalkingSmsGateway {
  return new AfricasTalkingSmsGateway({ username: 'sauti-test', apiKey: API_KEY, baseUrl: fake.url, ...overrides });
}

/** Valid Kenyan mobile numbers (Safaricom 0711…), E.164. */
function kenyan(i: number): string {
  return `+25471100${String(i).padStart(4, '0')}`;
}

describe('AfricasTalkingSmsGateway against the fake AT server', () => {
  it('sends a batch of many recipients as one bulk request, as the SDK does', async () => {
    const to = Array.from({ length: 50 }, (_, i) => kenyan(i));
    const outcomes = await gateway().sendBulk({ text: 'Your weekly diary is ready: dial *384*7#', from: 'SAUTI', to });

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/version1/messaging',
      contentType: 'application/x-www-form-urlencoded;charset=utf-8',
      apiKey: API_KEY,
      accept: 'application/json',
      username: 'sauti-test',
      message: 'Your weekly diary is ready: dial *384*7#',
      from: 'SAUTI',
      bulkSMSMode: '1',
      enqueue: undefined,
      aborted: false,
    });
    // E.164 with '+' on the wire (form-encoded as %2B), in order.
    expect(request!.to).toEqual(to);

    expect(outcomes.size).toBe(50);
    const ids = new Set<string>();
    for (const phone of to) {
      const outcome = outcomes.get(phone);
      expect(outcome).toMatchObject({ status: 'accepted', cost: DEFAULT_COST });
      if (outcome?.status === 'accepted') ids.add(outcome.providerId);
    }
    expect(ids.size).toBe(50);
    expect([...ids].every((id) => /^ATXid_\d+$/.test(id))).toBe(true);
  });

  it('maps per-recipient failures: 406 opted out, 403 permanent, 500/502 retry', async () => {
    const [ok, blacklisted, invalid, internal, gatewayRejected] = [1, 2, 3, 4, 5].map(kenyan) as [string, string, string, string, string];
    fake.script(
      { number: blacklisted, statusCode: 406 },
      { number: invalid, statusCode: 403 },
      { number: internal, statusCode: 500 },
      { number: gatewayRejected, statusCode: 502 },
    );
    const outcomes = await gateway().sendBulk({ text: 'hi', to: [ok, blacklisted, invalid, internal, gatewayRejected] });

    expect(fake.requests).toHaveLength(1);
    expect(outcomes.get(ok)).toMatchObject({ status: 'accepted' });
    expect(outcomes.get(blacklisted)).toEqual({ status: 'permanent', reason: 'UserInBlacklist', optedOut: true });
    expect(outcomes.get(invalid)).toEqual({ status: 'permanent', reason: 'InvalidPhoneNumber', optedOut: false });
    expect(outcomes.get(internal)).toEqual({ status: 'retry', reason: 'InternalServerError' });
    expect(outcomes.get(gatewayRejected)).toEqual({ status: 'retry', reason: 'RejectedByGateway' });
  });

  it('treats the UserInBlackList status text as an opt-out whatever the code', async () => {
    fake.script({ number: kenyan(1), statusCode: 407, status: 'UserInBlackList' });
    const outcomes = await gateway().sendBulk({ text: 'hi', to: [kenyan(1)] });
    expect(outcomes.get(kenyan(1))).toEqual({ status: 'permanent', reason: 'UserInBlackList', optedOut: true });
  });

  it('retries a recipient missing from the response', async () => {
    fake.script({ number: kenyan(2), omit: true });
    const outcomes = await gateway().sendBulk({ text: 'hi', to: [kenyan(1), kenyan(2)] });
    expect(outcomes.get(kenyan(1))).toMatchObject({ status: 'accepted' });
    expect(outcomes.get(kenyan(2))).toEqual({ status: 'retry', reason: 'missing from response' });
  });

  it('settles numbers the SDK would refuse without failing the rest of the batch', async () => {
    const outcomes = await gateway().sendBulk({ text: 'hi', to: [kenyan(1), '0711000002', kenyan(1)] });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.to).toEqual([kenyan(1)]);
    expect(outcomes.get(kenyan(1))).toMatchObject({ status: 'accepted' });
    expect(outcomes.get('0711000002')).toMatchObject({ status: 'permanent', optedOut: false });
  });

  it('gives every recipient retry when the whole request gets HTTP 503', async () => {
    fake.script({ httpStatus: 503 });
    const to = [kenyan(1), kenyan(2), kenyan(3)];
    const outcomes = await gateway().sendBulk({ text: 'hi', to });
    expect([...outcomes]).toEqual(to.map((phone) => [phone, { status: 'retry', reason: 'HTTP 503' }]));
  });

  it('gives every recipient retry when the server is unreachable', async () => {
    const down = await startFakeAt();
    const url = down.url;
    await down.close();
    const outcomes = await new AfricasTalkingSmsGateway({ username: 'sauti-test', apiKey: API_KEY, baseUrl: url }).sendBulk({
      text: 'hi',
      to: [kenyan(1)],
    });
    expect(outcomes.get(kenyan(1))).toEqual({ status: 'retry', reason: 'ECONNREFUSED' });
  });

  it('gives up on a slow response at timeoutMs, retries everyone and hangs up', async () => {
    // The fake would answer only after a minute: an outcome before the test's own timeout means
    // the client gave up by itself, however slow the machine is.
    fake.script({ delayMs: 60_000 });
    const started = performance.now();
    const outcomes = await gateway({ timeoutMs: 300 }).sendBulk({ text: 'hi', to: [kenyan(1), kenyan(2)] });
    const elapsed = performance.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(60_000);
    expect(outcomes.get(kenyan(1))).toEqual({ status: 'retry', reason: 'timeout after 300 ms' });
    expect(outcomes.get(kenyan(2))).toEqual({ status: 'retry', reason: 'timeout after 300 ms' });
    // The socket was really closed (axios aborted), not just abandoned behind a race.
    await expect.poll(() => fake.requests[0]?.aborted).toBe(true);
  });

  it('keeps each gateway to its own timeout when calls overlap', async () => {
    fake.script({ delayMs: 600, times: 2 });
    const [short, long] = await Promise.all([
      gateway({ timeoutMs: 200 }).sendBulk({ text: 'a', to: [kenyan(1)] }),
      gateway({ timeoutMs: 3_000 }).sendBulk({ text: 'b', to: [kenyan(2)] }),
    ]);
    expect(short.get(kenyan(1))).toMatchObject({ status: 'retry' });
    expect(long.get(kenyan(2))).toMatchObject({ status: 'accepted' });
  });

  it('rejects on HTTP 401 (bad credentials) with a clear error and no phone number', async () => {
    const error = await gateway({ apiKey: 'wrong-key' })
      .sendBulk({ text: 'hi', to: [kenyan(1)] })
      .then(() => new Error('resolved'), (e: unknown) => e as Error);
    expect(error.message).toBe("Africa's Talking refused the request: HTTP 401 The supplied authentication is invalid");
    // A fresh Error, not the AxiosError: that one carries the form body and the API key.
    expect(error.cause).toBeUndefined();
    expect(error).not.toHaveProperty('config');
  });

  it('rejects on another 4xx, without the phone numbers AT may echo', async () => {
    fake.script({ httpStatus: 400, body: `Invalid sender id for ${kenyan(1)}` });
    await expect(gateway().sendBulk({ text: 'hi', from: 'NOPE', to: [kenyan(1)] })).rejects.toThrow(
      "Africa's Talking refused the request: HTTP 400 Invalid sender id for <number>",
    );
  });

  it('still reads the recipients when AT answers a 2xx other than 201 (the SDK rejects those)', async () => {
    const body = { SMSMessageData: { Message: 'Sent to 1/1', Recipients: [{ statusCode: 101, number: kenyan(1), status: 'Success', cost: DEFAULT_COST, messageId: 'ATXid_x' }] } };
    fake.script({ httpStatus: 200, body: JSON.stringify(body) });
    const outcomes = await gateway().sendBulk({ text: 'hi', to: [kenyan(1)] });
    expect(outcomes.get(kenyan(1))).toEqual({ status: 'accepted', providerId: 'ATXid_x', cost: DEFAULT_COST });
  });

  it('rejects on a scripted whole-request 401 too', async () => {
    fake.script({ httpStatus: 401 });
    await expect(gateway().sendBulk({ text: 'hi', to: [kenyan(1)] })).rejects.toThrow(/HTTP 401/);
  });

  it('delivers Unicode (Bengali) text intact', async () => {
    const text = 'আপনার সাপ্তাহিক ডায়েরি প্রস্তুত: *৩৮৪*৭# ডায়াল করুন। ✓';
    const outcomes = await gateway().sendBulk({ text, to: ['+8801712345678'] });
    expect(fake.requests[0]!.message).toBe(text);
    expect(fake.requests[0]!.to).toEqual(['+8801712345678']);
    expect(outcomes.get('+8801712345678')).toMatchObject({ status: 'accepted' });
  });

  it('sends nothing for an empty batch', async () => {
    expect((await gateway().sendBulk({ text: 'hi', to: [] })).size).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });

  it('installs its interceptor on the axios instance the SDK really uses', () => {
    const sdkRequire = createRequire(createRequire(import.meta.url).resolve('africastalking'));
    const sdkAxios = sdkRequire('axios') as Record<symbol, unknown>;
    // A second copy of axios (nested under africastalking/, or the ESM build) would leave the
    // SDK's requests without a timeout: the marker must be on the SDK's own instance.
    expect(sdkAxios[Symbol.for('sauti.africastalking.deadline')]).toBeDefined();
  });

  it('keeps its timeout in the deployed bundle (esbuild with the Lambda options: one axios)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sauti-at-bundle-'));
    try {
      const outfile = join(dir, 'send.mjs');
      const { metafile } = await build({
        ...bundleOptions,
        mainFields: [...bundleOptions.mainFields],
        external: [...bundleOptions.external],
        metafile: true,
        outfile,
        logLevel: 'silent',
        stdin: {
          resolveDir: fileURLToPath(new URL('../..', import.meta.url)),
          sourcefile: 'entry.ts',
          loader: 'ts',
          contents: `
            import { AfricasTalkingSmsGateway } from './functions/adapters/africastalking/sms-gateway.js';
            const gateway = new AfricasTalkingSmsGateway({ username: 'sauti-test', apiKey: '${API_KEY}', baseUrl: process.argv[2], timeoutMs: 300 });
            const outcomes = await gateway.sendBulk({ text: 'hi', to: ['${kenyan(1)}'] });
            console.log(JSON.stringify([...outcomes]));`,
        },
      });
      // esbuild resolves `require('axios')` (SDK) and our import to the same CommonJS build.
      const axiosBuilds = Object.keys(metafile.inputs).filter((file) => /node_modules\/axios\/(index\.js|lib\/axios\.js|dist\/.*axios\.c?js)$/.test(file));
      expect(axiosBuilds).toEqual(['node_modules/axios/dist/node/axios.cjs']);

      fake.script({ delayMs: 5_000 });
      // Asynchronous: the fake server lives in this process and must keep serving meanwhile.
      const { stdout } = await promisify(execFile)(process.execPath, [outfile, fake.url], { timeout: 10_000 });
      expect(JSON.parse(stdout)).toEqual([[kenyan(1), { status: 'retry', reason: 'timeout after 300 ms' }]]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('property: one outcome per recipient, in the category its statusCode implies', async () => {
    const codes = [100, 101, 102, 401, 402, 403, 404, 405, 406, 407, 409, 500, 501, 502] as const;
    const expected = (code: number): RecipientOutcome['status'] =>
      code <= 102 ? 'accepted' : code <= 409 ? 'permanent' : 'retry';
    const client = gateway();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...codes), fc.constant('omit' as const)), { minLength: 1, maxLength: 40 }), async (plan) => {
        fake.reset();
        const to = plan.map((_, i) => kenyan(i));
        plan.forEach((code, i) => fake.script(code === 'omit' ? { number: to[i]!, omit: true } : { number: to[i]!, statusCode: code }));

        const outcomes = await client.sendBulk({ text: 'diary', to });

        expect(fake.requests).toHaveLength(1);
        expect(outcomes.size).toBe(to.length);
        plan.forEach((code, i) => {
          const outcome = outcomes.get(to[i]!);
          if (code === 'omit') {
            expect(outcome).toEqual({ status: 'retry', reason: 'missing from response' });
            return;
          }
          expect(outcome?.status).toBe(expected(code));
          if (outcome?.status === 'permanent') {
            expect(outcome.optedOut).toBe(code === 406);
            expect(outcome.reason).toBe(AT_STATUS[code]);
          }
        });
      }),
      { numRuns: 60 },
    );
  });
});
