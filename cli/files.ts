import { readFile } from 'node:fs/promises';
import { CliError } from './client.js';

/** Reading the files commands take (study and campaign JSON, enrolment CSV), with plain errors. */
export async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError([code === 'ENOENT' ? `No ${what} at ${path}.` : `Cannot read ${what} ${path}: ${err instanceof Error ? err.message : String(err)}`]);
  }
}

export async function readJson(path: string, what: string): Promise<unknown> {
  const text = await readText(path, what);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    throw new CliError([`${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`]);
  }
}
