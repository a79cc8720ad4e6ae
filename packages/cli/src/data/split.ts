/**
 * Seeded, disjoint splits of a data set. Disjointness is what makes the held-out accuracy
 * honest: no image used to pretrain or adapt is ever evaluated on.
 */

/** Source of uniform 32-bit integers (the project's seeded PRNG from `@ssh-peft/selection`). */
export interface UintSource {
  nextUint32(): number;
}

/** A uniform integer in [0, bound) without modulo bias (rejection sampling). */
export function uniformBelow(random: UintSource, bound: number): number {
  if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32) throw new RangeError(`uniformBelow: bound ${bound} is not an integer in [1, 2^32]`);
  const limit = 2 ** 32 - (2 ** 32 % bound);
  for (;;) {
    const value = random.nextUint32() >>> 0;
    if (value < limit) return value % bound;
  }
}

/** A seeded Fisher–Yates permutation of 0…n−1. */
export function seededPermutation(n: number, random: UintSource): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = uniformBelow(random, i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * Splits 0…total−1 into disjoint named parts of the requested sizes, in a seeded order.
 *
 * @example
 * ```ts
 * const parts = disjointSplit(10000, { pretrain: 4000, adapt: 2000, test: 1000 }, createRandom(7));
 * ```
 */
export function disjointSplit<K extends string>(total: number, sizes: Record<K, number>, random: UintSource): Record<K, Uint32Array> {
  const names = Object.keys(sizes) as K[];
  let needed = 0;
  for (const name of names) {
    const size = sizes[name];
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`disjointSplit: size of '${name}' must be a positive integer, got ${size}`);
    needed += size;
  }
  if (needed > total) {
    throw new RangeError(`disjointSplit: the parts need ${needed} items (${names.map((n) => `${n} ${sizes[n]}`).join(', ')}) but only ${total} exist`);
  }
  const order = seededPermutation(total, random);
  const parts = {} as Record<K, Uint32Array>;
  let offset = 0;
  for (const name of names) {
    parts[name] = order.slice(offset, offset + sizes[name]);
    offset += sizes[name];
  }
  return parts;
}
