/** A labelled data set as flat typed arrays: row i is `x[i*width … (i+1)*width)`. */
export interface LabelledSet {
  readonly count: number;
  /** Features per example (784 pixels or `seqLen` token ids). */
  readonly width: number;
  readonly x: Float32Array;
  readonly labels: Uint8Array;
}

/** The rows at `indices`, in that order, as a new set. */
export function takeRows(set: LabelledSet, indices: ArrayLike<number>): LabelledSet {
  const x = new Float32Array(indices.length * set.width);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= set.count) throw new RangeError(`takeRows: index ${r} at position ${i} is outside [0, ${set.count})`);
    x.set(set.x.subarray(r * set.width, (r + 1) * set.width), i * set.width);
    labels[i] = set.labels[r];
  }
  return { count: indices.length, width: set.width, x, labels };
}

/** Source of uniform integers (the project's `createRandom` from @ssh-peft/selection). */
export interface IntSource {
  nextInt(bound: number): number;
}

/** A seeded Fisher–Yates permutation of 0…n−1. */
export function seededPermutation(n: number, random: IntSource): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * Disjoint parts of 0…total−1 of the requested sizes, in a seeded order: no example is
 * in two parts, so validation and test accuracies are on unseen data.
 *
 * @example
 * ```ts
 * const parts = disjointSplit(1000, { adapt: 500, val: 200, test: 300 }, createRandom(1));
 * ```
 */
export function disjointSplit<K extends string>(total: number, sizes: Record<K, number>, random: IntSource): Record<K, Uint32Array> {
  const names = Object.keys(sizes) as K[];
  const needed = names.reduce((a, k) => a + sizes[k], 0);
  for (const k of names) if (!Number.isInteger(sizes[k]) || sizes[k] < 1) throw new RangeError(`disjointSplit: size of '${k}' must be a positive integer, got ${sizes[k]}`);
  if (needed > total) throw new RangeError(`disjointSplit: parts need ${needed} examples (${names.map((k) => `${k} ${sizes[k]}`).join(', ')}) but only ${total} exist`);
  const order = seededPermutation(total, random);
  const out = {} as Record<K, Uint32Array>;
  let offset = 0;
  for (const k of names) {
    out[k] = order.slice(offset, offset + sizes[k]);
    offset += sizes[k];
  }
  return out;
}
