import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DynamoDB Local starts once per run; integration tests each use their own table.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores: keep Java, the e2e stack and the workers from starving each other.
    maxWorkers: 2,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'local', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
