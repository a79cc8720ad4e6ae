/**
 * Seeded shuffles, the project's one home for them: whole permutations (data splits, batch
 * orders) and samples of distinct integers (random spectral positions). Both draw only through
 * `nextInt`, which is unbiased, and their outputs are part of what the project reproduces (the
 * demo's splits, selection plans), so each algorithm is fixed as documented.
 */
import { SelectionOptionError } from './errors';
import { randomPermutationPrefix } from './random-positions';
import type { SeededRandom } from './random';

const TWO_32 = 4294967296;

function checkCount(name: string, value: number, max: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new SelectionOptionError(name, `${what}: ${name} ${String(value)} is not an integer in [0, ${max}]`);
  }
}

/**
 * A uniformly random permutation of 0…n−1 by the backward Fisher–Yates shuffle: for i = n−1
 * down to 1, swap entries i and `random.nextInt(i + 1)`.
 *
 * @throws {SelectionOptionError} if `n` is not an integer in [0, 2^32].
 * @example
 * ```ts
 * import { createRandom, permutation } from '@ssh-peft/selection';
 * const order = permutation(10, createRandom(7));   // Uint32Array, each of 0…9 once
 * ```
 */
export function permutation(n: number, random: Pick<SeededRandom, 'nextInt'>): Uint32Array {
  checkCount('n', n, TWO_32, 'permutation');
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/**
 * `k` distinct integers of 0…n−1, uniformly at random, in the order drawn: the first k entries
 * of the forward Fisher–Yates shuffle (step i swaps entries i and i + `random.nextInt(n − i)`),
 * kept sparse, so the cost is O(k) time and memory however large n is. The same stream gives
 * the random share of `selectSpectrum`.
 *
 * @throws {SelectionOptionError} if `n` is not an integer in [0, 2^32] or `k` not in [0, n].
 * @example
 * ```ts
 * import { createRandom, sample } from '@ssh-peft/selection';
 * const positions = sample(768 * 768, 1000, createRandom(3)).sort();   // 1000 distinct flat positions
 * ```
 */
export function sample(n: number, k: number, random: SeededRandom): Uint32Array {
  checkCount('n', n, TWO_32, 'sample');
  checkCount('k', k, n, 'sample');
  return randomPermutationPrefix(random, n, k);
}
