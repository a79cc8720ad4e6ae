import { FIRST_DIGIT_BINS, float32Bits, HI, LO, scanEnergies } from './energy-keys';
import { binStarts, sortWithinBins } from './bin-order';
import { RankedHeap } from './ranked-heap';

/** Positions of one layer in ranking order, with their energies. */
export interface RankedPositions {
  /** Flat positions, best first: energy descending, ties by lower flat index. */
  readonly indices: Uint32Array;
  /** H² at each of `indices`. */
  readonly energies: Float64Array;
}

/** `'auto'` picks by size; the others force one path (tests check both against a full sort). */
export type TopKMethod = 'auto' | 'heap' | 'histogram';

/** Below this many positions a bounded heap is cheaper than the histograms (their bins alone are 384 KiB). */
export const HISTOGRAM_MIN_N = 65536;

/**
 * The `k` highest-energy positions of a spectrum (energy = H²), ordered by energy descending,
 * ties broken by the lower flat index — never a sort of all n energies, memory O(k).
 *
 * - heap (small spectra): one pass with a bounded heap.
 * - histogram (`'auto'` when n ≥ 65536): selection by threshold on the energies' rank keys
 *   (energy-keys.ts). A histogram of the first key digit — `firstDigits`, when the caller already
 *   counted it while summing the energies — gives the bin holding the k-th energy; if that bin is
 *   crowded, one more counting pass over it refines the threshold (float64 spectra, whose keys
 *   have 63 bits, may refine twice more). One pass then collects the entries above the threshold
 *   and, in index order, only as many entries at the threshold as are still needed; the order of
 *   those ≤ k + (a bounded bin) candidates by key comes from a stable sort: float32 candidates are
 *   scattered by that pass straight into their first-digit bins (whose counts the histogram
 *   holds), then each bin is ordered by the 15 low key bits in cache (bin-order.ts); float64 ones
 *   by radix passes over all candidates. Exact for any ties: entries equal to the k-th energy are
 *   taken lowest index first.
 */
export function topEnergyPositions(spectrum: Float32Array | Float64Array, k: number, method: TopKMethod = 'auto', firstDigits?: Uint32Array): RankedPositions {
  const n = spectrum.length;
  const kept = Math.max(0, Math.min(k, n));
  const useHistogram = method === 'histogram' || (method === 'auto' && n >= HISTOGRAM_MIN_N);
  if (kept === 0) return { indices: new Uint32Array(0), energies: new Float64Array(0) };
  if (!useHistogram) return topByHeap(spectrum, kept);
  let histogram = firstDigits;
  if (histogram === undefined) {
    histogram = new Uint32Array(FIRST_DIGIT_BINS);
    scanEnergies(spectrum, histogram);
  }
  return spectrum instanceof Float32Array ? topFloat32(spectrum, kept, histogram) : topFloat64(spectrum, kept, histogram);
}

export function topByHeap(spectrum: Float32Array | Float64Array, kept: number): RankedPositions {
  const n = spectrum.length;
  const heap = new RankedHeap(kept);
  for (let i = 0; i < kept; i++) {
    const h = spectrum[i]!;
    heap.offer(h * h, i);
  }
  // Scanning in index order, an equal energy never beats the kept one (its index is higher),
  // so the strict `>` against the root's energy is the whole admission test.
  let worst = heap.worstScore;
  for (let i = kept; i < n; i++) {
    const h = spectrum[i]!;
    const e = h * h;
    if (e > worst) {
      heap.replaceWorst(e, i);
      worst = heap.worstScore;
    }
  }
  const order = heap.rankedSlots();
  const indices = new Uint32Array(order.length);
  const energies = new Float64Array(order.length);
  for (let r = 0; r < order.length; r++) {
    indices[r] = heap.keyAt(order[r]!);
    energies[r] = heap.scoreAt(order[r]!);
  }
  return { indices, energies };
}

/**
 * Where the k-th best entry falls in a digit histogram: the bin `bin` such that the entries in
 * higher bins (`above` more, on top of those already above) are fewer than `k` and with the bin
 * they reach `k`.
 */
export function boundaryBin(histogram: Uint32Array, bins: number, k: number, above: number): { bin: number; above: number } {
  let bin = bins - 1;
  for (; bin > 0; bin--) {
    const c = histogram[bin]!;
    if (above + c >= k) break;
    above += c;
  }
  return { bin, above };
}

/**
 * A crowded boundary bin is refined by one more counting pass when it holds more than this many
 * entries beyond k: the candidates to sort then stay ≤ k + this bound.
 */
export function crowded(binCount: number, k: number): boolean {
  return binCount > Math.max(65536, k);
}

function topFloat32(spectrum: Float32Array, k: number, first: Uint32Array): RankedPositions {
  const n = spectrum.length;
  const bits = float32Bits(spectrum);
  // The threshold key `t` (its top `width` bits known so far): entries with key >>> shift > t
  // are in for sure, those equal to t are at the boundary.
  let { bin: t, above } = boundaryBin(first, FIRST_DIGIT_BINS, k, 0);
  let boundary = first[t]!;
  let shift = 15;
  if (crowded(boundary, k)) {
    const second = new Uint32Array(32768);
    for (let i = 0; i < n; i++) {
      const key = bits[i]! & 0x7fffffff;
      if (key >>> 15 === t) second[key & 0x7fff]!++;
    }
    const refined = boundaryBin(second, 32768, k, above);
    above = refined.above;
    boundary = second[refined.bin]!;
    t = (t << 15) | refined.bin;
    shift = 0;
  }
  // With the full key known (shift 0), boundary entries tie exactly: the first ones in index
  // order are the ones to take. Otherwise all of them are candidates, ordered below.
  const quota = shift === 0 ? k - above : boundary;
  const count = above + quota;
  // The first-digit histogram already says where every candidate goes by its first digit: the
  // collecting pass scatters them straight into their bins (best bin first, index order within a
  // bin), and only each bin, small enough to stay in cache, is then ordered by the 15 low bits.
  const thresholdBin = shift === 0 ? t >>> 15 : t;
  const ends = binStarts(first, thresholdBin, count);
  const keys = new Uint32Array(count);
  const indices = new Uint32Array(count);
  if (shift !== 0) {
    const lowest = t << shift;
    for (let i = 0; i < n; i++) {
      const key = bits[i]! & 0x7fffffff;
      if (key >= lowest) {
        const slot = ends[key >>> 15]!++;
        keys[slot] = key;
        indices[slot] = i;
      }
    }
  } else {
    let left = quota;
    for (let i = 0; i < n; i++) {
      const key = bits[i]! & 0x7fffffff;
      if (key > t || (key === t && left-- > 0)) {
        const slot = ends[key >>> 15]!++;
        keys[slot] = key;
        indices[slot] = i;
      }
    }
  }
  sortWithinBins(keys, indices, ends, thresholdBin);
  // The keys are |H| as float32 bits: |H|·|H| is H², read sequentially instead of from the spectrum.
  const magnitudes = new Float32Array(keys.buffer, keys.byteOffset, k);
  const energies = new Float64Array(k);
  for (let r = 0; r < k; r++) {
    const h = magnitudes[r]!;
    energies[r] = h * h;
  }
  return { indices: count === k ? indices : indices.slice(0, k), energies };
}

export function topFloat64(spectrum: Float64Array, k: number, first: Uint32Array): RankedPositions {
  const n = spectrum.length;
  const pun = new Float64Array(1);
  const words = new Uint32Array(pun.buffer);
  // Threshold digits found so far on the 63-bit key (hi: 31 bits, lo: 32 bits), most significant
  // first: `prefixHi` holds the top (31 − hiShift) bits of hi; when hiShift is 0, `prefixLo` the
  // top (32 − loShift) bits of lo. An entry compares with the prefix by its own top bits.
  let { bin: prefixHi, above } = boundaryBin(first, FIRST_DIGIT_BINS, k, 0);
  let boundary = first[prefixHi]!;
  let hiShift = 15;
  let prefixLo = 0;
  let loShift = 32;
  /** −1 / 0 / 1: the entry's key is below / at / above the current prefix. */
  const compare = (hi: number, lo: number): number => {
    const h = hi >>> hiShift;
    if (h !== prefixHi) return h > prefixHi ? 1 : -1;
    if (loShift === 32) return 0;
    const l = lo >>> loShift;
    return l === prefixLo ? 0 : l > prefixLo ? 1 : -1;
  };
  // Refinement levels: (digit of hi or lo, width): hi bits 14…0, lo bits 31…16, lo bits 15…0.
  const levels: [word: 'hi' | 'lo', shift: number, bins: number][] = [
    ['hi', 0, 32768],
    ['lo', 16, 65536],
    ['lo', 0, 65536],
  ];
  for (const [word, shift, bins] of levels) {
    if (!crowded(boundary, k)) break;
    const histogram = new Uint32Array(bins);
    for (let i = 0; i < n; i++) {
      const h = spectrum[i]!;
      pun[0] = h * h;
      const hi = words[HI]!;
      const lo = words[LO]!;
      if (compare(hi, lo) === 0) histogram[((word === 'hi' ? hi : lo) >>> shift) & (bins - 1)]!++;
    }
    const refined = boundaryBin(histogram, bins, k, above);
    above = refined.above;
    boundary = histogram[refined.bin]!;
    if (word === 'hi') {
      prefixHi = (prefixHi << 15) | refined.bin;
      hiShift = 0;
    } else if (loShift === 32) {
      prefixLo = refined.bin;
      loShift = 16;
    } else {
      prefixLo = ((prefixLo << 16) | refined.bin) >>> 0;
      loShift = 0;
    }
  }
  const exact = hiShift === 0 && loShift === 0;
  const quota = exact ? k - above : boundary;
  const count = above + quota;
  const his = new Uint32Array(count);
  const los = new Uint32Array(count);
  const indices = new Uint32Array(count);
  let c = 0;
  let atBoundary = 0;
  for (let i = 0; i < n; i++) {
    const h = spectrum[i]!;
    pun[0] = h * h;
    const hi = words[HI]!;
    const lo = words[LO]!;
    const side = compare(hi, lo);
    if (side > 0 || (side === 0 && atBoundary++ < quota)) {
      his[c] = hi;
      los[c] = lo;
      indices[c++] = i;
    }
  }
  sortDescendingStable([los, his], indices, [32, 31]);
  const energies = new Float64Array(k);
  for (let r = 0; r < k; r++) {
    const h = spectrum[indices[r]!]!;
    energies[r] = h * h;
  }
  return { indices: count === k ? indices : indices.slice(0, k), energies };
}

/** Key words and positions moved together by the radix passes. */
interface SortLanes {
  lo: Uint32Array;
  hi: Uint32Array;
  indices: Uint32Array;
}

const RADIX_BITS = 11;
const RADIX_BUCKETS = 1 << RADIX_BITS;
const RADIX_MASK = RADIX_BUCKETS - 1;

/**
 * Sorts entries by their key descending, stably, by least-significant-digit radix passes of 11
 * bits (2048 buckets: the scatter's write streams stay in cache, unlike 65536 buckets): `words` are the key's 32-bit words least significant first (`widths` their bit counts),
 * moved together with `indices` (sorted in place). Passes whose digit is the same for all entries
 * are skipped. Returns the sorted least significant key word.
 */
function sortDescendingStable(words: Uint32Array[], indices: Uint32Array, widths: number[]): Uint32Array {
  const m = indices.length;
  if (m < 2) return words[0]!;
  const counts = new Uint32Array(RADIX_BUCKETS);
  const two = words.length === 2;
  let from: SortLanes = { lo: words[0]!, hi: two ? words[1]! : words[0]!, indices };
  let to: SortLanes = { lo: new Uint32Array(m), hi: two ? new Uint32Array(m) : new Uint32Array(0), indices: new Uint32Array(m) };
  for (let w = 0; w < words.length; w++) {
    for (let shift = 0; shift < widths[w]!; shift += RADIX_BITS) {
      const source = w === 0 ? from.lo : from.hi;
      counts.fill(0);
      for (let i = 0; i < m; i++) counts[(source[i]! >>> shift) & RADIX_MASK]!++;
      if (counts[(source[0]! >>> shift) & RADIX_MASK] === m) continue;
      // Descending: the largest digit's bucket starts at 0.
      let start = 0;
      for (let d = RADIX_BUCKETS - 1; d >= 0; d--) {
        const c = counts[d]!;
        counts[d] = start;
        start += c;
      }
      const { lo, hi, indices: index } = from;
      const toLo = to.lo;
      const toHi = to.hi;
      const toIndex = to.indices;
      if (two) {
        for (let i = 0; i < m; i++) {
          const slot = counts[(source[i]! >>> shift) & RADIX_MASK]!++;
          toLo[slot] = lo[i]!;
          toHi[slot] = hi[i]!;
          toIndex[slot] = index[i]!;
        }
      } else {
        for (let i = 0; i < m; i++) {
          const slot = counts[(source[i]! >>> shift) & RADIX_MASK]!++;
          toLo[slot] = lo[i]!;
          toIndex[slot] = index[i]!;
        }
      }
      [from, to] = [to, from];
    }
  }
  if (from.indices !== indices) indices.set(from.indices);
  return from.lo;
}
