import { createHash } from 'node:crypto';

/**
 * The seeded random numbers behind every assignment.
 *
 * Why not Math.random: it cannot be seeded, and its algorithm is V8's choice (it changed in
 * 2015 and may change again), so an assignment made with it could never be reproduced from the
 * study's seed (invariant 5). This generator is written out here, uses only 32-bit integer
 * operations (Math.imul, shifts) and BigInt for seeding, and so gives the same numbers on every
 * machine, OS and Node version, now and later.
 *
 * - Generator: xoshiro128** 1.1 (Blackman & Vigna), 128-bit state, period 2^128 − 1.
 * - Seeding: splitmix64 (Vigna's reference) from the seed; its first two 64-bit outputs, each
 *   split low word first, are the state words s0..s3. splitmix64 is a bijection of its counter,
 *   so two consecutive outputs are never both zero: the state is never the forbidden all-zero.
 * - Derived streams (per block, per rolling block): the first 8 bytes of SHA-256 over a JSON
 *   array [algorithm, seed, ...labels], read big-endian, seed splitmix64. Labels are JSON strings,
 *   so ['a,b'] and ['a', 'b'] never collide by construction.
 *
 * Any change to what this file returns for a given seed changes assignments: bump
 * RANDOMIZATION_ALGORITHM (the golden tests in test/unit/randomize.test.ts fail to remind you).
 */

/** Stored with every assignment; a study's assignment is reproduced with the same version. */
export const RANDOMIZATION_ALGORITHM = 'sauti-ra-1';
export type RandomizationAlgorithm = typeof RANDOMIZATION_ALGORITHM;

/** Bad randomization input (duplicate ids, missing blocks, bad ratios, …) or state. */
export class RandomizationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RandomizationError';
  }
}

export interface Rng {
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform in [0, 1) with 53 random bits (two 32-bit draws). */
  nextFloat(): number;
  /** Uniform integer in [0, n), n an integer in [1, 2^32]; unbiased (rejection sampling). */
  int(n: number): number;
  /** A uniformly shuffled copy (Fisher–Yates, from the last position down); the input is untouched. */
  shuffle<T>(items: readonly T[]): T[];
}

const TWO_32 = 0x1_0000_0000;
const TWO_53 = 9007199254740992;
const MASK_64 = (1n << 64n) - 1n;

/** Seeds are unsigned 32-bit integers, so they are easy to write down, print and re-enter. */
export function assertSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new RandomizationError(`seed must be an integer from 0 to 4294967295, got ${String(seed)}`);
  }
}

/** Vigna's splitmix64: returns the next output and advances the counter. */
function splitmix64(state: { x: bigint }): bigint {
  state.x = (state.x + 0x9e3779b97f4a7c15n) & MASK_64;
  let z = state.x;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  return z ^ (z >> 31n);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

class Xoshiro128StarStar implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = state.map((w) => w >>> 0) as [number, number, number, number];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) throw new RandomizationError('xoshiro128** state must not be all zero');
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_53;
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) throw new RandomizationError(`int(n) needs an integer n from 1 to 2^32, got ${String(n)}`);
    // Accept only draws below the largest multiple of n, so every residue is equally likely.
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % n;
    }
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }
}

function fromSeed64(seed64: bigint): Rng {
  const sm = { x: seed64 & MASK_64 };
  const a = splitmix64(sm);
  const b = splitmix64(sm);
  return new Xoshiro128StarStar([Number(a & 0xffff_ffffn), Number(a >> 32n), Number(b & 0xffff_ffffn), Number(b >> 32n)]);
}

/** A generator from a 32-bit seed (splitmix64 seeding, see above). */
export function createRng(seed: number): Rng {
  assertSeed(seed);
  return fromSeed64(BigInt(seed));
}

/** A generator with the given raw xoshiro128** state (for reference vectors in tests). */
export function rngFromState(state: readonly [number, number, number, number]): Rng {
  return new Xoshiro128StarStar(state);
}

/**
 * An independent stream for one part of a randomization, e.g. ['block', 'Dhaka'] or
 * ['rolling', stratum, 3]: the same (seed, labels) always give the same numbers, and a part's
 * numbers do not depend on how many other parts there are or in which order they are drawn.
 */
export function deriveRng(seed: number, labels: readonly (string | number)[]): Rng {
  assertSeed(seed);
  const digest = createHash('sha256').update(JSON.stringify([RANDOMIZATION_ALGORITHM, seed, ...labels]), 'utf8').digest();
  return fromSeed64(digest.readBigUInt64BE(0));
}

/** A standard normal draw (Box–Muller, one of the pair), for simulations built on the same generator. */
export function standardNormal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
}
