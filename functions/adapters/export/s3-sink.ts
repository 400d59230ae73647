import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import type { ExportSink, StoredFile } from '../../core/ports/exports.js';

/** How long a download link stays valid. */
export const EXPORT_URL_SECONDS = 15 * 60;

/**
 * Exports in AWS: each file streamed into the exports bucket (a multipart upload of 5 MB parts,
 * two in flight, so memory stays flat whatever the size; a small file is one PutObject), then
 * a presigned GET URL valid 15 minutes. The bucket expires objects after 7 days (infra/stack.ts).
 * The link is signed with the Lambda's own credentials: it stops working when they expire,
 * if that comes first.
 */
export class S3ExportSink implements ExportSink {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly now: () => Date,
  ) {}

  async write(name: string, contentType: string, body: Readable): Promise<StoredFile> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: name, Body: body, ContentType: contentType },
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
    const fileName = name.split('/').pop() ?? name;
    const url = await getSignedUrl(
      this.client,
      new GetObjectCommand({ Bucket: this.bucket, Key: name, ResponseContentDisposition: `attachment; filename="${fileName}"` }),
      { expiresIn: EXPORT_URL_SECONDS },
    );
    return { location: `s3://${this.bucket}/${name}`, url, expiresAt: new Date(this.now().getTime() + EXPORT_URL_SECONDS * 1000).toISOString() };
  }
}
