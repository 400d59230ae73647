import { type Clock, systemClock } from '../core/ports/clock.js';

/**
 * The clock of every handler. In the local stack it can run fast from a chosen moment, so a
 * study week can be watched in minutes (`npm start -- --clock … --speed …`): simulated time is
 * `SAUTI_CLOCK_START + (real now - SAUTI_CLOCK_ANCHOR) × SAUTI_CLOCK_SPEED`. One real anchor
 * for all handlers keeps them on the same simulated instant. Never in a Lambda.
 */
export function clockFromEnv(env = process.env): Clock {
  if (env.AWS_LAMBDA_FUNCTION_NAME || !env.SAUTI_CLOCK_START) return systemClock;
  const start = Date.parse(env.SAUTI_CLOCK_START);
  const speed = Number(env.SAUTI_CLOCK_SPEED ?? 1);
  // The anchor is read at each call: the stack sets it when it is ready to serve, after the
  // handlers (which make their clocks at import) have loaded.
  return { now: () => fastClock(start, Number(env.SAUTI_CLOCK_ANCHOR ?? Date.now()), speed).now() };
}

/**
 * Real wall-clock milliseconds: only for the fast clock's anchor, which must be real time so
 * that every handler of the stack agrees on the simulated instant.
 */
export function realNowMs(): number {
  return systemClock.now().getTime();
}

export function fastClock(start: number, anchor: number, speed: number): Clock {
  if (!Number.isFinite(start) || !Number.isFinite(anchor) || !(speed > 0)) throw new Error('fast clock: start, anchor and a positive speed are needed');
  return { now: () => new Date(start + (Date.now() - anchor) * speed) };
}
