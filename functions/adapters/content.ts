import { existsSync, readFileSync } from 'node:fs';
import type { Content } from '../core/content/schema.js';

/**
 * The participant-facing content. In a Lambda it is `content.json` beside the bundle (data,
 * parsed once at cold start, not compiled as code: see infra/content-asset.ts); run from
 * source (local stack, tests) it is `content/index.ts`. The import path is built at run time
 * so esbuild does not pull the TypeScript content into the bundle.
 */
export async function loadContent(): Promise<Content> {
  const beside = new URL('./content.json', import.meta.url);
  if (existsSync(beside)) return JSON.parse(readFileSync(beside, 'utf8')) as Content;
  const source = ['..', '..', 'content', 'index.js'].join('/');
  const mod = (await import(/* source checkout only */ new URL(source, import.meta.url).href)) as { content: Content };
  return mod.content;
}
