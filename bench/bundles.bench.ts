/**
 * Lambda bundles: builds every Lambda with the deployed esbuild options (infra/bundling.ts)
 * and measures its minified size and cold import time in a fresh `node` process. Floor:
 * bench/floors/floor-dynamo.ts, built the same way — a bare handler making the USSD hop's
 * DynamoDB calls with the same SDK client. bench/floors/hello.ts shows what the SDK costs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { writeContentAsset } from '../infra/content-asset.js';
import { bundleOptions } from '../infra/bundling.js';
import { lambdaEntries } from '../infra/routes.js';
import { type BenchResult, bytes, groupBy, mdTable, median, ms, progress, ratio, times, withinFloor } from './lib.js';

const ROUNDS = Number(process.env.BENCH_IMPORT_ROUNDS ?? 20);
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const FLOOR = 'floor-dynamo';
const HELLO = 'hello';

interface Bundle {
  name: string;
  file: string;
  bytes: number;
  gzip: number;
  /** content.json shipped beside the code (data, parsed at cold start). */
  contentBytes: number;
  metafile: Metafile;
  importMs: number[];
  processMs: number[];
}

async function bundle(name: string, entry: string, outDir: string): Promise<Bundle> {
  const file = join(outDir, `${name}.mjs`);
  const { metafile } = await build({
    ...bundleOptions,
    mainFields: [...bundleOptions.mainFields],
    external: [...bundleOptions.external],
    entryPoints: [join(root, entry)],
    outfile: file,
    absWorkingDir: root,
    write: true,
    metafile: true,
    logLevel: 'error',
  });
  const code = readFileSync(file);
  // The USSD Lambda ships its content as data beside the code, exactly as the CDK hook does.
  const contentBytes = name === 'ussd' ? writeContentAsset(outDir) : 0;
  return { name, file, bytes: code.length, gzip: gzipSync(code).length, contentBytes, metafile, importMs: [], processMs: [] };
}

/**
 * Imports the bundle in a fresh node, as a Lambda cold start does, and returns the import
 * time measured inside the process and the whole process's wall time. The environment has
 * a region and no credentials: importing must not need them (the SDK resolves them lazily).
 */
function coldImport(file: string): { importMs: number; processMs: number } {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const processMs = performance.now() - start;
  const importMs = Number(child.stdout.trim());
  if (child.status !== 0 || !Number.isFinite(importMs)) {
    throw new Error(`Importing ${file} failed (exit ${child.status}):\n${child.stderr}`);
  }
  return { importMs, processMs };
}

/** Bytes of the output by npm package (or by first folder for the project's own files). */
function bytesByPackage(metafile: Metafile): Map<string, number> {
  const inputs = Object.values(metafile.outputs).flatMap((o) => Object.entries(o.inputs));
  const byPackage = groupBy(inputs, ([path]) => {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path.slice(path.lastIndexOf('node_modules/')));
    return m?.[1] ?? `(sauti) ${path.split('/')[0]}/`;
  });
  return new Map([...byPackage].map(([name, files]) => [name, files.reduce((n, [, f]) => n + f.bytesInOutput, 0)]));
}

export async function run(): Promise<BenchResult> {
  const outDir = mkdtempSync(join(tmpdir(), 'sauti-bench-'));
  try {
    progress('bundling');
    const bundles: Bundle[] = [];
    for (const [name, entry] of Object.entries(lambdaEntries)) bundles.push(await bundle(name, entry, outDir));
    bundles.push(await bundle(FLOOR, 'bench/floors/floor-dynamo.ts', outDir));
    bundles.push(await bundle(HELLO, 'bench/floors/hello.ts', outDir));

    progress(`cold imports: ${ROUNDS} rounds × ${bundles.length} bundles`);
    // One throwaway round warms the OS file cache; then rounds interleave the bundles so
    // they share whatever else the machine is doing.
    for (const b of bundles) coldImport(b.file);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const b of bundles) {
        const { importMs, processMs } = coldImport(b.file);
        b.importMs.push(importMs);
        b.processMs.push(processMs);
      }
    }
    return report(bundles);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

function report(bundles: Bundle[]): BenchResult {
  const find = (name: string) => bundles.find((b) => b.name === name)!;
  const floor = find(FLOOR);
  const hello = find(HELLO);
  const ussd = find('ussd');
  const sizes = mdTable(
    ['Bundle', 'Minified', 'Gzip', 'Size vs floor', 'Import (median)', 'Import vs floor', 'Import vs hello', 'Process wall (median)'],
    bundles.map((b) => [
      b.name === FLOOR || b.name === HELLO ? `${b.name} (floor)` : b.name,
      bytes(b.bytes),
      bytes(b.gzip),
      times(ratio(b.bytes, floor.bytes)),
      ms(median(b.importMs)),
      times(ratio(median(b.importMs), median(floor.importMs))),
      times(ratio(median(b.importMs), median(hello.importMs))),
      ms(median(b.processMs)),
    ]),
  );

  const ussdPackages = bytesByPackage(ussd.metafile);
  const floorPackages = bytesByPackage(floor.metafile);
  const top = [...ussdPackages.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  const packages = mdTable(
    ['Package', 'In USSD bundle', 'Share', 'In floor bundle'],
    top.map(([name, n]) => [name, bytes(n), `${((100 * n) / ussd.bytes).toFixed(1)}%`, floorPackages.has(name) ? bytes(floorPackages.get(name)!) : '—']),
  );
  // What the USSD bundle carries that the floor does not: the application's own weight.
  const extra = [...ussdPackages.entries()]
    .map(([name, n]) => [name, n - (floorPackages.get(name) ?? 0)] as const)
    .filter(([, n]) => n > 1024)
    .sort((a, b) => b[1] - a[1]);

  const metrics = [
    withinFloor('USSD bundle: minified size', ussd.bytes, floor.bytes, 1.3, bytes),
    withinFloor('USSD bundle: cold import, median', median(ussd.importMs), median(floor.importMs), 1.3, ms),
  ];
  const markdown = [
    `Each Lambda in \`lambdaEntries\` (infra/routes.ts) and two floors (bench/floors/) built with \`bundleOptions\``,
    `(infra/bundling.ts: ESM, minified, AWS SDK bundled). Cold import: a fresh \`node\` per measurement imports the`,
    `bundle with AWS_REGION set and no credentials; ${ROUNDS} rounds, bundles interleaved; "Import" is timed inside the`,
    'process, "Process wall" includes starting Node. The floor `floor-dynamo` makes the USSD hop\'s DynamoDB calls',
    '(BatchGetItem, PutItem, GetItem, Query) with the same SDK client and nothing else; `hello` returns 200.',
    '',
    sizes,
    '',
    `The USSD Lambda also ships its content as data, \`content.json\` (${bytes(ussd.contentBytes)}: UI strings, consent, questionnaires`,
    'and six modules in three languages), read and parsed at cold start; the import times above include it.',
    '',
    `All bundles imported with no AWS credentials in the environment. Floor sanity: floor-dynamo is ${bytes(floor.bytes)};`,
    `its whole process takes ${times(ratio(median(floor.processMs), median(hello.processMs)))} hello's, its import alone ${times(ratio(median(floor.importMs), median(hello.importMs)))}.`,
    '',
    '### Largest packages in the USSD bundle',
    '',
    packages,
    '',
    `Beyond the floor, the USSD bundle carries ${bytes(ussd.bytes - floor.bytes)}: ` +
      extra.map(([name, n]) => `${name} ${bytes(n)}`).join(', ') + '.',
  ].join('\n');
  return { title: 'Lambda bundles', markdown, metrics };
}
