import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads the content folder from disk as `npm run content:check` sees it: every file that is
 * there, whether or not `index.ts` (what the Lambdas bundle) imports it yet. A test checks
 * the two agree.
 */
export const contentDir = fileURLToPath(new URL('.', import.meta.url));

const read = (...path: string[]): unknown => JSON.parse(readFileSync(join(contentDir, ...path), 'utf8'));
const optional = (...path: string[]): unknown => (existsSync(join(contentDir, ...path)) ? read(...path) : undefined);

export function loadContentFromDisk(): Record<string, unknown> {
  const languages = read('languages.json') as string[];
  const strings = Object.fromEntries(
    readdirSync(join(contentDir, 'strings'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f.replace(/\.json$/, ''), read('strings', f)]),
  );
  const modulesDir = join(contentDir, 'modules');
  const modules = existsSync(modulesDir)
    ? readdirSync(modulesDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => read('modules', f) as { order: number })
        .sort((a, b) => a.order - b.order)
    : undefined;
  const diary = optional('questionnaires', 'diary.json');
  const complaints = optional('complaints.json');
  const keywords = optional('keywords.json');
  const sms = optional('sms.json');
  const voice = optional('voice.json');
  return {
    languages,
    strings,
    consent: read('consent.json'),
    baseline: read('questionnaires', 'baseline.json'),
    ...(diary ? { diary } : {}),
    ...(modules?.length ? { modules } : {}),
    ...(complaints ? { complaints } : {}),
    ...(keywords ? { keywords } : {}),
    ...(sms ? { sms } : {}),
    ...(voice ? { voice } : {}),
  };
}
