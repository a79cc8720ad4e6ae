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
  const wide = new Uint32Array(65536);
  const narrow = new Uint32Array(32768);
  let above = 0;
  // Slots still undecided, in list order (before the first level: all of them).
  let slots: Uint32Array | undefined;
  for (const [word, shift, bins] of LEVELS) {
    const histogram = bins === 65536 ? wide : narrow;
    histogram.fill(0);
    if (slots === undefined) countAll(words, length, word, shift, bins - 1, histogram);
    else countSlots(words, slots, word, shift, bins - 1, histogram);
    let bin = bins - 1;
    for (; bin > 0; bin--) {
      const c = histogram[bin]!;
      if (above + c >= k) break;
      above += c;
    }
    const next = new Uint32Array(histogram[bin]!);
    if (slots === undefined) gatherAll(words, length, word, shift, bins - 1, bin, next);
    else gatherSlots(words, slots, word, shift, bins - 1, bin, next);
    slots = next;
    if (slots.length === 1) break;
  }
  // All remaining slots hold the same 63 bits: the k-th value.
  return { value: values[slots![0]!]!, quota: k - above };
}

function countAll(words: Uint32Array, length: number, word: number, shift: number, mask: number, histogram: Uint32Array): void {
  for (let i = 0; i < length; i++) histogram[(words[2 * i + word]! >>> shift) & mask]!++;
}

function countSlots(words: Uint32Array, slots: Uint32Array, word: number, shift: number, mask: number, histogram: Uint32Array): void {
  for (let j = 0; j < slots.length; j++) histogram[(words[2 * slots[j]! + word]! >>> shift) & mask]!++;
}

function gatherAll(words: Uint32Array, length: number, word: number, shift: number, mask: number, bin: number, out: Uint32Array): void {
  let n = 0;
  for (let i = 0; i < length; i++) if (((words[2 * i + word]! >>> shift) & mask) === bin) out[n++] = i;
}

function gatherSlots(words: Uint32Array, slots: Uint32Array, word: number, shift: number, mask: number, bin: number, out: Uint32Array): void {
  let n = 0;
  for (let j = 0; j < slots.length; j++) {
    const s = slots[j]!;
    if (((words[2 * s + word]! >>> shift) & mask) === bin) out[n++] = s;
  }
}
