/**
 * `npm run build`: the web console (Preact + Chart.js) bundled by esbuild into web/dist, the
 * same bundler the Lambdas use. `npm start` calls `ensureWebBuilt` so a fresh clone or an
 * edited source gets a current bundle without a separate step.
 */
import { copyFile, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { content } from '../content/index.js';

export const WEB_ROOT = dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = join(WEB_ROOT, 'dist');
/** Written last: its time says when the bundle was complete (a half-written dist stays stale). */
const STAMP_NAME = '.built';
const STAMP = join(WEB_DIST, STAMP_NAME);

/**
 * Builds into a scratch folder, then swaps it in: several stacks starting at once (the
 * end-to-end tests) never serve, or delete, each other's half-written bundle.
 */
export async function buildWeb(opts: { quiet?: boolean } = {}): Promise<{ bytes: Record<string, number> }> {
  // A folder named dist, so .gitignore's `dist/` covers it should a build be killed half-way.
  const scratch = join(WEB_ROOT, '.staging', `${process.pid}-${Date.now()}`);
  const out = join(scratch, 'dist');
  try {
    const bytes = await buildInto(out, opts);
    await rm(WEB_DIST, { recursive: true, force: true });
    await rename(out, WEB_DIST).catch(async (err: NodeJS.ErrnoException) => {
      // Another build swapped its own in meanwhile: equally fresh, keep it.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
    return { bytes };
  } finally {
    await rm(scratch, { recursive: true, force: true });
    // Removed once empty; another build's scratch folder keeps it.
    await rmdir(join(WEB_ROOT, '.staging')).catch(() => undefined);
  }
}

async function buildInto(out: string, opts: { quiet?: boolean }): Promise<Record<string, number>> {
  await mkdir(out, { recursive: true });
  const result = await build({
    entryPoints: { app: join(WEB_ROOT, 'src', 'main.tsx') },
    outdir: out,
    bundle: true,
    format: 'esm',
    // Chart.js goes in its own chunk, fetched by the first chart (see components/Chart.tsx).
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // Browsers of 2020 and later: old enough for second-hand office laptops, new enough for ESM.
    target: ['es2020'],
    minify: true,
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'linked',
    metafile: true,
    // The module catalogue (ids, titles, lesson counts) for the campaign form: tiny, and it changes only with content.
    define: { SAUTI_MODULES: JSON.stringify((content.modules ?? []).map((m) => ({ id: m.id, title: m.title, lessons: m.lessons.length }))) },
    logLevel: opts.quiet ? 'silent' : 'warning',
  });
  await copyFile(join(WEB_ROOT, 'index.html'), join(out, 'index.html'));
  // Without an icon every page load asks for /favicon.ico and gets a 404.
  await copyFile(join(WEB_ROOT, 'favicon.svg'), join(out, 'favicon.svg'));
  // Deployment-specific settings (the Cognito sign-in URL) live in config.js, which a
  // deployment overwrites; locally there are none and the console shows the token form.
  await writeFile(join(out, 'config.js'), 'window.SAUTI_CONFIG = window.SAUTI_CONFIG || {};\n');
  // Every file that went into the bundle (web/src, the core modules it reuses, packages),
  // so a change to any of them makes the next `npm start` rebuild.
  // (`<define:…>` entries are the injected constants, not files.)
  const inputs = Object.keys(result.metafile.inputs)
    .filter((f) => !f.startsWith('<'))
    .map((f) => resolve(f));
  await writeFile(join(out, STAMP_NAME), JSON.stringify({ builtAt: new Date().toISOString(), inputs }));
  return Object.fromEntries(Object.entries(result.metafile.outputs).map(([file, o]) => [relative(out, resolve(file)), o.bytes]));
}

/** True when web/dist is missing or older than anything that went into it. */
export async function webIsStale(): Promise<boolean> {
  const built = await stat(STAMP).catch(() => undefined);
  if (!built) return true;
  let inputs: string[];
  try {
    inputs = (JSON.parse(await readFile(STAMP, 'utf8')) as { inputs: string[] }).inputs;
  } catch {
    return true;
  }
  const sources = [...inputs, join(WEB_ROOT, 'index.html'), join(WEB_ROOT, 'favicon.svg'), fileURLToPath(import.meta.url), ...(await moduleFiles())];
  for (const file of sources) {
    const info = await stat(file).catch(() => undefined);
    // A source gone (renamed, deleted) means the bundle was made from something else.
    if (!info || info.mtimeMs > built.mtimeMs) return true;
  }
  return false;
}

/** The modules' titles are built in as a constant (the campaign form's choices), not imported. */
async function moduleFiles(): Promise<string[]> {
  const dir = join(WEB_ROOT, '..', 'content', 'modules');
  return (await readdir(dir)).map((f) => join(dir, f));
}

/** Builds the console when needed; answers whether it did. */
export async function ensureWebBuilt(): Promise<boolean> {
  if (!(await webIsStale())) return false;
  await buildWeb({ quiet: true });
  return true;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const { bytes } = await buildWeb();
  for (const [file, n] of Object.entries(bytes)) console.log(`web/dist/${file}  ${(n / 1024).toFixed(1)} KB`);
}
