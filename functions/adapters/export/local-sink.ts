import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportSink, StoredFile } from '../../core/ports/exports.js';

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
      const latest = latestName(path);
      // A stable name for the newest export of each dataset, so a command written once (the
      // README's `sauti analyze --csv …`) keeps working however many exports there are.
      if (latest) {
        await copyFile(path, partial);
        await rename(partial, latest);
      }
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
    return { location: path };
  }
}

/** `…/diary_wide-2026-11-27T15-00-00-000Z.csv` → `…/diary_wide-latest.csv` (codebooks alike). */
export function latestName(path: string): string | undefined {
  const m = /^(.*)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z(\.[\w.]+)$/.exec(path);
  return m ? `${m[1]}-latest${m[2]}` : undefined;
}

/** The local export folder: `SAUTI_EXPORT_DIR`, else `<SAUTI_DATA_DIR or .data>/exports`. */
export function localExportDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SAUTI_EXPORT_DIR ?? join(env.SAUTI_DATA_DIR ?? '.data', 'exports');
}
