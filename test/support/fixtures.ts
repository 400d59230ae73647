import { content } from '../../content/index.js';
import type { Participant, Study } from '../../functions/core/model.js';
import { DEMO_SERVICE_CODE, demoStudy } from '../../infra/local/demo.js';

export const NOW = new Date('2026-11-23T09:00:00Z');

export function study(overrides: Partial<Study> = {}): Study {
  return { ...demoStudy(DEMO_SERVICE_CODE, NOW), ...overrides };
}

export function participant(overrides: Partial<Participant> = {}): Participant {
  return {
    studyId: study().studyId,
    participantId: 'p_test',
    phone: '+254711000001',
    lang: 'sw',
    consent: { state: 'consented', version: content.consent.version, at: NOW.toISOString(), channel: 'ussd' },
    source: 'ussd',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    ...overrides,
  };
}
