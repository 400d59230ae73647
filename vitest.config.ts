import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DynamoDB Local starts once per run; integration tests each use their own table.
    globalSetup: ['test/support/global-setup.ts'],
    // Property tests: a fixed seed in CI, a fresh one elsewhere (see the file).
    setupFiles: ['test/support/fast-check-seed.ts'],
    // Time-outs only catch hangs: generous, so a busy machine (CI shares its 2 cores) is slow,
    // not failed. No verdict anywhere depends on how much work fits in a time.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Two cores: keep Java, the e2e stack and the workers from starving each other.
    maxWorkers: 2,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'local', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
