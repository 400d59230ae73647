import { beforeAll, describe, expect, inject, it } from 'vitest';
import { fuzzApiRoutes, fuzzCallbackRoutes, type HttpFuzzWorld, httpFuzzWorld } from './fuzz-http.js';
import { fuzzContent, fuzzCsv, fuzzSms } from './fuzz-parsers.js';
import type { FuzzResult } from './fuzz-strings.js';

/** The short version of `npm run reliability -- --only fuzz`: modest run counts. */
let unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

function expectClean(r: FuzzResult): void {
  const text = `${r.name}: ${r.runs} runs, ${r.rejected} rejected\n${[...r.problems, ...r.examples].join('\n')}`;
  console.log(text);
  expect(r.problems, text).toEqual([]);
  expect([r.http5xx, r.thrown, r.stateChanges], text).toEqual([0, 0, 0]);
  expect(r.runs, text).toBeGreaterThan(0);
}

describe('reliability: hostile input', () => {
  beforeAll(() => {
    unhandled = [];
    // The HTTP world sets the handlers' environment; the next test file in this worker must not inherit it.
    const env = { ...process.env };
    process.on('unhandledRejection', onUnhandled);
    return () => {
      process.off('unhandledRejection', onUnhandled);
      for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
      Object.assign(process.env, env);
    };
  });

  it('SMS bodies: keywords, diary replies and complaints never throw; accepted replies are in range', () => {
    const r = fuzzSms(1500);
    expectClean(r);
    expect(r.rejected).toBeGreaterThan(0);
  });

  it('CSV enrolment: never throws; refusals carry a line and a message; accepted rows are valid', () => {
    expectClean(fuzzCsv(400));
  });

  it('content files, mutated: the check never throws and refuses broken content', () => {
    const r = fuzzContent(150);
    expectClean(r);
    expect(r.rejected).toBeGreaterThan(0);
  });

  describe('HTTP routes on DynamoDB Local', () => {
    let w: HttpFuzzWorld;
    beforeAll(async () => {
      w = await httpFuzzWorld(inject('dynamoEndpoint'));
    });

    it('callbacks, USSD and health: no 5xx, USSD screens fit, rejected requests change nothing', async () => {
      const r = await fuzzCallbackRoutes(w, 25);
      expectClean(r);
      expect(r.rejected).toBeGreaterThan(0);
    });

    it('admin API, every route: no 5xx, rejected requests change nothing', async () => {
      const r = await fuzzApiRoutes(w, 150);
      expectClean(r);
      expect(r.rejected).toBeGreaterThan(0);
      expect(unhandled).toEqual([]);
    });
  });
});
