/**
 * Where the k best of a list of non-negative doubles end, without ordering them: a radix
 * selection on the values' bit patterns (a non-negative double's 63 bits order as an unsigned
 * integer). Each level counts one digit of the entries still undecided and keeps only those in
 * the bin holding the k-th value, so the work is one pass over all entries plus passes over a
 * shrinking remainder — O(length), memory O(length of the first crowded bin).
 */
import { HI, LO } from './energy-keys';

/** The k-th best of a list ranked by value descending, then by place in the list ascending. */
export interface TopCut {
  /** The k-th best value: entries above it are among the k best, entries below are not. */
  readonly value: number;
  /** How many entries equal to `value` are among the k best: the first ones in list order. */
  readonly quota: number;
}

/** Digits of the 63-bit pattern, most significant first: [word, shift, bins]. */
const LEVELS: readonly (readonly [word: number, shift: number, bins: number])[] = [
  [HI, 15, 65536],
  [HI, 0, 32768],
  [LO, 16, 65536],
  [LO, 0, 65536],
];

/**
 * The cut of the `k` best of `values[0, length)` (1 ≤ k ≤ length; every value finite and ≥ 0,
 * `+0` for zero), ranked by value descending, ties by lower position.
 */
export function cutTop(values: Float64Array, length: number, k: number): TopCut {
  if (!(k >= 1 && k <= length)) throw new Error(`internal: cut of the ${k} best of ${length} values`);
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * length);
  let histogram = new Uint32Array(65536);
  let above = 0;
  // Slots still undecided (all of them before the first level: `undefined`).
  let slots: Uint32Array | undefined;
  let count = length;
  for (const [word, shift, bins] of LEVELS) {
    const mask = bins - 1;
    if (histogram.length !== bins) histogram = new Uint32Array(bins);
    else histogram.fill(0);
    if (slots === undefined) {
      for (let i = 0; i < length; i++) histogram[(words[2 * i + word]! >>> shift) & mask]!++;
    } else {
      for (let j = 0; j < count; j++) histogram[(words[2 * slots[j]! + word]! >>> shift) & mask]!++;
    }
    let bin = mask;
    for (; bin > 0; bin--) {
      const c = histogram[bin]!;
      if (above + c >= k) break;
      above += c;
    }
    const inBin = histogram[bin]!;
    // Keep the bin's slots (in list order) for the next digit.
    const next = new Uint32Array(inBin);
    let n = 0;
    if (slots === undefined) {
      for (let i = 0; i < length; i++) if (((words[2 * i + word]! >>> shift) & mask) === bin) next[n++] = i;
    } else {
      for (let j = 0; j < count; j++) {
        const s = slots[j]!;
        if (((words[2 * s + word]! >>> shift) & mask) === bin) next[n++] = s;
      }
    }
    slots = next;
    count = inBin;
    if (count === 1) break;
  }
  // All remaining slots hold the same 63 bits: the k-th value.
  return { value: values[slots![0]!]!, quota: k - above };
}
