/**
 * The k highest-energy positions of a spectrum as a set — in flat index order, not in rank order —
 * and the worst of them. The strategies need no more: a plan lists positions in index order, the
 * random share needs only the worst member (membership is "ranks at least as well as it"), and the
 * cross-layer ranking cuts unordered candidate lists (top-cut.ts). So the per-layer top-k skips
 * the ordering of its ≈ k candidates altogether, and its collecting pass writes sequentially.
 */
import { FIRST_DIGIT_BINS, float32Bits, HI, LO, scanEnergies } from './energy-keys';
import { orderByPosition } from './radix-order';
import type { RankBoundary } from './random-positions';
import { cutTop } from './top-cut';
import { boundaryBin, crowded, HISTOGRAM_MIN_N, topByHeap, topFloat64, type RankedPositions } from './top-energy';

/** The top-k set of a spectrum. */
export interface EnergySet {
  /** The k positions, ascending. */
  readonly indices: Uint32Array;
  /** H² at each of `indices`. */
  readonly energies: Float64Array;
  /** The worst member — the k-th in ranking order (energy descending, lower index first) — or undefined when k = 0. */
  readonly boundary: RankBoundary | undefined;
}

/**
 * The set of the `k` (clamped to [0, n]) highest-energy positions, ties to the lower flat index:
 * exactly the positions of {@link topEnergyPositions}, in index order, with the same energies.
 *
 * Large spectra (n ≥ 65536): the first-digit histogram of the rank keys (`firstDigits`, or counted
 * here) gives the bin b of the k-th energy. One sequential pass copies every entry whose first key
 * digit is ≥ b — the ≈ k candidates, in index order — and the exact cut is then found among those
 * alone (second digit; top-cut.ts for float64), and the candidates below it dropped in place. A
 * first-digit bin too crowded to copy (more than max(65536, k) entries) is refined first by a
 * counting pass over the spectrum (float32; float64 takes the ordered path and reorders by index).
 * Small spectra: the bounded heap, reordered by index.
 */
export function topEnergySet(spectrum: Float32Array | Float64Array, k: number, firstDigits?: Uint32Array): EnergySet {
  const n = spectrum.length;
  const kept = Math.max(0, Math.min(k, n));
  if (kept === 0) return { indices: new Uint32Array(0), energies: new Float64Array(0), boundary: undefined };
  if (n < HISTOGRAM_MIN_N) return byIndex(topByHeap(spectrum, kept));
  let histogram = firstDigits;
  if (histogram === undefined) {
    histogram = new Uint32Array(FIRST_DIGIT_BINS);
    scanEnergies(spectrum, histogram);
  }
  return spectrum instanceof Float32Array ? setFloat32(spectrum, kept, histogram) : setFloat64(spectrum, kept, histogram);
}

/** A ranked list as a set: reordered by position; its last entry is the boundary. */
function byIndex(ranked: RankedPositions): EnergySet {
  const m = ranked.indices.length;
  const boundary: RankBoundary | undefined = m > 0 ? { energy: ranked.energies[m - 1]!, index: ranked.indices[m - 1]! } : undefined;
  const order = orderByPosition(ranked.indices);
  const indices = new Uint32Array(m);
  const energies = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    indices[i] = ranked.indices[order[i]!]!;
    energies[i] = ranked.energies[order[i]!]!;
  }
  return { indices, energies, boundary };
}

function setFloat32(spectrum: Float32Array, k: number, first: Uint32Array): EnergySet {
  const n = spectrum.length;
  const bits = float32Bits(spectrum);
  const { bin, above } = boundaryBin(first, FIRST_DIGIT_BINS, k, 0);
  const inBin = first[bin]!;
  // `count` candidates are collected in index order: keys (|H| as float32 bits, 31 bits) and positions.
  let keys: Uint32Array;
  let indices: Uint32Array;
  let count: number;
  const second = new Uint32Array(32768);
  if (crowded(inBin, k)) {
    // The bin is too large to copy: its second digit is counted over the spectrum, and only the
    // k members are collected.
    for (let i = 0; i < n; i++) {
      const key = bits[i]! & 0x7fffffff;
      if (key >>> 15 === bin) second[key & 0x7fff]!++;
    }
    count = k;
    keys = new Uint32Array(k);
    indices = new Uint32Array(k);
    const refined = boundaryBin(second, 32768, k, above);
    const t = (bin << 15) | refined.bin;
    let left = k - refined.above;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const key = bits[i]! & 0x7fffffff;
      if (key > t || (key === t && left-- > 0)) {
        keys[c] = key;
        indices[c++] = i;
      }
    }
  } else {
    count = above + inBin;
    // The keys are needed only until the energies are computed: a buffer reused from layer to layer.
    if (keyScratch.length < count) keyScratch = new Uint32Array(Math.max(count, Math.ceil(keyScratch.length * 1.25)));
    keys = keyScratch;
    indices = new Uint32Array(count);
    collectKeysAtLeast(bits, bin << 15, keys, indices);
    // All of them are members when k covers the whole bin (a layer limited by the admission floor).
    if (count > k) {
      countSecondDigits(keys, count, bin, second);
      const refined = boundaryBin(second, 32768, k, above);
      keepKeysFrom(keys, indices, count, (bin << 15) | refined.bin, k - refined.above);
    }
  }
  // The keys are |H| as float32 bits: |H|·|H| is H² (exact in float64), read sequentially.
  const energies = new Float64Array(k);
  const worst = squareMagnitudes(new Float32Array(keys.buffer, keys.byteOffset, k), keys, energies);
  const kept = count === k ? indices : indices.slice(0, k);
  if (keyScratch.length > 1 << 22 && k < keyScratch.length / 4) keyScratch = new Uint32Array(0);
  return { indices: kept, energies, boundary: { energy: energies[worst]!, index: kept[worst]! } };
}

/** Collected keys of the current layer (float32 spectra), reused. */
let keyScratch = new Uint32Array(0);

/** Counts the second digit (15 low bits) of the keys[0, count) whose first digit is `bin`. */
function countSecondDigits(keys: Uint32Array, count: number, bin: number, second: Uint32Array): void {
  for (let j = 0; j < count; j++) {
    const key = keys[j]!;
    if (key >>> 15 === bin) second[key & 0x7fff]!++;
  }
}

/** Keeps, in place and in order, the keys above `t` and the first `quota` equal to it, with their positions. */
function keepKeysFrom(keys: Uint32Array, indices: Uint32Array, count: number, t: number, quota: number): void {
  let left = quota;
  let w = 0;
  for (let j = 0; j < count; j++) {
    const key = keys[j]!;
    if (key > t || (key === t && left-- > 0)) {
      keys[w] = key;
      indices[w++] = indices[j]!;
    }
  }
}

/**
 * Copies the keys ≥ `lowest` of `bits` (masked to 31 bits) and their positions, in index order, to
 * `keys` and `indices` (long enough for all of them). A small function of its own: the hottest loop
 * of the ranking, one compare per position, compiled with nothing else around it.
 */
function collectKeysAtLeast(bits: Uint32Array, lowest: number, keys: Uint32Array, indices: Uint32Array): void {
  const n = bits.length;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const key = bits[i]! & 0x7fffffff;
    if (key >= lowest) {
      keys[c] = key;
      indices[c++] = i;
    }
  }
}

/**
 * Writes |H|² of each magnitude to `energies`; returns the slot of the worst member: the lowest
 * key (`keys`: the magnitudes' bits), the last (highest index) of its ties.
 */
function squareMagnitudes(magnitudes: Float32Array, keys: Uint32Array, energies: Float64Array): number {
  const k = energies.length;
  let worst = 0;
  let worstKey = keys[0]!;
  for (let r = 0; r < k; r++) {
    const h = magnitudes[r]!;
    energies[r] = h * h;
    const key = keys[r]!;
    if (key <= worstKey) {
      worst = r;
      worstKey = key;
    }
  }
  return worst;
}

const doubleBits = new Float64Array(1);
const doubleWords = new Uint32Array(doubleBits.buffer);

function setFloat64(spectrum: Float64Array, k: number, first: Uint32Array): EnergySet {
  const n = spectrum.length;
  const { bin, above } = boundaryBin(first, FIRST_DIGIT_BINS, k, 0);
  const inBin = first[bin]!;
  if (crowded(inBin, k)) return byIndex(topFloat64(spectrum, k, first));
  const count = above + inBin;
  const energies = new Float64Array(count);
  const indices = new Uint32Array(count);
  // The smallest energy whose high word's first digit is `bin`: non-negative doubles order as their bits.
  doubleWords[HI] = bin << 15;
  doubleWords[LO] = 0;
  const lowest = doubleBits[0]!;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const h = spectrum[i]!;
    const e = h * h;
    if (e >= lowest) {
      energies[c] = e;
      indices[c++] = i;
    }
  }
  if (count === k) return { indices, energies, boundary: worstOf(indices, energies) };
  const cut = cutTop(energies, count, k);
  let left = cut.quota;
  let w = 0;
  let last = 0;
  for (let j = 0; j < count; j++) {
    const e = energies[j]!;
    if (e > cut.value || (e === cut.value && left-- > 0)) {
      if (e === cut.value) last = indices[j]!;
      energies[w] = e;
      indices[w++] = indices[j]!;
    }
  }
  return {
    indices: count === k ? indices : indices.slice(0, k),
    energies: count === k ? energies : energies.slice(0, k),
    boundary: { energy: cut.value, index: last },
  };
}

/** The worst of a set in index order: the lowest energy, the last (highest index) of its ties. */
function worstOf(indices: Uint32Array, energies: Float64Array): RankBoundary {
  let worst = 0;
  for (let r = 1; r < energies.length; r++) if (energies[r]! <= energies[worst]!) worst = r;
  return { energy: energies[worst]!, index: indices[worst]! };
}
