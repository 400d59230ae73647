import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DesignArm } from '../../functions/core/randomize/assign.js';
import { RandomizationError } from '../../functions/core/randomize/rng.js';
import { initialRollingState, nextAssignment, rollingBlock, type RollingState } from '../../functions/core/randomize/rolling.js';

const arbSeed = fc.integer({ min: 0, max: 0xffff_ffff });
const arbArms = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
  .map((ratios) => ratios.map((ratio, k) => ({ armId: `arm${k}`, ratio })));
const oneToTwo: DesignArm[] = [
  { armId: 'control', ratio: 1 },
  { armId: 'treatment', ratio: 2 },
];

/** Enrols `n` people in `stratum`, storing the state as JSON between calls as a caller would. */
function enrol(n: number, stratum: string, arms: DesignArm[], seed: number, multiplier?: number, start?: RollingState): { arms: string[]; state: RollingState | undefined } {
  let stored: string | undefined = start === undefined ? undefined : JSON.stringify(start);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const state = stored === undefined ? undefined : (JSON.parse(stored) as RollingState);
    const next = nextAssignment(state, stratum, arms, seed, multiplier === undefined ? {} : { multiplier });
    out.push(next.armId);
    stored = JSON.stringify(next.state);
  }
  return { arms: out, state: stored === undefined ? undefined : (JSON.parse(stored) as RollingState) };
}

describe('rolling enrolment by permuted blocks', () => {
  it('every complete block holds arm k exactly ratio_k × multiplier times', () => {
    fc.assert(
      fc.property(arbArms, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), arbSeed, (arms, multiplier, blocks, seed) => {
        const size = arms.reduce((s, a) => s + a.ratio, 0) * multiplier;
        const got = enrol(size * blocks, 'dhaka', arms, seed, multiplier).arms;
        for (let b = 0; b < blocks; b++) {
          const block = got.slice(b * size, (b + 1) * size);
          expect(block).toEqual(rollingBlock('dhaka', b, arms, seed, { multiplier }));
          for (const arm of arms) expect(block.filter((x) => x === arm.armId).length).toBe(arm.ratio * multiplier);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('keeps arms within one block of their ratio at every point', () => {
    const got = enrol(100, 's', oneToTwo, 5).arms; // block size 6
    for (let i = 1; i <= got.length; i++) {
      const t = got.slice(0, i).filter((x) => x === 'treatment').length;
      expect(Math.abs(t - (2 / 3) * i)).toBeLessThanOrEqual(4); // ≤ ratio × multiplier
    }
  });

  it('the default multiplier is 2', () => {
    expect(rollingBlock('s', 0, oneToTwo, 1)).toHaveLength(6);
    expect(initialRollingState(oneToTwo, 1).multiplier).toBe(2);
  });

  it('state is plain JSON that round-trips, and moves block by block', () => {
    let state: RollingState | undefined;
    const positions: [number, number][] = [];
    for (let i = 0; i < 7; i++) {
      const next = nextAssignment(state, 'gazipur', oneToTwo, 42);
      positions.push([next.block, next.position]);
      expect(JSON.parse(JSON.stringify(next.state))).toEqual(next.state);
      state = JSON.parse(JSON.stringify(next.state)) as RollingState;
    }
    expect(positions).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
      [0, 5],
      [1, 0],
    ]);
    expect(state).toEqual({
      algorithm: 'sauti-ra-1',
      seed: 42,
      multiplier: 2,
      arms: oneToTwo,
      strata: [{ stratum: 'gazipur', block: 1, position: 1 }],
    });
  });

  it('is reproducible, and a stratum does not depend on the others', () => {
    const alone = enrol(20, 'dhaka', oneToTwo, 77).arms;
    expect(enrol(20, 'dhaka', oneToTwo, 77).arms).toEqual(alone);
    // Interleave arrivals from another stratum: dhaka's sequence is unchanged.
    let state: RollingState | undefined;
    const dhaka: string[] = [];
    for (let i = 0; i < 20; i++) {
      state = nextAssignment(state, 'narayanganj', oneToTwo, 77).state;
      if (i % 3 === 0) state = nextAssignment(state, '__proto__', oneToTwo, 77).state;
      const next = nextAssignment(state, 'dhaka', oneToTwo, 77);
      dhaka.push(next.armId);
      state = next.state;
    }
    expect(dhaka).toEqual(alone);
    expect(state?.strata.map((s) => s.stratum)).toEqual(['__proto__', 'dhaka', 'narayanganj']);
    expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
  });

  it('does not change the state it is given', () => {
    const first = nextAssignment(undefined, 'a', oneToTwo, 3).state;
    const copy = JSON.stringify(first);
    nextAssignment(first, 'a', oneToTwo, 3);
    nextAssignment(first, 'b', oneToTwo, 3);
    expect(JSON.stringify(first)).toBe(copy);
  });

  it('different seeds and strata give different block orders', () => {
    const blocks = new Set<string>();
    for (let seed = 0; seed < 50; seed++) blocks.add(rollingBlock('s', 0, [{ armId: 'a', ratio: 1 }, { armId: 'b', ratio: 1 }], seed, { multiplier: 5 }).join());
    expect(blocks.size).toBeGreaterThan(40); // C(10,5) = 252 orders
    expect(rollingBlock('s', 0, oneToTwo, 9, { multiplier: 4 })).not.toEqual(rollingBlock('t', 0, oneToTwo, 9, { multiplier: 4 }));
  });

  it('golden: pins the first blocks (if this changes, bump RANDOMIZATION_ALGORITHM)', () => {
    const equal: DesignArm[] = [
      { armId: 'control', ratio: 1 },
      { armId: 'treatment', ratio: 1 },
    ];
    expect(rollingBlock('dhaka', 0, equal, 99)).toEqual(['control', 'treatment', 'treatment', 'control']);
    expect(rollingBlock('dhaka', 1, equal, 99)).toEqual(['control', 'control', 'treatment', 'treatment']);
    expect(enrol(6, 'dhaka', oneToTwo, 99).arms).toEqual(['treatment', 'control', 'treatment', 'treatment', 'control', 'treatment']);
  });
});

describe('rolling validation', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['non-integer ratio', () => nextAssignment(undefined, 's', [{ armId: 'a', ratio: 1.5 }, { armId: 'b', ratio: 1 }], 1), /^arm "a" has ratio 1\.5; rolling enrolment needs whole-number ratios/],
    ['zero ratio', () => nextAssignment(undefined, 's', [{ armId: 'a', ratio: 0 }], 1), /^arm "a" has ratio 0; ratios must be positive numbers$/],
    ['no arms', () => nextAssignment(undefined, 's', [], 1), /^a design needs at least 1 arm$/],
    ['duplicate arm', () => nextAssignment(undefined, 's', [{ armId: 'a', ratio: 1 }, { armId: 'a', ratio: 1 }], 1), /^duplicate arm "a"$/],
    ['bad multiplier', () => nextAssignment(undefined, 's', oneToTwo, 1, { multiplier: 0 }), /^block multiplier must be a positive integer, got 0$/],
    ['fractional multiplier', () => nextAssignment(undefined, 's', oneToTwo, 1, { multiplier: 1.5 }), /block multiplier must be a positive integer/],
    ['huge block', () => nextAssignment(undefined, 's', [{ armId: 'a', ratio: 6000 }], 1), /a rolling block would hold 12000 slots/],
    ['bad seed', () => nextAssignment(undefined, 's', oneToTwo, 2 ** 40), /seed must be an integer/],
    ['other arms', () => nextAssignment(initialRollingState(oneToTwo, 1), 's', [{ armId: 'control', ratio: 1 }, { armId: 'treatment', ratio: 1 }], 1), /other arms or ratios/],
    ['other seed', () => nextAssignment(initialRollingState(oneToTwo, 1), 's', oneToTwo, 2), /^rolling state was made with seed 1, not 2$/],
    ['other multiplier', () => nextAssignment(initialRollingState(oneToTwo, 1), 's', oneToTwo, 1, { multiplier: 3 }), /block multiplier 2, not 3/],
    ['other algorithm', () => nextAssignment({ ...initialRollingState(oneToTwo, 1), algorithm: 'sauti-ra-0' }, 's', oneToTwo, 1), /algorithm "sauti-ra-0"; this is "sauti-ra-1"/],
    [
      'impossible position',
      () => nextAssignment({ ...initialRollingState(oneToTwo, 1), strata: [{ stratum: 's', block: 0, position: 6 }] }, 's', oneToTwo, 1),
      /impossible block 0 \/ position 6/,
    ],
  ];
  it.each(cases)('%s', (_name, run, message) => {
    expect(run).toThrowError(RandomizationError);
    expect(run).toThrowError(message);
  });

  it('accepts the arms in any order (state keeps them sorted)', () => {
    const state = initialRollingState([...oneToTwo].reverse(), 1);
    expect(state.arms.map((a) => a.armId)).toEqual(['control', 'treatment']);
    expect(nextAssignment(state, 's', oneToTwo, 1).armId).toBe(nextAssignment(undefined, 's', [...oneToTwo].reverse(), 1).armId);
  });
});
