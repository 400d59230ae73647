import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  armQuotas,
  assign,
  auditOf,
  canonicalInputs,
  inputsHash,
  type DesignArm,
  type RandomizationMethod,
  type RandomizationUnit,
} from '../../functions/core/randomize/assign.js';
import { createRng, deriveRng, RANDOMIZATION_ALGORITHM, RandomizationError, rngFromState } from '../../functions/core/randomize/rng.js';

const twoEqual: DesignArm[] = [
  { armId: 'control', ratio: 1 },
  { armId: 'treatment', ratio: 1 },
];
const threeEqual: DesignArm[] = [
  { armId: 'A', ratio: 1 },
  { armId: 'B', ratio: 1 },
  { armId: 'C', ratio: 1 },
];

function plainUnits(n: number): RandomizationUnit[] {
  return Array.from({ length: n }, (_, i) => ({ id: `u${String(i).padStart(4, '0')}` }));
}

function count(result: ReturnType<typeof assign>, armId: string): number {
  return result.counts.find((c) => c.armId === armId)?.n ?? -1;
}

/** randomizr's bounds: floor(N·p_k) ≤ size ≤ ceiling(N·p_k), with float slack for non-integer ratios. */
function withinQuota(size: number, n: number, ratio: number, total: number): boolean {
  const q = (n * ratio) / total;
  return size >= Math.floor(q - 1e-9) && size <= Math.ceil(q + 1e-9);
}

function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  return observed.reduce((s, o, i) => s + (o - (expected[i] as number)) ** 2 / (expected[i] as number), 0);
}

const seeds = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => from + i);

const arbSeed = fc.integer({ min: 0, max: 0xffff_ffff });
const arbArms = fc
  .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 })
  .map((ratios) => ratios.map((ratio, k) => ({ armId: `arm${k}`, ratio })));
const arbFloatArms = fc
  .array(fc.double({ min: 0.01, max: 10, noNaN: true, noDefaultInfinity: true }), { minLength: 2, maxLength: 4 })
  .map((ratios) => ratios.map((ratio, k) => ({ armId: `arm${k}`, ratio })));

/** Units with blocks and clusters, clusters nested in blocks (cluster name carries its block). */
const arbNestedUnits = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 6 })), { minLength: 1, maxLength: 150 })
  .map((pairs) => pairs.map(([b, c], i) => ({ id: `u${i}`, block: `b${b}`, cluster: `b${b}-c${c}` })));

describe('the generator (xoshiro128** seeded by splitmix64)', () => {
  it('matches the C reference implementations', () => {
    // From Vigna's reference C code (xoshiro128starstar.c, splitmix64.c) compiled with gcc.
    const raw = rngFromState([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => raw.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
    const vectors: [number, number[]][] = [
      [0, [3737715805, 2584255861, 2876756834, 3286328325, 1553311962, 1625202774]],
      [42, [1776835114, 4165204688, 17111135, 2317295270, 2792088233, 2554630222]],
      [4294967295, [331202089, 2303545133, 2732085799, 1755962312, 20464611, 435992899]],
    ];
    for (const [seed, expected] of vectors) {
      const rng = createRng(seed);
      expect(Array.from({ length: 6 }, () => rng.nextUint32())).toEqual(expected);
    }
  });

  it('draws floats in [0, 1), unbiased integers in range, and shuffles into a permutation', () => {
    fc.assert(
      fc.property(arbSeed, fc.integer({ min: 1, max: 1000 }), fc.array(fc.integer(), { maxLength: 50 }), (seed, n, items) => {
        const rng = createRng(seed);
        const f = rng.nextFloat();
        const k = rng.int(n);
        const shuffled = rng.shuffle(items);
        return f >= 0 && f < 1 && Number.isInteger(k) && k >= 0 && k < n && [...shuffled].sort((a, b) => a - b).join() === [...items].sort((a, b) => a - b).join();
      }),
    );
    const rng = createRng(5);
    const hits = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) {
      const k = rng.int(3);
      hits[k] = (hits[k] ?? 0) + 1;
    }
    expect(chiSquare(hits, [10_000, 10_000, 10_000])).toBeLessThan(13.8); // χ²(2), p = 0.001
  });

  it('leaves the input of shuffle untouched and gives independent streams per label', () => {
    const items = [1, 2, 3, 4, 5];
    createRng(1).shuffle(items);
    expect(items).toEqual([1, 2, 3, 4, 5]);
    const a = deriveRng(7, ['block', 'a,b']).nextUint32();
    expect(deriveRng(7, ['block', 'a,b']).nextUint32()).toBe(a);
    expect(deriveRng(7, ['block', 'a', 'b']).nextUint32()).not.toBe(a);
    expect(deriveRng(8, ['block', 'a,b']).nextUint32()).not.toBe(a);
  });

  it('refuses seeds that are not unsigned 32-bit integers', () => {
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => createRng(bad)).toThrowError(RandomizationError);
      expect(() => createRng(bad)).toThrowError(/seed must be an integer from 0 to 4294967295/);
    }
  });
});

describe('arm sizes follow randomizr', () => {
  it('complete: every size is floor or ceiling of N·p_k, and they sum to N', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), arbArms, arbSeed, (n, arms, seed) => {
        const r = assign(plainUnits(n), { method: 'complete', arms }, seed);
        const total = arms.reduce((s, a) => s + a.ratio, 0);
        const values = [...r.assignments.values()];
        return (
          r.assignments.size === n &&
          r.counts.reduce((s, c) => s + c.n, 0) === n &&
          arms.every((a, k) => withinQuota(r.counts[k]?.n ?? -1, n, a.ratio, total) && values.filter((v) => v === a.armId).length === r.counts[k]?.n)
        );
      }),
    );
  });

  it('complete with non-integer ratios: the same bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), arbFloatArms, arbSeed, (n, arms, seed) => {
        const r = assign(plainUnits(n), { method: 'complete', arms }, seed);
        const total = arms.reduce((s, a) => s + a.ratio, 0);
        return r.counts.reduce((s, c) => s + c.n, 0) === n && arms.every((a, k) => withinQuota(r.counts[k]?.n ?? -1, n, a.ratio, total));
      }),
    );
  });

  it('two equal arms and an even N: exactly N/2 each', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), arbSeed, (half, seed) => {
        const r = assign(plainUnits(2 * half), { method: 'complete', arms: twoEqual }, seed);
        return count(r, 'control') === half && count(r, 'treatment') === half;
      }),
    );
  });

  it('block: the rule holds within each block', () => {
    fc.assert(
      fc.property(arbNestedUnits, arbArms, arbSeed, (units, arms, seed) => {
        const r = assign(units, { method: 'block', arms }, seed);
        const total = arms.reduce((s, a) => s + a.ratio, 0);
        const blocks = [...new Set(units.map((u) => u.block))].sort();
        expect(r.byBlock.map((b) => b.block)).toEqual(blocks.flatMap((b) => arms.map(() => b)));
        for (const block of blocks) {
          const inBlock = units.filter((u) => u.block === block);
          for (const [k, arm] of arms.entries()) {
            const n = inBlock.filter((u) => r.assignments.get(u.id) === arm.armId).length;
            expect(r.byBlock.find((b) => b.block === block && b.armId === arm.armId)?.n).toBe(n);
            expect(withinQuota(n, inBlock.length, arm.ratio, total), `block ${block} arm ${k}: ${n} of ${inBlock.length}`).toBe(true);
          }
        }
      }),
    );
  });

  it('cluster: a cluster shares one arm, and cluster counts follow the rule', () => {
    fc.assert(
      fc.property(arbNestedUnits, arbArms, arbSeed, (units, arms, seed) => {
        const r = assign(units, { method: 'cluster', arms }, seed);
        const total = arms.reduce((s, a) => s + a.ratio, 0);
        const clusters = [...new Set(units.map((u) => u.cluster))];
        const armOf = new Map(clusters.map((c) => [c, new Set(units.filter((u) => u.cluster === c).map((u) => r.assignments.get(u.id)))]));
        expect([...armOf.values()].every((s) => s.size === 1)).toBe(true);
        for (const [k, arm] of arms.entries()) {
          const c = clusters.filter((cl) => armOf.get(cl)?.has(arm.armId)).length;
          expect(r.counts[k]?.clusters).toBe(c);
          expect(withinQuota(c, clusters.length, arm.ratio, total)).toBe(true);
          expect(r.counts[k]?.n).toBe(units.filter((u) => r.assignments.get(u.id) === arm.armId).length);
        }
        expect(r.byBlock).toEqual([]);
      }),
    );
  });

  it('block_cluster: clusters share an arm, and cluster counts follow the rule within each block', () => {
    fc.assert(
      fc.property(arbNestedUnits, arbArms, arbSeed, (units, arms, seed) => {
        const r = assign(units, { method: 'block_cluster', arms }, seed);
        const total = arms.reduce((s, a) => s + a.ratio, 0);
        for (const block of new Set(units.map((u) => u.block))) {
          const inBlock = units.filter((u) => u.block === block);
          const clusters = [...new Set(inBlock.map((u) => u.cluster))];
          const armOf = new Map(clusters.map((c) => [c, new Set(inBlock.filter((u) => u.cluster === c).map((u) => r.assignments.get(u.id)))]));
          expect([...armOf.values()].every((s) => s.size === 1)).toBe(true);
          for (const arm of arms) {
            const c = clusters.filter((cl) => armOf.get(cl)?.has(arm.armId)).length;
            const row = r.byBlock.find((b) => b.block === block && b.armId === arm.armId);
            expect(row?.clusters).toBe(c);
            expect(row?.n).toBe(inBlock.filter((u) => r.assignments.get(u.id) === arm.armId).length);
            expect(withinQuota(c, clusters.length, arm.ratio, total)).toBe(true);
          }
        }
      }),
    );
  });

  it('splits with exact integers: floors, fractional remainders and the leftover count', () => {
    expect(armQuotas(10, [1, 1, 1])).toEqual({ floors: [3, 3, 3], weights: [1, 1, 1], remainder: 1 });
    expect(armQuotas(7, [2, 3, 5])).toEqual({ floors: [1, 2, 3], weights: [4, 1, 5], remainder: 1 });
    expect(armQuotas(10, [1, 2, 7])).toEqual({ floors: [1, 2, 7], weights: [0, 0, 0], remainder: 0 });
    // 10 × 0.7 is 7.000000000000001 in floating point: still a whole 7, no fractional part.
    expect(armQuotas(10, [0.1, 0.2, 0.7])).toEqual({ floors: [1, 2, 7], weights: [0, 0, 0], remainder: 0 });
  });
});

describe('determinism', () => {
  it('same inputs and seed: the same assignment and hash whatever the order of units and arms', () => {
    const methods: RandomizationMethod[] = ['complete', 'block', 'cluster', 'block_cluster'];
    fc.assert(
      fc.property(
        arbNestedUnits.chain((units) => fc.tuple(fc.constant(units), fc.shuffledSubarray(units, { minLength: units.length, maxLength: units.length }))),
        arbArms.chain((arms) => fc.tuple(fc.constant(arms), fc.shuffledSubarray(arms, { minLength: arms.length, maxLength: arms.length }))),
        fc.constantFrom(...methods),
        arbSeed,
        ([units, reordered], [arms, reorderedArms], method, seed) => {
          const a = assign(units, { method, arms }, seed);
          const b = assign(reordered, { method, arms: reorderedArms }, seed);
          expect([...b.assignments]).toEqual([...a.assignments]);
          expect(b.inputsHash).toBe(a.inputsHash);
          // Counts follow the caller's arm order (as the researcher defined the arms); same numbers.
          const key = (c: { block?: string; armId: string }): string => `${c.block ?? ''}\u0000${c.armId}`;
          const sorted = <T extends { block?: string; armId: string }>(rows: T[]): T[] => [...rows].sort((x, y) => (key(x) < key(y) ? -1 : 1));
          expect(sorted(b.byBlock)).toEqual(sorted(a.byBlock));
          expect(sorted(b.counts)).toEqual(sorted(a.counts));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a different seed gives a different assignment', () => {
    const units = plainUnits(40);
    let differ = 0;
    for (const seed of seeds(200)) {
      const a = [...assign(units, { method: 'complete', arms: twoEqual }, seed).assignments.values()].join();
      const b = [...assign(units, { method: 'complete', arms: twoEqual }, seed + 1_000_000).assignments.values()].join();
      if (a !== b) differ++;
    }
    expect(differ).toBe(200); // a collision has probability 1/C(40,20) ≈ 7e-12 per pair
  });

  it('a block draws from its own stream: adding a block leaves the others as they were', () => {
    const units = Array.from({ length: 30 }, (_, i) => ({ id: `u${i}`, block: `b${i % 3}` }));
    const before = assign(units, { method: 'block', arms: twoEqual }, 11);
    const after = assign([...units, { id: 'z1', block: 'new' }, { id: 'z2', block: 'new' }], { method: 'block', arms: twoEqual }, 11);
    for (const u of units) expect(after.assignments.get(u.id)).toBe(before.assignments.get(u.id));
  });
});

describe('distribution over seeds (fixed seeds, so never flaky)', () => {
  it('N = 5, two equal arms: 2 or 3 treated, each about half the time', () => {
    const runs = 4000;
    let three = 0;
    for (const seed of seeds(runs)) {
      const t = count(assign(plainUnits(5), { method: 'complete', arms: twoEqual }, seed), 'treatment');
      expect([2, 3]).toContain(t);
      if (t === 3) three++;
    }
    // Binomial(4000, ½): sd ≈ 31.6; allow 4 sd.
    expect(Math.abs(three - runs / 2)).toBeLessThan(4 * Math.sqrt(runs / 4));
  });

  it('N = 10, three equal arms: the extra unit goes to each arm about a third of the time', () => {
    const runs = 3000;
    const extra = [0, 0, 0];
    for (const seed of seeds(runs)) {
      const r = assign(plainUnits(10), { method: 'complete', arms: threeEqual }, seed);
      const sizes = r.counts.map((c) => c.n);
      expect([...sizes].sort()).toEqual([3, 3, 4]);
      const k = sizes.indexOf(4);
      extra[k] = (extra[k] ?? 0) + 1;
    }
    expect(chiSquare(extra, [1000, 1000, 1000])).toBeLessThan(13.8); // χ²(2), p = 0.001
  });

  it('two arms 1:2, N = 4: the larger arm gets the leftover with probability equal to its fractional part (2/3)', () => {
    const runs = 3000;
    let three = 0;
    for (const seed of seeds(runs)) {
      if (count(assign(plainUnits(4), { method: 'complete', arms: [{ armId: 'c', ratio: 1 }, { armId: 't', ratio: 2 }] }, seed), 't') === 3) three++;
    }
    const p = 2 / 3;
    expect(Math.abs(three - runs * p)).toBeLessThan(4 * Math.sqrt(runs * p * (1 - p)));
  });

  it('two leftovers drawn one after another without replacement, as R sample(prob, replace = FALSE) does', () => {
    // Ratios 1:2:2, N = 4: quotas 0.8, 1.6, 1.6 → floors 0, 1, 1 and 2 leftovers with weights .8, .6, .6.
    // Successive sampling gives arm a its extra unit with P = .8/2 + 2 · (.6/2)(.8/1.4) = 0.742857…,
    // not .8: randomizr's rule (and ours) is successive sampling, not exact inclusion probabilities.
    const runs = 4000;
    let aGetsOne = 0;
    for (const seed of seeds(runs)) {
      const r = assign(plainUnits(4), { method: 'complete', arms: [{ armId: 'a', ratio: 1 }, { armId: 'b', ratio: 2 }, { armId: 'c', ratio: 2 }] }, seed);
      expect(r.counts.map((c) => c.n).every((n, k) => n === [0, 1, 1][k] || n === [1, 2, 2][k])).toBe(true);
      if (count(r, 'a') === 1) aGetsOne++;
    }
    const p = 0.4 + 2 * 0.3 * (0.8 / 1.4);
    expect(Math.abs(aGetsOne - runs * p)).toBeLessThan(4 * Math.sqrt(runs * p * (1 - p)));
  });

  it('1:9 with N = 5 treats 4 or 5 half the time each (the prob_each rule, not randomizr two-arm prob quirk)', () => {
    const runs = 2000;
    let five = 0;
    for (const seed of seeds(runs)) {
      const t = count(assign(plainUnits(5), { method: 'complete', arms: [{ armId: 'c', ratio: 1 }, { armId: 't', ratio: 9 }] }, seed), 't');
      expect([4, 5]).toContain(t);
      if (t === 5) five++;
    }
    expect(Math.abs(five - runs / 2)).toBeLessThan(4 * Math.sqrt(runs / 4));
  });

  it('blocks of one unit are treated half the time, independently', () => {
    const units = Array.from({ length: 2000 }, (_, i) => ({ id: `u${i}`, block: `b${i}` }));
    const r = assign(units, { method: 'block', arms: twoEqual }, 3);
    expect(Math.abs(count(r, 'treatment') - 1000)).toBeLessThan(4 * Math.sqrt(500));
  });

  it('cluster: with 5 equal clusters, 2 or 3 treated clusters about half the time each', () => {
    const units = Array.from({ length: 15 }, (_, i) => ({ id: `u${i}`, cluster: `c${i % 5}` }));
    const runs = 2000;
    let three = 0;
    for (const seed of seeds(runs)) {
      const c = assign(units, { method: 'cluster', arms: twoEqual }, seed).counts[1]?.clusters;
      expect([2, 3]).toContain(c);
      if (c === 3) three++;
    }
    expect(Math.abs(three - runs / 2)).toBeLessThan(4 * Math.sqrt(runs / 4));
  });
});

describe('golden assignments (if these change, the algorithm changed: bump RANDOMIZATION_ALGORITHM)', () => {
  const units = Array.from({ length: 8 }, (_, i) => ({ id: `p${i + 1}`, block: i < 4 ? 'dhaka' : 'gazipur', cluster: `f${Math.floor(i / 2)}` }));
  const arms = (r: ReturnType<typeof assign>): string => [...r.assignments.values()].map((a) => (a === 'treatment' ? 'T' : 'C')).join('');

  it('is algorithm sauti-ra-1', () => {
    expect(RANDOMIZATION_ALGORITHM).toBe('sauti-ra-1');
  });

  it('pins one assignment per method for seed 20260101', () => {
    const golden: Record<RandomizationMethod, [string, string]> = {
      complete: ['TTTCCTCC', 'e5034878a9cb4c53b0ffb9b6046c6701f78c882c8bde681da81e952648401a87'],
      block: ['TTCCCTTC', 'be6b604ac5be09822c46654fe1ed5de3e399c56ad27260ad089a6b12ba5af415'],
      cluster: ['TTCCCCTT', '480ca04b454a8caea9135a468b50f20b87fc713c4df278ae8f6dcc38f43b6037'],
      block_cluster: ['CCTTTTCC', '5f71bda1d453807ca53d9ce602284b5219c5bfafd1ad5a4902eb80804fa0e3e4'],
    };
    for (const [method, [pattern, hash]] of Object.entries(golden) as [RandomizationMethod, [string, string]][]) {
      const r = assign(units, { method, arms: twoEqual }, 20260101);
      expect([method, arms(r), r.inputsHash]).toEqual([method, pattern, hash]);
      expect(r.algorithm).toBe('sauti-ra-1');
    }
  });

  it('pins a three-arm assignment', () => {
    const r = assign(plainUnits(10), { method: 'complete', arms: threeEqual }, 7);
    expect([...r.assignments.values()].join('')).toBe('BCBABCBCAA');
    expect(r.counts).toEqual([
      { armId: 'A', n: 3 },
      { armId: 'B', n: 4 },
      { armId: 'C', n: 3 },
    ]);
  });
});

describe('inputs hash and audit', () => {
  const units = [
    { id: 'b', block: 'x', cluster: 'k1' },
    { id: 'a', block: 'x', cluster: 'k1' },
  ];

  it('is the SHA-256 of a canonical JSON of the sorted units and design', () => {
    const json = canonicalInputs(units, { method: 'block', arms: [...twoEqual].reverse() });
    expect(json).toBe(
      '{"design":{"arms":[{"armId":"control","ratio":1},{"armId":"treatment","ratio":1}],"method":"block"},"units":[{"block":"x","id":"a"},{"block":"x","id":"b"}]}',
    );
    expect(inputsHash(units, { method: 'block', arms: twoEqual })).toBe(createHash('sha256').update(json).digest('hex'));
    expect(assign(units, { method: 'block', arms: twoEqual }, 1).inputsHash).toBe(inputsHash(units, { method: 'block', arms: twoEqual }));
  });

  it('covers only what the method uses, and changes with the design', () => {
    const complete = inputsHash(units, { method: 'complete', arms: twoEqual });
    expect(inputsHash(units.map((u) => ({ id: u.id })), { method: 'complete', arms: twoEqual })).toBe(complete);
    expect(inputsHash(units, { method: 'block', arms: twoEqual })).not.toBe(complete);
    expect(inputsHash(units, { method: 'complete', arms: [{ armId: 'control', ratio: 1 }, { armId: 'treatment', ratio: 2 }] })).not.toBe(complete);
  });

  it('makes an audit record with who and when', () => {
    const r = assign(units, { method: 'cluster', arms: twoEqual }, 9);
    const audit = auditOf(r, 'researcher@example.org', '2026-05-01T10:00:00.000Z');
    expect(audit).toEqual({
      algorithm: 'sauti-ra-1',
      seed: 9,
      method: 'cluster',
      inputsHash: r.inputsHash,
      counts: r.counts,
      byBlock: [],
      by: 'researcher@example.org',
      at: '2026-05-01T10:00:00.000Z',
    });
    expect(JSON.parse(JSON.stringify(audit))).toEqual(audit);
  });
});

describe('validation', () => {
  const design = (method: RandomizationMethod, arms: DesignArm[] = twoEqual) => ({ method, arms });
  const cases: [string, () => unknown, RegExp][] = [
    ['no units', () => assign([], design('complete'), 1), /^no units to randomize$/],
    ['duplicate ids', () => assign([{ id: 'a' }, { id: 'b' }, { id: 'a' }], design('complete'), 1), /^duplicate unit id "a"$/],
    ['empty id', () => assign([{ id: '' }], design('complete'), 1), /non-empty id/],
    ['missing block', () => assign([{ id: 'a', block: 'x' }, { id: 'b' }], design('block'), 1), /^unit "b" has no block; method "block" needs a block for every unit$/],
    ['blank block', () => assign([{ id: 'a', block: '' }], design('block_cluster'), 1), /unit "a" has no block/],
    ['missing cluster', () => assign([{ id: 'a' }], design('cluster'), 1), /^unit "a" has no cluster; method "cluster" needs a cluster for every unit$/],
    [
      'cluster in two blocks',
      () => assign([{ id: 'a', block: 'y', cluster: 'k' }, { id: 'b', block: 'x', cluster: 'k' }], design('block_cluster'), 1),
      /^cluster "k" spans blocks "x" and "y"; all units of a cluster must be in one block$/,
    ],
    ['no arms', () => assign([{ id: 'a' }], design('complete', []), 1), /^a design needs at least 1 arm$/],
    ['zero ratio', () => assign([{ id: 'a' }], design('complete', [{ armId: 'c', ratio: 0 }]), 1), /^arm "c" has ratio 0; ratios must be positive numbers$/],
    ['negative ratio', () => assign([{ id: 'a' }], design('complete', [{ armId: 'c', ratio: -1 }, { armId: 't', ratio: 1 }]), 1), /arm "c" has ratio -1/],
    ['NaN ratio', () => assign([{ id: 'a' }], design('complete', [{ armId: 'c', ratio: Number.NaN }]), 1), /arm "c" has ratio NaN/],
    ['duplicate arm', () => assign([{ id: 'a' }], design('complete', [{ armId: 'c', ratio: 1 }, { armId: 'c', ratio: 1 }]), 1), /^duplicate arm "c"$/],
    ['bad seed', () => assign([{ id: 'a' }], design('complete'), -3), /seed must be an integer/],
    ['numeric block from JSON', () => assign(JSON.parse('[{"id":"a","block":7}]') as RandomizationUnit[], design('block'), 1), /^unit "a" has a block or cluster that is not a string$/],
  ];
  it.each(cases)('%s', (_name, run, message) => {
    expect(run).toThrowError(RandomizationError);
    expect(run).toThrowError(message);
  });

  it('ignores blocks and clusters the method does not use, and a single arm takes everyone', () => {
    const r = assign([{ id: 'a', block: 'x', cluster: 'k' }, { id: 'b', block: 'y', cluster: 'k' }], design('cluster'), 1);
    expect(new Set(r.assignments.values()).size).toBe(1);
    const one = assign(plainUnits(3), design('complete', [{ armId: 'only', ratio: 1 }]), 1);
    expect([...one.assignments.values()]).toEqual(['only', 'only', 'only']);
  });
});
