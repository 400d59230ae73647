import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Property tests: a fixed seed in CI, a fresh one elsewhere (see the file).
    setupFiles: ['test/support/fast-check-seed.ts'],
    // Time-outs only catch hangs: generous, so a busy machine (CI shares its 2 cores) is slow,
    // not failed. No verdict anywhere depends on how much work fits in a time.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Two cores: keep Java, the e2e stack and the workers from starving each other.
    maxWorkers: 2,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'local', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'app',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/cdk/**'],
          // DynamoDB Local starts once per run; integration tests each use their own table.
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'cdk',
          include: ['test/cdk/**/*.test.ts'],
          // The CDK files only read one synthesized template (test/cdk/sauti-template.ts): sharing
          // the module cache synthesizes it once per worker instead of once per file.
          isolate: false,
        },
      },
    ],
  },
});
