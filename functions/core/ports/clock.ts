/** Calendar time has one source: this port (test/unit/clock-source.test.ts enforces it). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
