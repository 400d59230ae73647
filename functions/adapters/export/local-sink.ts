import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportSink, StoredFile } from '../../core/export/ports.js';

/**
 * Exports on this machine (local stack, tests): files under a folder, by default
 * `.data/exports/<study>/<dataset>-<time>.csv` beside their codebooks. A file is written under a
 * temporary name and renamed once complete, so a failed export leaves no partial file behind
 * that looks whole.
 */
export class LocalFileSink implements ExportSink {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async write(name: string, _contentType: string, body: Readable): Promise<StoredFile> {
    const path = join(this.root, name);
    if (!path.startsWith(`${this.root}/`)) throw new Error(`Export file name escapes the export folder: ${name}`);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.partial`;
    try {
      await pipeline(body, createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, path);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
    return { location: path };
  }
}

/** The local export folder: `SAUTI_EXPORT_DIR`, else `<SAUTI_DATA_DIR or .data>/exports`. */
export function localExportDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SAUTI_EXPORT_DIR ?? join(env.SAUTI_DATA_DIR ?? '.data', 'exports');
}
