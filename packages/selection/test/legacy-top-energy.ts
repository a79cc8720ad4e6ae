/**
 * The top-k implementation the selection used before the histogram selection (sampled threshold +
 * counting pass + 64-bit radix order, bounded heap as fallback), kept verbatim as a slow reference:
 * the fast path must return exactly the same positions and energies, and plans made with it must be
 * byte-identical (test/top-energy.test.ts).
 */
import { RankedHeap } from '../src/ranked-heap';
import type { RankedPositions } from '../src/top-energy';
/** `'auto'` picks by size; the others force one path (tests check both against a full sort). */
export type LegacyTopKMethod = 'auto' | 'heap' | 'threshold';

/** Below this k the heap is cheap whatever n is (its admission test almost always fails). */
const THRESHOLD_MIN_K = 4096;
/** Sample size for estimating the k-th largest energy. */
const SAMPLE_SIZE = 16384;

/**
 * The `k` highest-energy positions of a spectrum (energy = H²), ordered by energy descending,
 * ties broken by the lower flat index — never a sort of all n energies, memory O(k).
 *
 * - heap (small k): one pass with a bounded heap; O(n) comparisons + O(log k) per admitted entry.
 * - threshold (large k, `'auto'` when k ≥ 4096 and n ≥ 4k): estimate the k-th largest energy
 *   from a strided sample, lowered by a 3σ margin; count the energies ≥ it, collect those
 *   (≈ k of them), sort only those. Exact whatever the estimate: if fewer than k pass, or far
 *   more than k (heavy ties), it falls back to the heap.
 */
export function legacyTopEnergyPositions(spectrum: Float32Array | Float64Array, k: number, method: LegacyTopKMethod = 'auto'): RankedPositions {
  const n = spectrum.length;
  const kept = Math.min(k, n);
  const useThreshold = method === 'threshold' || (method === 'auto' && kept >= THRESHOLD_MIN_K && n >= 4 * kept);
  if (useThreshold && kept > 0 && kept < n) {
    const viaThreshold = topByThreshold(spectrum, kept);
    if (viaThreshold !== undefined) return viaThreshold;
  }
  return topByHeap(spectrum, kept);
}

function topByHeap(spectrum: Float32Array | Float64Array, kept: number): RankedPositions {
  const n = spectrum.length;
  const heap = new RankedHeap(kept);
  if (kept > 0) {
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

/** Threshold path; `undefined` when the estimate lets through fewer than k or more than 4k + 1024 entries. */
function topByThreshold(spectrum: Float32Array | Float64Array, kept: number): RankedPositions | undefined {
  const n = spectrum.length;
  const m = Math.min(n, SAMPLE_SIZE);
  const sample = new Float64Array(m);
  // Weyl-sequence positions (j·φ mod 1)·n: spread evenly but never aligned with power-of-two
  // strides, where spectra of structured (or LCG-generated) weights have their lines.
  for (let j = 0; j < m; j++) {
    const h = spectrum[Math.floor(((j * 0.6180339887498949) % 1) * n)]!;
    sample[j] = h * h;
  }
  sample.sort();
  // Expected sample rank of the k-th largest, plus a 3σ binomial margin so the threshold is low
  // enough; if too few pass anyway (an unlucky sample), widen the margin twice before giving up.
  const expected = (kept / n) * m;
  let margin = 3 * Math.sqrt(expected) + 8;
  let threshold = 0;
  let count = 0;
  for (let attempt = 0; attempt < 3; attempt++, margin *= 4) {
    const rankFromTop = Math.min(m - 1, Math.ceil(expected + margin));
    threshold = sample[m - 1 - rankFromTop]!;
    count = 0;
    for (let i = 0; i < n; i++) {
      const h = spectrum[i]!;
      if (h * h >= threshold) count++;
    }
    if (count >= kept) break;
  }
  if (count < kept || count > 4 * kept + 1024) return undefined;
  const candidates = new Uint32Array(count);
  const candidateEnergies = new Float64Array(count);
  let c = 0;
  for (let i = 0; i < n; i++) {
    const h = spectrum[i]!;
    const e = h * h;
    if (e >= threshold) {
      candidates[c] = i;
      candidateEnergies[c++] = e;
    }
  }
  // The candidates are in index order; a stable radix order by energy descending therefore gives
  // equal energies to the lower index, in O(count) with no comparator callbacks.
  const order = orderByEnergyDescending(candidateEnergies);
  const indices = new Uint32Array(kept);
  const energies = new Float64Array(kept);
  for (let rank = 0; rank < kept; rank++) {
    const slot = order[rank]!;
    indices[rank] = candidates[slot]!;
    energies[rank] = candidateEnergies[slot]!;
  }
  return { indices, energies };
}

const RADIX = 65536;

/** One stable counting pass of a 16-bit digit: permutes `order` (slots) by digit(slot). */
function countingPass(order: Uint32Array, next: Uint32Array, digits: Uint16Array, counts: Uint32Array): void {
  counts.fill(0);
  const m = order.length;
  for (let i = 0; i < m; i++) counts[digits[order[i]!]!]!++;
  let sum = 0;
  for (let d = 0; d < RADIX; d++) {
    const c = counts[d]!;
    counts[d] = sum;
    sum += c;
  }
  for (let i = 0; i < m; i++) {
    const slot = order[i]!;
    next[counts[digits[slot]!]!++] = slot;
  }
}

/**
 * Slots 0..m−1 ordered by the 16-bit digit arrays given least significant first (each `digits[p][slot]`).
 * Passes whose digit is the same for every entry are skipped.
 */
function radixOrder(m: number, digitArrays: Uint16Array[]): Uint32Array {
  let order = new Uint32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  let next = new Uint32Array(m);
  const counts = new Uint32Array(RADIX);
  for (const digits of digitArrays) {
    if (m > 0) {
      const first = digits[0]!;
      let uniform = true;
      for (let i = 1; i < m && uniform; i++) uniform = digits[i] === first;
      if (uniform) continue;
    }
    countingPass(order, next, digits, counts);
    const t = order;
    order = next;
    next = t;
  }
  return order;
}

/**
 * Orders entries by energy descending, equal energies keeping their input order (so input in
 * ascending index order gives ties to the lower index). Energies must be ≥ 0 and not NaN: the
 * IEEE 754 bit pattern of a non-negative double orders as an unsigned integer.
 */
function orderByEnergyDescending(energies: Float64Array): Uint32Array {
  const m = energies.length;
  const words = new Uint32Array(energies.buffer, energies.byteOffset, 2 * m);
  const digitArrays = [new Uint16Array(m), new Uint16Array(m), new Uint16Array(m), new Uint16Array(m)];
  // Little-endian words: low word at 2i, high word at 2i+1. Complemented digits sort descending.
  const [d0, d1, d2, d3] = digitArrays as [Uint16Array, Uint16Array, Uint16Array, Uint16Array];
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const lo = littleEndian ? 0 : 1;
  const hi = 1 - lo;
  for (let i = 0; i < m; i++) {
    const low = words[2 * i + lo]!;
    const high = words[2 * i + hi]!;
    d0[i] = ~low & 0xffff;
    d1[i] = (~low >>> 16) & 0xffff;
    d2[i] = ~high & 0xffff;
    d3[i] = (~high >>> 16) & 0xffff;
  }
  return radixOrder(m, digitArrays);
}

