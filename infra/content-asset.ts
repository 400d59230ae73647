/**
 * Writes the content as one `content.json` into a Lambda asset folder (CDK afterBundling
 * hook and the benchmarks), validated first: a deployment never ships content that fails
 * `npm run content:check`. Usage: tsx infra/content-asset.ts <outputDir>
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { content } from '../content/index.js';
import { contentProblems } from '../functions/core/content/check.js';

export function writeContentAsset(outputDir: string): number {
  const problems = contentProblems(content);
  if (problems.length) throw new Error(`content has ${problems.length} problems; run npm run content:check`);
  const json = JSON.stringify(content);
  writeFileSync(join(outputDir, 'content.json'), json);
  return Buffer.byteLength(json);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: tsx infra/content-asset.ts <outputDir>');
  console.log(`content.json: ${writeContentAsset(dir)} bytes`);
}
