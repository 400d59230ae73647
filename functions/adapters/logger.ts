import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '../core/ports/index.js';

/**
 * Structured JSON logs (CloudWatch in AWS, the terminal locally) behind the core's Logger
 * port. Callers never pass phone numbers: logs are not a place for personal data.
 */
export function createLogger(): Logger & { powertools: PowertoolsLogger } {
  const powertools = new PowertoolsLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'sauti' });
  return {
    powertools,
    info: (message, extra = {}) => powertools.info(message, extra),
    warn: (message, extra = {}) => powertools.warn(message, extra),
    error: (message, extra = {}) => powertools.error(message, extra),
  };
}
