/**
 * The callback token and the secrets adapter under it, against a stand-in for the Parameters
 * and Secrets Lambda Extension (a local HTTP server speaking its protocol).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callbackTokens, resetCallbackTokenCache } from '../../functions/adapters/callback-token.js';
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
    expect(await callbackTokens({ ...env, SAUTI_CALLBACK_TOKEN: 'local', CALLBACK_TOKEN_SECRET_ID: 'id' })).toEqual(['local']);
    expect(requests).toHaveLength(0);
  });

  it('reads the secret named by CALLBACK_TOKEN_SECRET_ID, cached for a few minutes', async () => {
    secrets.set('token-arn', 'abc123');
    const awsEnv = { ...env, CALLBACK_TOKEN_SECRET_ID: 'token-arn' };
    expect(await callbackTokens(awsEnv, 0)).toEqual(['abc123']);
    secrets.set('token-arn', 'rotated');
    expect(await callbackTokens(awsEnv, 60_000)).toEqual(['abc123']);
    expect(await callbackTokens(awsEnv, SECRET_TTL_MS + 1)).toEqual(['rotated']);
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
    await expect(callbackTokens({})).rejects.toThrow(/SAUTI_CALLBACK_TOKEN/);
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
