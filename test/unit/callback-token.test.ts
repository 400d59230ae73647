/**
 * The callback token and the secrets adapter under it, against a stand-in for the Parameters
 * and Secrets Lambda Extension (a local HTTP server speaking its protocol).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { acceptedTokens, CALLBACK_TOKEN_TTL_MS, callbackTokens, resetCallbackTokenCache } from '../../functions/adapters/callback-token.js';
import { bodyBytes, callbackRefusal, inCidr, ipv4ToInt, MAX_CALLBACK_BODY_BYTES, parseCidr, sourceAllowed, allowlistFromEnv } from '../../functions/adapters/source-ip.js';
import { SECRET_TTL_MS, resetSecretCache, secretString } from '../../functions/adapters/secrets.js';

const SESSION_TOKEN = 'session-token-of-the-function';
const secrets = new Map<string, string>();
const requests: { url: string; token: string | undefined }[] = [];
let status = 200;
let server: Server;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = req.headers['x-aws-parameters-secrets-token'];
    requests.push({ url: req.url ?? '', token: typeof token === 'string' ? token : undefined });
    const id = url.searchParams.get('secretId') ?? '';
    if (url.pathname !== '/secretsmanager/get' || token !== SESSION_TOKEN) {
      res.writeHead(401).end();
    } else if (status !== 200) {
      res.writeHead(status).end();
    } else if (!secrets.has(id)) {
      res.writeHead(400).end('ResourceNotFoundException');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ARN: id, Name: id, SecretString: secrets.get(id) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const port = (server.address() as AddressInfo).port;
  env = { AWS_SESSION_TOKEN: SESSION_TOKEN, PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port) };
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  resetSecretCache();
  secrets.clear();
  requests.length = 0;
  status = 200;
});

describe('secretString (Parameters and Secrets extension)', () => {
  const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AtCredentials-AbCdEf';

  it('asks the extension for the secret by id, authenticated with the session token', async () => {
    secrets.set(arn, '{"username":"sandbox","apiKey":"k"}');
    expect(await secretString(arn, { env })).toBe('{"username":"sandbox","apiKey":"k"}');
    expect(requests).toEqual([{ url: `/secretsmanager/get?secretId=${encodeURIComponent(arn)}`, token: SESSION_TOKEN }]);
  });

  it('caches each secret for the TTL, then reads it again (a replaced value is picked up)', async () => {
    secrets.set('a', 'one');
    secrets.set('b', 'bee');
    expect(await secretString('a', { env, now: 0 })).toBe('one');
    expect(await secretString('b', { env, now: 0 })).toBe('bee');
    secrets.set('a', 'two');
    expect(await secretString('a', { env, now: SECRET_TTL_MS - 1 })).toBe('one');
    expect(requests).toHaveLength(2);
    expect(await secretString('a', { env, now: SECRET_TTL_MS })).toBe('two');
    expect(requests).toHaveLength(3);
  });

  it('shares one lookup between concurrent callers', async () => {
    secrets.set('a', 'one');
    const values = await Promise.all([1, 2, 3].map(() => secretString('a', { env, now: 0 })));
    expect(values).toEqual(['one', 'one', 'one']);
    expect(requests).toHaveLength(1);
  });

  it('does not cache a failure: the next call asks again', async () => {
    secrets.set('a', 'one');
    status = 500;
    await expect(secretString('a', { env, now: 0 })).rejects.toThrow(/500/);
    status = 200;
    expect(await secretString('a', { env, now: 1 })).toBe('one');
    expect(requests).toHaveLength(2);
  });

  it('refuses an empty secret and explains a missing session token', async () => {
    secrets.set('empty', '');
    await expect(secretString('empty', { env })).rejects.toThrow(/no string value/);
    await expect(secretString('x', { env: { ...env, AWS_SESSION_TOKEN: undefined } })).rejects.toThrow(/AWS_SESSION_TOKEN/);
    expect(requests).toHaveLength(1);
  });
});

describe('callbackTokens', () => {
  it('uses SAUTI_CALLBACK_TOKEN locally, without calling the extension', async () => {
    expect(await callbackTokens({ ...env, SAUTI_CALLBACK_TOKEN: 'local', CALLBACK_TOKEN_SECRET_ID: 'id' }, 0)).toEqual(['local']);
    expect(requests).toHaveLength(0);
  });

  it('reads the secret named by CALLBACK_TOKEN_SECRET_ID, cached for a minute (a rotation needs no redeploy)', async () => {
    secrets.set('token-arn', 'abc123');
    const awsEnv = { ...env, CALLBACK_TOKEN_SECRET_ID: 'token-arn' };
    expect(await callbackTokens(awsEnv, 0)).toEqual(['abc123']);
    secrets.set('token-arn', 'rotated');
    expect(await callbackTokens(awsEnv, CALLBACK_TOKEN_TTL_MS - 1)).toEqual(['abc123']);
    expect(await callbackTokens(awsEnv, CALLBACK_TOKEN_TTL_MS)).toEqual(['rotated']);
    expect(CALLBACK_TOKEN_TTL_MS).toBeLessThan(SECRET_TTL_MS);
    expect(requests).toHaveLength(2);
  });

  it('forgets the cached token on reset', async () => {
    secrets.set('token-arn', 'abc123');
    const awsEnv = { ...env, CALLBACK_TOKEN_SECRET_ID: 'token-arn' };
    await callbackTokens(awsEnv, 0);
    resetCallbackTokenCache();
    await callbackTokens(awsEnv, 0);
    expect(requests).toHaveLength(2);
  });

  it('fails clearly when neither the token nor the secret id is configured', async () => {
    await expect(callbackTokens({}, 0)).rejects.toThrow(/SAUTI_CALLBACK_TOKEN/);
  });

  it('retries after the extension failed', async () => {
    secrets.set('token-arn', 'abc123');
    const awsEnv = { ...env, CALLBACK_TOKEN_SECRET_ID: 'token-arn' };
    status = 503;
    await expect(callbackTokens(awsEnv, 0)).rejects.toThrow(/503/);
    status = 200;
    expect(await callbackTokens(awsEnv, 0)).toEqual(['abc123']);
  });
});

describe('callback token rotation', () => {
  const rotation = (previousValidUntil?: string) => JSON.stringify({ current: 'new-token', previous: 'old-token', ...(previousValidUntil ? { previousValidUntil } : {}) });
  const until = Date.parse('2026-11-24T12:00:00Z');

  it('accepts the previous token until previousValidUntil, then only the current one', () => {
    expect(acceptedTokens(rotation('2026-11-24T12:00:00Z'), until - 1)).toEqual(['new-token', 'old-token']);
    expect(acceptedTokens(rotation('2026-11-24T12:00:00Z'), until)).toEqual(['new-token']);
    // No end date, or one that does not parse: no grace at all.
    expect(acceptedTokens(rotation(), 0)).toEqual(['new-token']);
    expect(acceptedTokens(rotation('next tuesday'), 0)).toEqual(['new-token']);
    expect(acceptedTokens('plain-token', 0)).toEqual(['plain-token']);
  });

  it('refuses a JSON secret without a current token, or broken JSON, with a clear message', () => {
    expect(() => acceptedTokens('{"previous":"x"}', 0)).toThrow(/"current"/);
    expect(() => acceptedTokens('{"current":', 0)).toThrow(/does not parse/);
  });

  it('ends the grace period at request time, from the cached secret, without reading it again', async () => {
    secrets.set('token-arn', rotation(new Date(30_000).toISOString()));
    const awsEnv = { ...env, CALLBACK_TOKEN_SECRET_ID: 'token-arn' };
    expect(await callbackTokens(awsEnv, 0)).toEqual(['new-token', 'old-token']);
    expect(await callbackTokens(awsEnv, 30_000)).toEqual(['new-token']);
    expect(requests).toHaveLength(1);
  });

  it('rotates locally too (SAUTI_CALLBACK_TOKEN may hold the same JSON)', async () => {
    const local = { SAUTI_CALLBACK_TOKEN: rotation('2026-11-24T12:00:00Z') };
    expect(await callbackTokens(local, until - 1)).toEqual(['new-token', 'old-token']);
    expect(await callbackTokens(local, until + 1)).toEqual(['new-token']);
  });
});

describe('source-IP allowlist', () => {
  it('parses CIDRs and bare addresses, and nothing else', () => {
    expect(parseCidr('196.201.214.0/24')).toEqual({ network: ipv4ToInt('196.201.214.0'), prefix: 24 });
    expect(parseCidr('196.201.214.77/24')).toEqual({ network: ipv4ToInt('196.201.214.0'), prefix: 24 });
    expect(parseCidr('10.0.0.1')).toEqual({ network: ipv4ToInt('10.0.0.1'), prefix: 32 });
    for (const bad of ['10.0.0.256/8', '10.0.0/8', '10.0.0.1/33', '10.0.0.1/x', '::1/128', '1.2.3.4/8/9', '']) expect(parseCidr(bad), bad).toBeUndefined();
  });

  it('allows everything when unset; otherwise only listed sources, and a typo opens nothing', () => {
    expect(sourceAllowed('8.8.8.8', allowlistFromEnv({}))).toBe(true);
    const list = allowlistFromEnv({ AT_SOURCE_IPS: ' 196.201.214.0/24, 52.48.80.12 ' });
    expect(sourceAllowed('196.201.214.200', list)).toBe(true);
    expect(sourceAllowed('52.48.80.12', list)).toBe(true);
    expect(sourceAllowed('52.48.80.13', list)).toBe(false);
    expect(sourceAllowed('2001:db8::1', list)).toBe(false);
    expect(sourceAllowed(undefined, list)).toBe(false);
    expect(sourceAllowed('10.1.2.3', allowlistFromEnv({ AT_SOURCE_IPS: '10.0.0.0/abc' }))).toBe(false);
  });

  const octet = fc.integer({ min: 0, max: 255 });
  const ip = fc.tuple(octet, octet, octet, octet);
  const bitsOf = (parts: number[]) => parts.map((n) => n.toString(2).padStart(8, '0')).join('');

  it('agrees with a bit-string reference on random IPv4 / CIDR pairs', () => {
    fc.assert(
      fc.property(ip, ip, fc.integer({ min: 0, max: 32 }), fc.boolean(), (addr, net, prefix, near) => {
        // Half the time the address shares the network's first bytes, so matches are common too.
        const a = near ? [...net.slice(0, Math.floor(prefix / 8)), ...addr.slice(Math.floor(prefix / 8))] : addr;
        const expected = bitsOf(a).slice(0, prefix) === bitsOf(net).slice(0, prefix);
        const cidr = parseCidr(`${net.join('.')}/${prefix}`);
        expect(cidr).toBeDefined();
        expect(inCidr(a.join('.'), cidr!)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  const event = (sourceIp: string, body = 'a=b', isBase64Encoded = false) =>
    ({ body, isBase64Encoded, requestContext: { http: { sourceIp } } }) as unknown as APIGatewayProxyEventV2;

  it('refuses a source outside the list with 403, an oversize body with 413, before anything else', () => {
    const env = { AT_SOURCE_IPS: '196.201.214.0/24' };
    expect(callbackRefusal(event('196.201.214.9'), env)).toBeUndefined();
    expect(callbackRefusal(event('1.2.3.4'), env)?.statusCode).toBe(403);
    const big = 'x'.repeat(MAX_CALLBACK_BODY_BYTES + 1);
    expect(callbackRefusal(event('196.201.214.9', big), env)?.statusCode).toBe(413);
    expect(callbackRefusal(event('196.201.214.9', Buffer.from(big).toString('base64'), true), env)?.statusCode).toBe(413);
    expect(bodyBytes({ body: Buffer.from('é').toString('base64'), isBase64Encoded: true })).toBe(2);
    expect(callbackRefusal(event('1.2.3.4', 'x'.repeat(MAX_CALLBACK_BODY_BYTES)), {})).toBeUndefined();
  });
});
