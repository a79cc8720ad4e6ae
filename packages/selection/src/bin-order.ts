/**
 * Ordering of float32 top-k candidates that are already grouped by the first digit of their rank
 * key (key >>> 15, energy-keys.ts): one counting-sort scatter whose counts the first-digit
 * histogram already holds, then an ordering of each bin by the key's 15 low bits. A bin is small
 * next to all candidates, so its passes run in cache, unlike radix passes over millions of entries.
 */
import { FIRST_DIGIT_BINS } from './energy-keys';

/** Bins at most this long are ordered by insertion; longer ones by two counting passes. */
const INSERTION_MAX = 32;

/**
 * Write cursors of the first-digit bins `thresholdBin` … FIRST_DIGIT_BINS − 1, best (highest) bin
 * first: bin d starts where bin d + 1 ends. Bins above the threshold bin hold `first[d]`
 * candidates; the threshold bin holds the rest of `count`. After the candidates are written
 * through the cursors (`slot = cursors[digit]++`), `cursors[d]` is the end of bin d.
 */
export function binStarts(first: Uint32Array, thresholdBin: number, count: number): Uint32Array {
  const cursors = new Uint32Array(FIRST_DIGIT_BINS);
  let start = 0;
  for (let d = FIRST_DIGIT_BINS - 1; d > thresholdBin; d--) {
    cursors[d] = start;
    start += first[d]!;
  }
  if (start > count) throw new Error(`internal: ${start} candidates above the threshold bin, expected ≤ ${count}`);
  cursors[thresholdBin] = start;
  return cursors;
}

/**
 * Orders each bin's segment of `keys` (31-bit keys sharing their top 16 bits within a bin) by key
 * descending, stably (equal keys keep their order: index order, as collected), moving `indices`
 * along. `ends[d]` is the end of bin d, bins laid out from FIRST_DIGIT_BINS − 1 down to
 * `thresholdBin` (as {@link binStarts} leaves them once the candidates are written).
 */
export function sortWithinBins(keys: Uint32Array, indices: Uint32Array, ends: Uint32Array, thresholdBin: number): void {
  let longest = 0;
  let start = 0;
  for (let d = FIRST_DIGIT_BINS - 1; d >= thresholdBin; d--) {
    const end = ends[d]!;
    if (end - start > longest) longest = end - start;
    start = end;
  }
  if (longest < 2) return;
  const scratchKeys = new Uint32Array(longest > INSERTION_MAX ? longest : 0);
  const scratchIndices = new Uint32Array(scratchKeys.length);
  const low = new Uint32Array(256);
  const high = new Uint32Array(128);
  start = 0;
  for (let d = FIRST_DIGIT_BINS - 1; d >= thresholdBin; d--) {
    const end = ends[d]!;
    const length = end - start;
    if (length > INSERTION_MAX) sortSegment(keys, indices, start, end, scratchKeys, scratchIndices, low, high);
    else if (length > 1) insertionSort(keys, indices, start, end);
    start = end;
  }
}

/** Stable insertion sort of keys[start, end) descending (a strict comparison keeps equal keys in order). */
function insertionSort(keys: Uint32Array, indices: Uint32Array, start: number, end: number): void {
  for (let j = start + 1; j < end; j++) {
    const key = keys[j]!;
    const index = indices[j]!;
    let i = j - 1;
    while (i >= start && keys[i]! < key) {
      keys[i + 1] = keys[i]!;
      indices[i + 1] = indices[i]!;
      i--;
    }
    keys[i + 1] = key;
    indices[i + 1] = index;
  }
}

/**
 * Two stable counting passes over keys[start, end), descending: bits 7…0 into the scratch arrays,
 * then bits 14…8 back into place (the top 16 bits are the bin's, the same for all).
 */
function sortSegment(keys: Uint32Array, indices: Uint32Array, start: number, end: number, scratchKeys: Uint32Array, scratchIndices: Uint32Array, low: Uint32Array, high: Uint32Array): void {
  const length = end - start;
  low.fill(0);
  high.fill(0);
  for (let i = start; i < end; i++) {
    const key = keys[i]!;
    low[key & 0xff]!++;
    high[(key >>> 8) & 0x7f]!++;
  }
  // Descending: the largest digit's bucket comes first.
  let next = 0;
  for (let digit = 255; digit >= 0; digit--) {
    const c = low[digit]!;
    low[digit] = next;
    next += c;
  }
  next = start;
  for (let digit = 127; digit >= 0; digit--) {
    const c = high[digit]!;
    high[digit] = next;
    next += c;
  }
  for (let i = start; i < end; i++) {
    const key = keys[i]!;
    const slot = low[key & 0xff]!++;
    scratchKeys[slot] = key;
    scratchIndices[slot] = indices[i]!;
  }
  for (let i = 0; i < length; i++) {
    const key = scratchKeys[i]!;
    const slot = high[(key >>> 8) & 0x7f]!++;
    keys[slot] = key;
    indices[slot] = scratchIndices[i]!;
  }
}
