import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The repository stands on its own: a comment or page that cites the design brief cites
 * docs/design.md, and every "invariant N" names a row of docs/invariants.md, so a newcomer can
 * follow each reference without anything outside the clone.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const SKIP = new Set(['node_modules', '.git', '.data', '.cache', 'dist', 'cdk.out']);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return files(path);
    return /\.(ts|tsx|mjs|md|json)$/.test(e.name) ? [path] : [];
  });
}

const sources = [...['functions', 'infra', 'cli', 'web/src', 'test', 'bench', 'content', 'docs'].flatMap((d) => files(join(root, d))), join(root, 'README.md')]
  .filter((p) => !p.endsWith('docs-references.test.ts'))
  .map((p) => ({ path: relative(root, p), text: readFileSync(p, 'utf8') }));

describe('references in the repository', () => {
  it('point inside it: the design brief is docs/design.md, nothing cites ../shared or a bare DESIGN.md', () => {
    const outside = sources.flatMap(({ path, text }) =>
      text.split('\n').flatMap((line, i) => (/\.\.\/shared\/|(?<![\w/])DESIGN\.md|REFERENCE\.md/.test(line) ? [`${path}:${i + 1}`] : [])),
    );
    expect(outside).toEqual([]);
  });

  it('name invariants that docs/invariants.md lists', () => {
    const table = readFileSync(join(root, 'docs/invariants.md'), 'utf8');
    const listed = new Set([...table.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1])));
    expect(listed.size).toBeGreaterThanOrEqual(10);
    const cited = sources.flatMap(({ path, text }) => [...text.matchAll(/invariants? (\d+)/gi)].map((m) => ({ path, n: Number(m[1]) })));
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter((c) => !listed.has(c.n))).toEqual([]);
  });
});
