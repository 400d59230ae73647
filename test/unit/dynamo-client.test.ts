import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient, createDynamoClient, DYNAMO_LOCAL_TIMEOUTS, DYNAMO_RETRY } from '../../functions/adapters/dynamo/client.js';

/**
 * The store client's retry policy, against a stand-in DynamoDB that answers the wire errors the
 * real service sends (JSON 1.0 `__type`), so the SDK's own error classification is exercised.
 */
let server: Server;
let endpoint: string;
let script: { status: number; type?: string }[] = [];
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      const next = script.shift() ?? { status: 200 };
      res.writeHead(next.status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(next.type ? JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${next.type}`, message: 'stand-in' }) : JSON.stringify({ Item: { pk: { S: 'k' }, v: { N: '1' } } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  requests = 0;
  script = [];
});

const get = () => createDocumentClient({ endpoint }).send(new GetCommand({ TableName: 't', Key: { pk: 'k' } }));

describe('DynamoDB client retry policy', () => {
  it('is the stated one: standard mode, 3 attempts', async () => {
    const client = createDocumentClient({ endpoint });
    expect(await client.config.maxAttempts()).toBe(DYNAMO_RETRY.maxAttempts);
    expect(client.config.retryMode).toBe('standard');
    expect(DYNAMO_RETRY.maxAttempts).toBe(3);
  });

  it('keeps tight socket timeouts for AWS and waits for DynamoDB Local, which a busy machine starves', async () => {
    const timeouts = async (config: Parameters<typeof createDynamoClient>[0]) => {
      // The SDK's Node handler resolves its options lazily; its provider is the configured value.
      const handler = createDynamoClient(config).config.requestHandler as unknown as { configProvider: Promise<{ connectionTimeout?: number; requestTimeout?: number }> };
      const { connectionTimeout, requestTimeout } = await handler.configProvider;
      return { connectionTimeout, requestTimeout };
    };
    expect(await timeouts({ region: 'eu-west-1' })).toEqual({ connectionTimeout: DYNAMO_RETRY.connectionTimeoutMs, requestTimeout: DYNAMO_RETRY.requestTimeoutMs });
    expect(await timeouts({ endpoint })).toEqual({ connectionTimeout: DYNAMO_LOCAL_TIMEOUTS.connectionTimeoutMs, requestTimeout: DYNAMO_LOCAL_TIMEOUTS.requestTimeoutMs });
    expect(DYNAMO_RETRY.connectionTimeoutMs).toBeLessThan(DYNAMO_LOCAL_TIMEOUTS.connectionTimeoutMs);
  });

  it('rides out two throttles and a 500 is retried too', async () => {
    script = [{ status: 400, type: 'ProvisionedThroughputExceededException' }, { status: 500, type: 'InternalServerError' }];
    const out = await get();
    expect(out.Item).toEqual({ pk: 'k', v: 1 });
    expect(out.$metadata.attempts).toBe(3);
    expect(requests).toBe(3);
  });

  it('gives up after the third throttled attempt, with the service error (the USSD handler then apologises)', async () => {
    script = [1, 2, 3, 4].map(() => ({ status: 400, type: 'ThrottlingException' }));
    await expect(get()).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { attempts: 3 } });
    expect(requests).toBe(3);
  });

  it('does not retry what a retry cannot cure (a refused condition)', async () => {
    script = [{ status: 400, type: 'ConditionalCheckFailedException' }];
    await expect(get()).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(requests).toBe(1);
  });

  it('retries a refused connection (DynamoDB Local restarting) the same way', async () => {
    const dead = createDocumentClient({ endpoint: 'http://127.0.0.1:9' });
    const err = (await dead.send(new GetCommand({ TableName: 't', Key: { pk: 'k' } })).catch((e: unknown) => e)) as { code?: string; $metadata?: { attempts?: number; totalRetryDelay?: number } };
    expect(err).toMatchObject({ code: 'ECONNREFUSED', $metadata: { attempts: 3 } });
    // Transient backoff is short (50 ms base, two retries: at most 150 ms of planned delay),
    // as the SDK reports it: the delay it chose, not how long a busy machine took.
    expect(err.$metadata?.totalRetryDelay).toBeLessThanOrEqual(150);
  });
});
