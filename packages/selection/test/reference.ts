/**
 * Slow, obvious reference implementations for the property tests: full sorts, dense shuffles,
 * byte-wise hashing. They share nothing with src/ except createRandom (the documented PRNG) and
 * the spectrum from @ssh-peft/hartley, so that both sides rank exactly the same numbers.
 */
import fc from 'fast-check';
import { dht2d, type Normalization, type Variant2D } from '@ssh-peft/hartley';
import { createRandom, layerStreamSeed, type LayerInput } from '../src/index';

export type FloatType = 'f32' | 'f64';

/** All positions of a spectrum, best first: energy descending, then lower flat index. */
export function fullSortByEnergy(spectrum: ArrayLike<number>): { index: number; energy: number }[] {
  const all = Array.from({ length: spectrum.length }, (_, index) => ({ index, energy: spectrum[index]! * spectrum[index]! }));
  return all.sort((a, b) => (b.energy !== a.energy ? b.energy - a.energy : a.index - b.index));
}

export function spectrumOf(layer: LayerInput, variant: Variant2D = 'separable', normalization: Normalization = 'backward'): Float32Array | Float64Array {
  return dht2d(layer.weights, layer.rows, layer.cols, { variant, normalization });
}

/** A whole random permutation of [0, n) by textbook Fisher–Yates on a dense array, same draws as the sparse one. */
export function denseShuffle(seed: number, name: string, n: number): number[] {
  const random = createRandom(layerStreamSeed(seed, name));
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    const j = i + random.nextInt(n - i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export interface ReferenceLayer {
  name: string;
  indices: number[];
  energyChosen: number;
  capturedEnergy: number;
}

function finishLayer(name: string, energyPositions: number[], count: number, seed: number, n: number, spectrum: ArrayLike<number>): ReferenceLayer {
  const chosen = new Set(energyPositions);
  const randomPart = denseShuffle(seed, name, n).filter((p) => !chosen.has(p)).slice(0, count - energyPositions.length);
  const indices = [...energyPositions, ...randomPart].sort((a, b) => a - b);
  let total = 0;
  for (let i = 0; i < spectrum.length; i++) total += spectrum[i]! * spectrum[i]!;
  let captured = 0;
  for (const p of indices) captured += spectrum[p]! * spectrum[p]!;
  return { name, indices, energyChosen: energyPositions.length, capturedEnergy: total > 0 ? Math.min(1, captured / total) : 0 };
}

/** Reference 'per-layer': full sort, ⌊δ·n⌋ (or the threshold rule) best, then the dense shuffle skipping them. */
export function referencePerLayer(layers: LayerInput[], perLayer: number, energyRatio: number, seed: number, energyThreshold?: number): ReferenceLayer[] {
  return layers.map((layer) => {
    const spectrum = spectrumOf(layer);
    const sorted = fullSortByEnergy(spectrum);
    let e = Math.floor(energyRatio * perLayer);
    if (energyThreshold !== undefined) {
      const total = sorted.reduce((s, x) => s + x.energy, 0);
      let cumulative = 0;
      for (let j = 0; j < e; j++) {
        cumulative += sorted[j]!.energy;
        if (cumulative >= energyThreshold * total) {
          e = j + 1;
          break;
        }
      }
    }
    return finishLayer(layer.name, sorted.slice(0, e).map((x) => x.index), perLayer, seed, layer.rows * layer.cols, spectrum);
  });
}

export interface GlobalReferenceOptions {
  budget: number;
  energyRatio: number;
  seed: number;
  score: 'mean-relative-energy' | 'relative-energy' | 'energy';
  minPerLayer: number;
  maxPerLayer?: number;
}

/** Reference 'global': every position of every layer in one fully sorted list, then a greedy fill under min/max. */
export function referenceGlobal(layers: LayerInput[], o: GlobalReferenceOptions): ReferenceLayer[] {
  const spectra = layers.map((l) => spectrumOf(l));
  const perLayerSorted = spectra.map((s) => fullSortByEnergy(s));
  const entries: { layer: number; rank: number; score: number }[] = [];
  perLayerSorted.forEach((sorted, layer) => {
    const total = sorted.reduce((s, x) => s + x.energy, 0);
    // Mean energy: the total in flat-index order (as documented), over the layer's positions.
    let flatTotal = 0;
    for (let i = 0; i < spectra[layer]!.length; i++) flatTotal += spectra[layer]![i]! * spectra[layer]![i]!;
    const mean = flatTotal / sorted.length;
    sorted.forEach((x, rank) => {
      const score = o.score === 'energy' ? x.energy : total <= 0 ? 0 : o.score === 'relative-energy' ? x.energy / total : x.energy / mean;
      entries.push({ layer, rank, score });
    });
  });
  entries.sort((a, b) => (b.score !== a.score ? b.score - a.score : a.layer !== b.layer ? a.layer - b.layer : a.rank - b.rank));
  const counts = layers.map(() => o.minPerLayer);
  let remaining = o.budget - o.minPerLayer * layers.length;
  for (const entry of entries) {
    if (remaining === 0) break;
    if (entry.rank < o.minPerLayer) continue;
    const cap = Math.min(layers[entry.layer]!.rows * layers[entry.layer]!.cols, o.maxPerLayer ?? Infinity);
    if (counts[entry.layer]! >= cap) continue;
    counts[entry.layer]!++;
    remaining--;
  }
  if (remaining !== 0) throw new Error('reference: budget not fillable');
  // Hamilton apportionment of ⌊δB⌋ in proportion to the counts, written plainly (small numbers only).
  const energyTotal = Math.floor(o.energyRatio * o.budget);
  const shares = counts.map((c) => Math.floor((energyTotal * c) / o.budget));
  const left = energyTotal - shares.reduce((a, b) => a + b, 0);
  const byRemainder = counts
    .map((c, i) => ({ i, r: (energyTotal * c) % o.budget }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; k < left; k++) shares[byRemainder[k]!.i]!++;
  return layers.map((layer, i) =>
    finishLayer(layer.name, perLayerSorted[i]!.slice(0, shares[i]).map((x) => x.index), counts[i]!, o.seed, layer.rows * layer.cols, spectra[i]!),
  );
}

/** The documented fingerprint, byte by byte through a little-endian DataView (independent of typed-array views). */
export function referenceFingerprint(weights: ArrayLike<number>, rows: number, cols: number): string {
  const bytes = new DataView(new ArrayBuffer(4));
  const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
  const mul = (a: number, b: number): number => Number((BigInt(a >>> 0) * BigInt(b >>> 0)) & 0xffffffffn);
  let a = 0x9747b28c;
  let b = 0x5bd1e995;
  for (let i = 0; i < weights.length; i++) {
    bytes.setFloat32(0, weights[i]!, true);
    const w = bytes.getUint32(0, true);
    a = (mul(rotl((mul(rotl(mul(w, 0xcc9e2d51), 15), 0x1b873593) ^ a) >>> 0, 13), 5) + 0xe6546b64) >>> 0;
    b = (mul(rotl((mul(rotl(mul(w, 0x85ebca6b), 17), 0xc2b2ae35) ^ b) >>> 0, 11), 9) + 0x52dce729) >>> 0;
  }
  const fmix = (h: number): number => {
    h = (h ^ (h >>> 16)) >>> 0;
    h = mul(h, 0x85ebca6b);
    h = (h ^ (h >>> 13)) >>> 0;
    h = mul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  const n = weights.length;
  const hiCount = Math.floor(n / 2 ** 32);
  const fa = fmix((a ^ n ^ mul(hiCount, 0x27d4eb2f)) >>> 0);
  const fb = fmix((b ^ mul(n, 0x9e3779b9) ^ rows) >>> 0);
  return `ssh-fp1:${rows}x${cols}:${fa.toString(16).padStart(8, '0')}${fb.toString(16).padStart(8, '0')}`;
}

/** Plain arrays for comparing plans with the references. */
export function plainLayers(layers: readonly { name: string; indices: Uint32Array; energyChosen: number; capturedEnergy: number }[]): ReferenceLayer[] {
  return layers.map((l) => ({ name: l.name, indices: Array.from(l.indices), energyChosen: l.energyChosen, capturedEnergy: l.capturedEnergy }));
}

/** Values with many exact repeats and zeros, so that energy ties really occur. */
const arbWeightValue = fc.oneof(
  { weight: 3, arbitrary: fc.double({ min: -8, max: 8, noNaN: true, noDefaultInfinity: true }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 1, -1, 0.5, 2) },
);

/** A random rectangular layer (1..maxSide × 1..maxSide), float32 or float64. */
export function arbLayer(name: string, maxSide = 9): fc.Arbitrary<LayerInput> {
  return fc
    .record({ rows: fc.integer({ min: 1, max: maxSide }), cols: fc.integer({ min: 1, max: maxSide }), type: fc.constantFrom<FloatType>('f32', 'f64') })
    .chain(({ rows, cols, type }) =>
      fc.array(arbWeightValue, { minLength: rows * cols, maxLength: rows * cols }).map((values) => ({
        name,
        rows,
        cols,
        weights: type === 'f32' ? Float32Array.from(values) : Float64Array.from(values),
      })),
    );
}

/** 1..maxLayers layers with distinct names. */
export function arbLayers(maxLayers = 4, maxSide = 9): fc.Arbitrary<LayerInput[]> {
  return fc.integer({ min: 1, max: maxLayers }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => arbLayer(`layer.${i}`, maxSide))));
}

export async function* streamOf(layers: LayerInput[]): AsyncGenerator<LayerInput> {
  for (const layer of layers) {
    await Promise.resolve();
    yield layer;
  }
}
