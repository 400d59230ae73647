/**
 * One definition of how a Lambda is bundled, used by the CDK app (NodejsFunction, local
 * esbuild) and by the benchmarks, so the sizes and import times measured are those deployed.
 */
export const bundleTarget = 'node22';

/** Lets CommonJS dependencies call `require` inside an ESM bundle. */
export const esmRequireBanner =
  "import { createRequire as __sautiCreateRequire } from 'node:module'; const require = __sautiCreateRequire(import.meta.url);";

export const bundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: bundleTarget,
  minify: true,
  // Prefer ES modules so esbuild can drop what the handler does not use.
  mainFields: ['module', 'main'],
  banner: { js: esmRequireBanner },
  // The AWS SDK is bundled, not taken from the runtime: smaller cold start, pinned version.
  external: [] as string[],
  sourcemap: false,
  legalComments: 'none',
} as const;
