import { describe, expect, it, vi } from 'vitest';
import { content } from '../../content/index.js';
import type { Logger, ServiceCodeReader } from '../../functions/core/ports/index.js';
import type { UssdHopStore } from '../../functions/core/ussd/hop.js';
import { handleUssd, type UssdDeps } from '../../functions/core/ussd/service.js';
import { NOW, participant, study } from '../support/fixtures.js';

/** Ports that fail on demand: the service must still answer END, never throw. */
function deps(overrides: Partial<UssdDeps> = {}) {
  const log: Logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const studies: ServiceCodeReader = { studyForServiceCode: async (code) => (code === '*384*123#' ? study() : undefined) };
  const store: UssdHopStore = {
    loadHop: async () => ({}),
    saveSession: async () => undefined,
    saveConsent: async () => undefined,
    saveWeek: async () => undefined,
    saveParticipant: async () => undefined,
    saveComplaint: async () => undefined,
    listWeeks: async () => [],
  };
  return { studies, store, content, clock: { now: () => NOW }, newId: () => 'p_1', log, ...overrides } satisfies UssdDeps;
}

const request = { sessionId: 's1', serviceCode: '*384*123#', phoneNumber: '+254711000001', text: '' };

describe('USSD service failure paths', () => {
  it('apologises with END when the store cannot be read, and logs the error without the phone number', async () => {
    const d = deps({ store: { ...deps().store, loadHop: async () => Promise.reject(new Error('throttled')) } });
    expect(await handleUssd(request, d)).toBe(`END ${content.strings.en?.sorry}`);
    expect(d.log.error).toHaveBeenCalledOnce();
    expect(JSON.stringify(vi.mocked(d.log.error).mock.calls)).not.toContain('711000001');
  });

  it('apologises in the participant\'s language when the write fails', async () => {
    const d = deps({
      store: {
        loadHop: async () => ({ participant: participant({ lang: 'sw' }) }),
        saveSession: async () => Promise.reject(new Error('boom')),
        saveConsent: async () => undefined,
        saveWeek: async () => Promise.reject(new Error('boom')),
        saveParticipant: async () => undefined,
        saveComplaint: async () => undefined,
        listWeeks: async () => [],
      },
    });
    expect(await handleUssd(request, d)).toBe(`END ${content.strings.sw?.sorry}`);
  });

  it('says the service is unavailable for an unknown service code or an invalid number', async () => {
    const unavailable = `END ${content.strings.en?.unavailable}`;
    expect(await handleUssd({ ...request, serviceCode: '*999#' }, deps())).toBe(unavailable);
    expect(await handleUssd({ ...request, phoneNumber: 'not-a-number' }, deps())).toBe(unavailable);
  });

  it('apologises when the study lookup fails', async () => {
    const d = deps({ studies: { studyForServiceCode: async () => Promise.reject(new Error('down')) } });
    expect(await handleUssd(request, d)).toMatch(/^END /);
  });
});
