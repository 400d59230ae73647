import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator } from '../../infra/local/simulator.js';
import { serveStatic } from '../../infra/local/static.js';

/**
 * The local stack's own HTTP pieces, without a browser: the console's static files (no path
 * leaves web/dist, whatever its encoding) and the simulator's endpoints (the very form bodies
 * Africa's Talking posts, validation, export downloads by role).
 */
const dir = mkdtempSync(join(tmpdir(), 'sauti-local-routes-'));
const root = join(dir, 'dist');
const exportsDir = join(dir, 'exports');
const SECRET = 'top-secret-outside-the-root';
let server: Server;
let base = '';
const seen: APIGatewayProxyEventV2[] = [];

beforeAll(async () => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(join(exportsDir, 'study-a'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(root, 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'secret'), SECRET);
  writeFileSync(join(exportsDir, 'study-a', 'diary_long-1.csv'), 'pid,week\n');
  writeFileSync(join(exportsDir, 'study-a', 'diary_long-2.csv.partial'), SECRET);
  writeFileSync(join(exportsDir, 'study-a', 'diary_long-with-phones-3-abc.csv'), 'pid,phone\n');
  const local = createSimulator({
    clock: { now: () => new Date('2026-11-23T09:00:00Z') },
    ussd: async (event) => {
      seen.push(event);
      return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'END Bye' };
    },
    atCallbacks: async (event) => {
      seen.push(event);
      return { statusCode: 200, body: 'OK' };
    },
    callbackToken: 'sim-token',
    outbox: { list: async (opts) => [{ providerId: 'OUTBOX-1', to: opts.to ?? '', text: 'Reply', at: '2026-11-23T09:00:00.000Z', from: '20880' }] },
    studies: async () => [],
    env: { SAUTI_EXPORT_DIR: exportsDir, SAUTI_API_TOKENS: JSON.stringify({ r: { role: 'researcher' }, n: { role: 'ngo' }, a: { role: 'admin' } }) },
  });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // As infra/local/server.ts does: a path it cannot parse (`//x` reads as a host) is a 500, not a file.
      void (async () => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        if (!(await local(req, res, Buffer.concat(chunks)))) await serveStatic(root, path, res);
      })().catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A GET with the path exactly as given (fetch would normalise `..` away before sending). */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolveGet, reject) => {
    const req = request(`${base}${path}`, { method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the console files', () => {
  it('serves files with their types and the app for its own paths', async () => {
    expect(await rawGet('/app.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(await rawGet('/simulator')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: expect.stringContaining('<title>console</title>') });
    expect((await rawGet('/nope.js')).status).toBe(404);
  });

  it('never answers with a file outside the root, however the path is spelled', async () => {
    const segment = fc.constantFrom('..', '.', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '..%2f', '..%5c', '%2f', '%5c', '%00', 'secret', 'secret.txt', 'assets', 'index.html', '', '%252e%252e', '..;', '~');
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 6 }), async (parts) => {
        const res = await rawGet(`/${parts.join('/')}`);
        expect(res.body).not.toContain(SECRET);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the simulator endpoints', () => {
  const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('hands the USSD handler the form body Africa\'s Talking posts, at the callback path with the token', async () => {
    seen.length = 0;
    const res = await post('/local/simulator/ussd', { sessionId: 'SIM-1', phoneNumber: '+254700000003', serviceCode: '*384*123#', text: '1*2*0' });
    expect(await res.json()).toEqual({ raw: 'END Bye', end: true, screen: 'Bye' });
    const event = seen[0] as APIGatewayProxyEventV2;
    expect(event.pathParameters).toEqual({ token: 'sim-token' });
    expect(event.rawPath).toBe('/at/sim-token/ussd');
    expect(event.isBase64Encoded).toBe(true);
    const form = Buffer.from(event.body ?? '', 'base64').toString();
    // AT escapes `*` and `#` in form bodies.
    expect(form).toBe('sessionId=SIM-1&serviceCode=%2A384%2A123%23&phoneNumber=%2B254700000003&networkCode=63902&text=1%2A2%2A0');
    expect(Object.fromEntries(new URLSearchParams(form))).toMatchObject({ serviceCode: '*384*123#', text: '1*2*0' });
  });

  it('sends an inbound SMS as an AT callback with a fresh id each time', async () => {
    seen.length = 0;
    expect((await post('/local/simulator/sms', { from: '+254700000005', to: '20880', text: 'HELP' })).status).toBe(202);
    expect((await post('/local/simulator/sms', { from: '+254700000005', to: '20880', text: 'HELP' })).status).toBe(202);
    const forms = seen.map((e) => Object.fromEntries(new URLSearchParams(Buffer.from(e.body ?? '', 'base64').toString())));
    expect(seen.map((e) => e.rawPath)).toEqual(['/at/sim-token/sms', '/at/sim-token/sms']);
    expect(forms[0]).toMatchObject({ from: '+254700000005', to: '20880', text: 'HELP' });
    expect(forms[0]?.id).not.toBe(forms[1]?.id);
  });

  it('refuses bad input with the field at fault, and calls no handler', async () => {
    seen.length = 0;
    const bad = await post('/local/simulator/ussd', { sessionId: 'x', phoneNumber: '0700', serviceCode: '*384*123#', text: '' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual(['phoneNumber']);
    expect((await fetch(`${base}/local/simulator/ussd`, { method: 'POST', body: '{not json' })).status).toBe(400);
    expect((await post('/local/simulator/sms', { from: '+254700000005', to: '20880', text: '' })).status).toBe(400);
    expect((await rawGet('/local/simulator/inbox?phone=nobody')).status).toBe(400);
    expect(seen).toEqual([]);
  });

  it('lists a number\'s SMS from the outbox without the recipient echoed back', async () => {
    const res = await rawGet('/local/simulator/inbox?phone=%2B254700000005');
    expect(JSON.parse(res.body)).toEqual({ messages: [{ id: 'OUTBOX-1', from: '20880', text: 'Reply', at: '2026-11-23T09:00:00.000Z' }] });
  });

  it('is off, and says why, when the stack sends real SMS', async () => {
    const off = createSimulator({
      clock: { now: () => new Date('2026-11-23T09:00:00Z') },
      ussd: async () => ({ statusCode: 200, body: 'END x' }),
      atCallbacks: async () => ({ statusCode: 200, body: 'OK' }),
      callbackToken: 't',
      outbox: { list: async () => [] },
      studies: async () => [],
      simulatorEnabled: false,
    });
    const res = { status: 0, body: '', writeHead(status: number) { this.status = status; return this; }, end(body: string) { this.body = body; return this; } };
    const req = { url: '/local/simulator/ussd', method: 'POST', headers: {} };
    // A minimal request and response: only what the router reads and writes.
    await off(req as never, res as never, Buffer.from(JSON.stringify({ sessionId: 's', phoneNumber: '+254700000001', serviceCode: '*384*123#', text: '' })));
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error).toMatch(/Africa's Talking/);
  });

  it('hands out export files to researchers and admins only, never outside the export folder or half-written', async () => {
    const file = '/local/exports/study-a/diary_long-1.csv';
    expect((await rawGet(file)).status).toBe(401);
    expect((await rawGet(file, { authorization: 'Bearer n' })).status).toBe(403);
    expect(await rawGet(file, { authorization: 'Bearer r' })).toMatchObject({ status: 200, type: 'text/csv; charset=utf-8', body: 'pid,week\n' });
    // Phone numbers: admins only, like the API route that made the file.
    const withPhones = '/local/exports/study-a/diary_long-with-phones-3-abc.csv';
    expect((await rawGet(withPhones, { authorization: 'Bearer r' })).status).toBe(403);
    expect(await rawGet(withPhones, { authorization: 'Bearer a' })).toMatchObject({ status: 200, body: 'pid,phone\n' });
    for (const path of ['/local/exports/..%2Fsecret.txt', '/local/exports/study-a/..%2F..%2Fsecret', '/local/exports/study-a/diary_long-2.csv.partial', '/local/exports/%2Fetc%2Fpasswd']) {
      const res = await rawGet(path, { authorization: 'Bearer a' });
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain(SECRET);
    }
  });
});
