import { Readable } from 'node:stream';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXPORT_URL_SECONDS, S3ExportSink } from '../../functions/adapters/export/s3-sink.js';

/**
 * The S3 sink without S3: the client is mocked (aws-sdk-client-mock), the presigned URL is
 * computed for real (signing is local arithmetic on fixed credentials).
 */
const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const now = new Date('2026-12-01T09:00:00.000Z');

beforeEach(() => s3.reset());

async function bodyText(body: unknown): Promise<string> {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

describe('S3 export sink', () => {
  it('puts a small file in one PutObject, then answers with a GET link valid 15 minutes', async () => {
    s3.on(PutObjectCommand).resolves({});
    const sink = new S3ExportSink(client, 'sauti-exports', () => now);
    const stored = await sink.write('athi-river-2026/diary_long-2026-12-01T09-00-00-000Z.csv', 'text/csv; charset=utf-8', Readable.from(['pid,week\r\n', 'a1,2026-W49\r\n']));
    const puts = s3.commandCalls(PutObjectCommand);
    expect(puts).toHaveLength(1);
    const input = puts[0]!.args[0].input;
    expect(input).toMatchObject({ Bucket: 'sauti-exports', Key: 'athi-river-2026/diary_long-2026-12-01T09-00-00-000Z.csv', ContentType: 'text/csv; charset=utf-8' });
    expect(await bodyText(input.Body)).toBe('pid,week\r\na1,2026-W49\r\n');
    expect(stored.location).toBe('s3://sauti-exports/athi-river-2026/diary_long-2026-12-01T09-00-00-000Z.csv');
    expect(EXPORT_URL_SECONDS).toBe(900);
    const url = new URL(stored.url ?? '');
    expect(url.hostname).toContain('sauti-exports');
    expect(url.pathname).toBe('/athi-river-2026/diary_long-2026-12-01T09-00-00-000Z.csv');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="diary_long-2026-12-01T09-00-00-000Z.csv"');
    expect(stored.expiresAt).toBe('2026-12-01T09:15:00.000Z');
  });

  it('streams a large file as a multipart upload of 5 MB parts', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `"e${input.PartNumber}"` }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const line = `${'x'.repeat(1023)}\n`;
    async function* big() {
      for (let i = 0; i < 12 * 1024; i += 1) yield line; // 12 MB
    }
    await new S3ExportSink(client, 'sauti-exports', () => now).write('s/big.csv', 'text/csv', Readable.from(big()));
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(UploadPartCommand).map((c) => c.args[0].input.PartNumber).sort()).toEqual([1, 2, 3]);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(1);
  });

  it('fails when the body fails, and answers with no link', async () => {
    s3.on(PutObjectCommand).resolves({});
    const failing = new Readable({
      read() {
        this.destroy(new Error('DynamoDB is down'));
      },
    });
    await expect(new S3ExportSink(client, 'sauti-exports', () => now).write('s/x.csv', 'text/csv', failing)).rejects.toThrow('DynamoDB is down');
  });
});
