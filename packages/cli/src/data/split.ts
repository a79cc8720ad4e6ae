/**
 * Seeded, disjoint splits of a data set. Disjointness is what makes the held-out accuracy
 * honest: no image used to pretrain or adapt is ever evaluated on.
 */
import { permutation, type SeededRandom } from '@ssh-peft/selection';

/** Source of unbiased uniform integers: the project's seeded PRNG (`createRandom` of `@ssh-peft/selection`). */
export type IntSource = Pick<SeededRandom, 'nextInt'>;

/**
 * Splits 0…total−1 into disjoint named parts of the requested sizes, in a seeded order.
 *
 * @example
 * ```ts
 * const parts = disjointSplit(10000, { pretrain: 4000, adapt: 2000, test: 1000 }, createRandom(7));
 * ```
 */
export function disjointSplit<K extends string>(total: number, sizes: Record<K, number>, random: IntSource): Record<K, Uint32Array> {
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
  const order = permutation(total, random);
  const parts = {} as Record<K, Uint32Array>;
  let offset = 0;
  for (const name of names) {
    parts[name] = order.slice(offset, offset + sizes[name]);
    offset += sizes[name];
  }
  return parts;
}
