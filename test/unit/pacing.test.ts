/**
 * The sender's pace per provider (core/sms/pacing.ts) in virtual time: `sleep` records when
 * each caller would wake and moves the clock there; no verdict depends on the machine's speed.
 */
import { describe, expect, it } from 'vitest';
import { instanceRate, Pacer } from '../../functions/core/sms/pacing.js';
import { busiestWindow, virtualTime } from '../support/virtual-time.js';

const virtual = () => virtualTime();

describe('Pacer', () => {
  it('spaces requests at least 1/rate apart, the first at once', async () => {
    const { vt, now, sleep } = virtual();
    const pacer = new Pacer({ requestsPerSecond: 4, now, sleep });
    const at: number[] = [];
    for (let i = 0; i < 9; i += 1) await pacer.call(async () => at.push(vt.t), () => false);
    expect(at).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
    expect(busiestWindow(at)).toBe(4);
  });

  it('does not make up for idle time with a burst', async () => {
    const { vt, now, sleep } = virtual();
    const pacer = new Pacer({ requestsPerSecond: 2, now, sleep });
    await pacer.turn();
    vt.t += 10_000;
    const at: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      await pacer.turn();
      at.push(vt.t);
    }
    expect(at).toEqual([10_000, 10_500, 11_000]);
  });

  it('hands concurrent callers successive turns', async () => {
    const wakes: number[] = [];
    const pacer = new Pacer({ requestsPerSecond: 5, now: () => 0, sleep: async (ms) => { wakes.push(ms); } });
    await Promise.all([pacer.turn(), pacer.turn(), pacer.turn(), pacer.turn()]);
    expect(wakes).toEqual([200, 400, 600]);
  });

  it('a rate-limited answer backs off and asks again, then lets the answer stand after the last backoff', async () => {
    const { vt, now, sleep } = virtual();
    const pacer = new Pacer({ requestsPerSecond: 10, now, sleep, backoffMs: [1000, 2000] });
    const at: number[] = [];
    let refusals = 1;
    const answer = await pacer.call(async () => { at.push(vt.t); return refusals-- > 0 ? 'slow down' : 'ok'; }, (a) => a === 'slow down');
    expect(answer).toBe('ok');
    expect(at).toEqual([0, 1000]);
    // The pause holds for the next request too, then the pace resumes.
    await pacer.call(async () => at.push(vt.t), () => false);
    expect(at[2]).toBe(1100);
    const stuck = await pacer.call(async () => { at.push(vt.t); return 'slow down'; }, (a) => a === 'slow down');
    expect(stuck).toBe('slow down');
    expect(at.slice(3)).toEqual([1200, 2200, 4200]);
  });

  it('splits a cap among instances in whole requests a second where it can', () => {
    expect(instanceRate(10, 2)).toBe(5);
    expect(instanceRate(5, 2)).toBe(2);
    expect(instanceRate(5, 1)).toBe(5);
    expect(instanceRate(5, 10)).toBe(0.5);
    expect(() => new Pacer({ requestsPerSecond: 0 })).toThrow(/positive rate/);
  });
});
