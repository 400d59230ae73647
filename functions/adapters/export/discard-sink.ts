import type { Readable } from 'node:stream';
import type { ExportSink, StoredFile } from '../../core/ports/exports.js';

/**
 * Reads every byte and keeps none (benchmarks, memory tests): the same pipeline as a real
 * export, minus the storage. `onChunk` sees each chunk's size as it goes by.
 */
export class DiscardSink implements ExportSink {
  bytes = 0;
  chunks = 0;

  constructor(private readonly onChunk?: (bytes: number, chunks: number) => void) {}

  async write(name: string, _contentType: string, body: Readable): Promise<StoredFile> {
    for await (const chunk of body) {
      const n = typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Buffer).length;
      this.bytes += n;
      this.chunks += 1;
      this.onChunk?.(n, this.chunks);
    }
    return { location: `discard:${name}` };
  }
}
