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
    // Keys and positions are needed only until the set is cut: buffers reused from layer to layer.
    if (keyScratch.length < count) {
      const grown = Math.max(count, Math.ceil(keyScratch.length * 1.25));
      keyScratch = new Uint32Array(grown);
      indexScratch = new Uint32Array(grown);
    }
    keys = keyScratch;
    indices = indexScratch;
    collectKeysAtLeast(bits, bin << 15, keys, indices);
    // All of them are members when k covers the whole bin (a layer limited by the admission floor).
    if (count > k) {
      countSecondDigits(keys, count, bin, second);
      const refined = boundaryBin(second, 32768, k, above);
      const energies = new Float64Array(k);
      const worst = keepSquaresFrom(keys, new Float32Array(keys.buffer, keys.byteOffset, count), indices, count, (bin << 15) | refined.bin, k - refined.above, energies);
      return finishSet(indices.slice(0, k), energies, worst);
    }
    indices = indices.slice(0, k);
  }
  // The keys are |H| as float32 bits: |H|·|H| is H² (exact in float64), read sequentially.
  const energies = new Float64Array(k);
  const worst = squareMagnitudes(new Float32Array(keys.buffer, keys.byteOffset, k), keys, energies);
  return finishSet(indices, energies, worst);
}

/** The set of `indices` (exactly k) with its energies and worst slot; lets go of large scratch buffers a smaller layer no longer needs. */
function finishSet(indices: Uint32Array, energies: Float64Array, worst: number): EnergySet {
  if (keyScratch.length > 1 << 22 && indices.length < keyScratch.length / 4) {
    keyScratch = new Uint32Array(0);
    indexScratch = new Uint32Array(0);
  }
  return { indices, energies, boundary: { energy: energies[worst]!, index: indices[worst]! } };
}

/** Positions collected with {@link keyScratch}, reused. */
let indexScratch = new Uint32Array(0);

/** Collected keys of the current layer (float32 spectra), reused. */
let keyScratch = new Uint32Array(0);

/** Counts the second digit (15 low bits) of the keys[0, count) whose first digit is `bin`. */
function countSecondDigits(keys: Uint32Array, count: number, bin: number, second: Uint32Array): void {
  for (let j = 0; j < count; j++) {
    const key = keys[j]!;
    if (key >>> 15 === bin) second[key & 0x7fff]!++;
  }
}

/**
 * Keeps, in order, the keys above `t` and the first `quota` equal to it: their positions moved
 * down in place, |H|² of each written to `energies` (the keys are |H| as float32 bits, read
 * through `magnitudes`) — the cut and the energies in one pass. Returns the slot of the worst
 * member, as {@link squareMagnitudes} does.
 */
function keepSquaresFrom(keys: Uint32Array, magnitudes: Float32Array, indices: Uint32Array, count: number, t: number, quota: number, energies: Float64Array): number {
  let left = quota;
  let w = 0;
  let worst = 0;
  let worstKey = 0x7fffffff;
  for (let j = 0; j < count; j++) {
    const key = keys[j]!;
    if (key > t || (key === t && left-- > 0)) {
      const h = magnitudes[j]!;
      energies[w] = h * h;
      indices[w] = indices[j]!;
      if (key <= worstKey) {
        worst = w;
        worstKey = key;
      }
      w++;
    }
  }
  return worst;
}

/**
 * Copies the keys ≥ `lowest` of `bits` (masked to 31 bits) and their positions, in index order, to
 * `keys` and `indices` (long enough for all of them); returns how many. A small function of its
 * own: the hottest loop of the ranking, one compare per position, compiled with nothing else
 * around it. Eight positions per iteration: their loads are independent of the stores before them,
 * which a one-at-a-time loop (its store index `c` carried from compare to compare) serialises.
 */
function collectKeysAtLeast(bits: Uint32Array, lowest: number, keys: Uint32Array, indices: Uint32Array): number {
  const n = bits.length;
  const whole = n - (n & 7);
  let c = 0;
  let i = 0;
  for (; i < whole; i += 8) {
    const k0 = bits[i]! & 0x7fffffff;
    const k1 = bits[i + 1]! & 0x7fffffff;
    const k2 = bits[i + 2]! & 0x7fffffff;
    const k3 = bits[i + 3]! & 0x7fffffff;
    const k4 = bits[i + 4]! & 0x7fffffff;
    const k5 = bits[i + 5]! & 0x7fffffff;
    const k6 = bits[i + 6]! & 0x7fffffff;
    const k7 = bits[i + 7]! & 0x7fffffff;
    if (k0 >= lowest) {
      keys[c] = k0;
      indices[c++] = i;
    }
    if (k1 >= lowest) {
      keys[c] = k1;
      indices[c++] = i + 1;
    }
    if (k2 >= lowest) {
      keys[c] = k2;
      indices[c++] = i + 2;
    }
    if (k3 >= lowest) {
      keys[c] = k3;
      indices[c++] = i + 3;
    }
    if (k4 >= lowest) {
      keys[c] = k4;
      indices[c++] = i + 4;
    }
    if (k5 >= lowest) {
      keys[c] = k5;
      indices[c++] = i + 5;
    }
    if (k6 >= lowest) {
      keys[c] = k6;
      indices[c++] = i + 6;
    }
    if (k7 >= lowest) {
      keys[c] = k7;
      indices[c++] = i + 7;
    }
  }
  for (; i < n; i++) {
    const key = bits[i]! & 0x7fffffff;
    if (key >= lowest) {
      keys[c] = key;
      indices[c++] = i;
    }
  }
  return c;
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
