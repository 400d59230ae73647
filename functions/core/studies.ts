import type { Study } from './model.js';
import type { Clock } from './ports/clock.js';
import type { ServiceCodeReader } from './ports/studies.js';

/**
 * Keeps resolved studies in memory for a while: study settings change rarely, and a warm
 * Lambda then spends its one DynamoDB read per hop on the session, not on the study.
 */
export function cachedStudyDirectory(inner: ServiceCodeReader, clock: Clock, ttlMs = 60_000): ServiceCodeReader {
  const cache = new Map<string, { study: Study | undefined; until: number }>();
  return {
    async studyForServiceCode(serviceCode) {
      const now = clock.now().getTime();
      const hit = cache.get(serviceCode);
      if (hit && hit.until > now) return hit.study;
      const study = await inner.studyForServiceCode(serviceCode);
      cache.set(serviceCode, { study, until: now + ttlMs });
      return study;
    },
  };
}
