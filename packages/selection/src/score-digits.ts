/**
 * The cross-layer pool's coarse view of its scores: the first digit of every score — the top 16
 * bits of the double's 63-bit pattern (11 exponent bits, 5 mantissa bits; a non-negative double's
 * bits order as an unsigned integer) — counted in a histogram. From the counts alone the pool knows
 * in which digit bin its capacity-th best score lies: a safe admission floor for the next layers
 * (the bin's lower edge), and which extras can be dropped (those in lower bins), without ranking.
 */
import { HI, LO } from './energy-keys';
import type { GlobalScore } from './types';

/** Bins of the first score digit. */
export const SCORE_DIGIT_BINS = 65536;

/**
 * The cross-layer scores of a layer's candidates `from`…`to − 1`, written to `out` from 0.
 * `'mean-relative-energy'` divides by the layer's mean energy ΣH²/N (one division per score, so
 * scaling a layer by a power of two changes no score at all); an all-zero spectrum scores 0.
 */
export function writeScores(score: GlobalScore, energies: Float64Array, from: number, to: number, totalEnergy: number, positions: number, out: Float64Array): void {
  const count = to - from;
  if (score === 'energy') {
    out.set(energies.subarray(from, to));
    return;
  }
  if (!(totalEnergy > 0)) {
    out.fill(0, 0, count);
    return;
  }
  const divisor = score === 'relative-energy' ? totalEnergy : totalEnergy / positions;
  for (let r = 0; r < count; r++) out[r] = energies[from + r]! / divisor;
}

/** Scores of the current layer, reused. */
let scratch = new Float64Array(0);

/**
 * Writes the first score digit of each of `energies` (a layer's candidates) to `digits` (same
 * length) and adds them to `counts`.
 */
export function countScoreDigits(score: GlobalScore, energies: Float64Array, totalEnergy: number, positions: number, digits: Uint16Array, counts: Uint32Array): void {
  const m = digits.length;
  let words: Uint32Array;
  if (score === 'energy') {
    // The score is the energy itself: its digits are read in place, nothing is copied.
    words = new Uint32Array(energies.buffer, energies.byteOffset, 2 * m);
  } else {
    if (scratch.length < m) scratch = new Float64Array(m);
    writeScores(score, energies, 0, m, totalEnergy, positions, scratch);
    words = new Uint32Array(scratch.buffer, 0, 2 * m);
  }
  for (let r = 0; r < m; r++) {
    const d = words[2 * r + HI]! >>> 15;
    digits[r] = d;
    counts[d]!++;
  }
  if (scratch.length > 1 << 20 && m < scratch.length / 4) scratch = new Float64Array(0);
}

/**
 * The digit bin of the k-th best score (1 ≤ k ≤ Σ counts) and how many scores lie in higher bins.
 */
export function boundaryDigit(counts: Uint32Array, k: number): { bin: number; above: number } {
  let above = 0;
  let bin = SCORE_DIGIT_BINS - 1;
  for (; bin > 0; bin--) {
    const c = counts[bin]!;
    if (above + c >= k) break;
    above += c;
  }
  return { bin, above };
}

const edge = new Float64Array(1);
const edgeWords = new Uint32Array(edge.buffer);

/** The least score whose first digit is `bin`: every score in bins ≥ `bin` is at least this. */
export function digitFloor(bin: number): number {
  edgeWords[HI] = bin << 15;
  edgeWords[LO] = 0;
  return edge[0]!;
}
