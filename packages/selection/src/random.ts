import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { deterministicLog } from './deterministic-log';
import { SelectionOptionError } from './errors';

/** The project's seeded PRNG: the same numbers for the same seed on every platform and engine. */
export interface SeededRandom {
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number;
  /** Standard normal N(0, 1) (Marsaglia's polar method). */
  nextNormal(): number;
  /** Uniform integer in [0, bound), unbiased (rejection sampling); `bound` an integer in [1, 2^32]. */
  nextInt(bound: number): number;
}

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;
const GOLDEN = 0x9e3779b9;

/** SplitMix32-style finaliser of `x + k·γ` (a bijection of 32-bit words for fixed k). */
function splitmix32(x: number, k: number): number {
  let z = (x + Math.imul(k, GOLDEN)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) | 0;
}

/**
 * Creates the project's deterministic PRNG (used for the random share of the selection, the
 * adapter's `'normal'` initialisation and the baselines).
 *
 * Algorithm: xoroshiro128+ (pure-rand 8's implementation). Seeding: the seed (any safe integer,
 * negative ones as 64-bit two's complement) is split into its low and high 32-bit words `lo`, `hi`;
 * the 128-bit state is `[splitmix32(hi, 1), splitmix32(lo, 1), splitmix32(hi, 2), splitmix32(lo, 2)]`
 * (pure-rand's `[s01, s00, s11, s10]` order), where splitmix32(x, k) = fmix(x + k·0x9e3779b9) with
 * the SplitMix32 constants 0x21f0aaad / 0x735a2d97 — distinct seeds give distinct states.
 * `nextUint32` is one generator output as unsigned; `nextDouble` = ((a >>> 5)·2^26 + (b >>> 6)) / 2^53
 * from two outputs; `nextNormal` is Marsaglia's polar method on two `nextDouble`s mapped to (−1, 1),
 * rejecting s ∉ (0, 1), with the logarithm computed from basic IEEE operations (`Math.log` may
 * differ in the last bit between engines) and the second value cached for the next call;
 * `nextInt(bound)` rejects `nextUint32` draws ≥ ⌊2^32/bound⌋·bound and returns the rest mod bound.
 *
 * @throws {SelectionOptionError} if `seed` is not a safe integer.
 * @example
 * ```ts
 * import { createRandom } from '@ssh-peft/selection';
 * const r = createRandom(42);
 * const u = r.nextDouble();   // [0, 1)
 * const z = r.nextNormal();   // N(0, 1)
 * createRandom(42).nextUint32() === createRandom(42).nextUint32(); // true
 * ```
 */
export function createRandom(seed: number): SeededRandom {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new SelectionOptionError('seed', `createRandom: seed ${String(seed)} is not a safe integer`);
  }
  const wide = BigInt.asUintN(64, BigInt(seed));
  const lo = Number(wide & 0xffffffffn) | 0;
  const hi = Number(wide >> 32n) | 0;
  const state: number[] = [splitmix32(hi, 1), splitmix32(lo, 1), splitmix32(hi, 2), splitmix32(lo, 2)];
  // The all-zero state is xoroshiro's one fixed point; no seed maps to it in practice, but guard anyway.
  if (!state.some((s) => s !== 0)) state[0] = GOLDEN | 0;
  const generator = xoroshiro128plusFromState(state);
  let spare = 0;
  let hasSpare = false;

  const nextUint32 = (): number => generator.next() >>> 0;
  const nextDouble = (): number => {
    const a = generator.next() >>> 5;
    const b = generator.next() >>> 6;
    return (a * 67108864 + b) / TWO_53;
  };
  return {
    nextUint32,
    nextDouble,
    nextNormal(): number {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      for (;;) {
        const u = 2 * nextDouble() - 1;
        const v = 2 * nextDouble() - 1;
        const s = u * u + v * v;
        if (s >= 1 || s === 0) continue;
        const f = Math.sqrt((-2 * deterministicLog(s)) / s);
        spare = v * f;
        hasSpare = true;
        return u * f;
      }
    },
    nextInt(bound: number): number {
      if (!Number.isSafeInteger(bound) || bound < 1 || bound > TWO_32) {
        throw new SelectionOptionError('bound', `nextInt: bound ${String(bound)} is not an integer in [1, 2^32]`);
      }
      if (bound === TWO_32) return nextUint32();
      const limit = Math.floor(TWO_32 / bound) * bound;
      for (;;) {
        const x = nextUint32();
        if (x < limit) return x % bound;
      }
    },
  };
}

export { layerStreamSeed } from './layer-seeds';
