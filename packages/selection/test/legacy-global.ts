// The 'global' strategy as it was before the ranking worked on unordered sets (every layer's candidates ranked, merged into a sorted pool), kept verbatim
// (imports aside) as the reference plans are compared with byte for byte (test/top-energy.test.ts,
// test/global-pool.test.ts).
import { largestRemainder } from '../src/allocate';
import { assembleLayer } from './legacy-assemble';
import { SelectionInputError, SelectionOptionError } from '../src/errors';
import { createRandom, layerStreamSeed } from '../src/random';
import { drawOutside, firstOutside, PermutationStream, prefixHolding, type Draws, type RankBoundary } from '../src/random-positions';
import { better } from '../src/ranked-heap';
import type { PositionSelector, ScoredLayer } from '../src/scored-layer';
import { countEnergiesAtLeast } from '../src/energy-keys';
import { topEnergyPositions, type RankedPositions } from '../src/top-energy';
import type { GlobalScore, PlannedLayer, ResolvedSelectionOptions } from '../src/types';

/** Keys of the cross-layer pool: layer ordinal · 2^32 + rank within the layer (< 2^53 for < 2^21 layers). */
const LAYER_STRIDE = 4294967296;
const MAX_LAYERS = 2097152;

/** A layer after the spectrum-dependent work of the global strategy ({@link GlobalSelector.prepare}). */
export interface LayerEvidence {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly ordinal: number;
  readonly fingerprint: string;
  readonly totalEnergy: number;
  /** The layer's best `kept` positions in rank order. */
  readonly top: RankedPositions;
  /** Its random draws, up to min(R, kept) entries outside the top set. */
  readonly draws: Draws;
}

/** What is kept of a layer once its spectrum is gone: O(its current share of the budget). */
interface LayerCandidates {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly fingerprint: string;
  readonly totalEnergy: number;
  /** Reserved positions (ranks < reserved always stay). */
  readonly reserved: number;
  /** Ranks reserved..reserved+extras−1 are in the cross-layer pool. */
  extras: number;
  /** The layer's best positions in rank order (energy desc, index asc) and their H²; length ≥ reserved + extras. */
  candidateIndices: Uint32Array;
  candidateEnergies: Float64Array;
  /**
   * Prefix of the layer's seeded random permutation and H² there, long enough to hold
   * min(random share R, reserved + extras) entries outside the layer's current top set.
   */
  draws: Draws;
}

/**
 * The cross-layer scores of a layer's ranked candidates `from`…`to − 1`, written to `out` from 0.
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

/**
 * The least energy a position must have to score above `floor` (Infinity: none can), with a
 * relative margin far beyond the rounding of the score's division, so that it is a safe bound.
 */
function lowestAdmissibleEnergy(score: GlobalScore, floor: number, totalEnergy: number, positions: number): number {
  if (score === 'energy') return floor;
  if (!(totalEnergy > 0)) return Infinity; // every score is 0, none is above a floor ≥ 0
  const divisor = score === 'relative-energy' ? totalEnergy : totalEnergy / positions;
  const lowest = floor * divisor * (1 - 1e-9);
  return lowest > 1e-280 ? lowest : 0;
}

/** The last of a layer's first `count` candidates (undefined when count = 0). */
function boundaryOf(layer: LayerCandidates, count: number): RankBoundary | undefined {
  return count > 0 ? { energy: layer.candidateEnergies[count - 1]!, index: layer.candidateIndices[count - 1]! } : undefined;
}

/**
 * `'global'`: a budget B over all layers.
 *
 * 1. Allocation. Every position gets a score: H²·N/ΣH² of its layer (N positions) for
 *    `'mean-relative-energy'`, H²/ΣH² for `'relative-energy'`, H² for `'energy'`.
 *    Each layer first receives its best `minPerLayer` positions; the remaining B − Σmin go to the
 *    best remaining positions of all layers together, at most `maxPerLayer` per layer. Order:
 *    score descending, then earlier layer, then the layer's own order (H² descending, lower flat
 *    index). This gives the count cₗ of each layer (Σcₗ = B exactly).
 * 2. Energy share. E = ⌊δ·B⌋ positions are chosen by energy, spread over layers in proportion to
 *    cₗ (largest remainder, ties to the earlier layer): layer l keeps its top eₗ positions.
 * 3. Random share. Layer l then takes cₗ − eₗ positions from its own seeded random permutation,
 *    skipping its energy-chosen ones.
 *
 * Streaming, with O(B) memory besides the current spectrum: a layer keeps at most its best
 * min(rows·cols, maxPerLayer, minPerLayer + B − Σmin so far) positions; the cross-layer pool holds
 * only the B − Σmin best "extra" positions seen so far — anything it evicts can never come back
 * (the better ones ahead of it can only be displaced by still better ones) — and each layer's
 * stored candidates are trimmed to its current possible share s. Its random draws (made while
 * the spectrum is there, to know their energies) stop once min(R, s) of them fall outside its
 * top-s set, R = B − ⌊δ·B⌋: its final random count cₗ − eₗ is at most both, and every entry
 * outside the top-s is outside the final top-eₗ as well.
 * With δ = 1 and one layer this is exactly `'per-layer'` with perLayer = B.
 */
export class GlobalSelector implements PositionSelector {
  private readonly layers: LayerCandidates[] = [];
  private readonly budget: number;
  /**
   * The cross-layer pool of "extra" candidates, best first (score desc, key asc), at most
   * B − Σmin long: its first `poolSize` entries of `poolScores`/`poolKeys`. Each new layer's sorted
   * extras are merged into it and the tail cut off: a sequential merge, O(pool + layer) per layer,
   * instead of one heap operation per candidate (a heap of millions of entries is bound by cache
   * misses). The merge writes into the spare pair of arrays, then the pairs swap: no allocation
   * per layer once they have grown to the pool's size.
   */
  private poolScores = new Float64Array(0);
  private poolKeys = new Float64Array(0);
  private spareScores = new Float64Array(0);
  private spareKeys = new Float64Array(0);
  private poolSize = 0;
  /** Scores of the layer being merged, reused from layer to layer. */
  private incomingScores = new Float64Array(0);
  private reservedTotal = 0;
  private available = 0;
  /** R = B − ⌊δ·B⌋, the random share over all layers: no layer ever needs more random positions. */
  private readonly randomTotal: number;

  constructor(private readonly options: ResolvedSelectionOptions) {
    this.budget = options.budget!;
    this.randomTotal = this.budget - Math.floor(options.energyRatio * this.budget);
  }

  /**
   * Merges ranks [from, to) of layer `ordinal` (already in ranking order, their scores in
   * `newScores[0…to − from)`) into the pool, keeps the best `capacity` entries and updates every
   * layer's `extras` count.
   */
  private mergeIntoPool(capacity: number, ordinal: number, from: number, to: number, newScores: Float64Array): void {
    const oldScores = this.poolScores;
    const oldKeys = this.poolKeys;
    const oldSize = this.poolSize;
    const incoming = Math.max(0, to - from);
    const size = Math.min(capacity, oldSize + incoming);
    if (this.spareScores.length < size) {
      this.spareScores = new Float64Array(size);
      this.spareKeys = new Float64Array(size);
    }
    const scores = this.spareScores;
    const keys = this.spareKeys;
    const layer = this.layers[ordinal]!;
    const base = ordinal * LAYER_STRIDE;
    let i = 0;
    let r = 0;
    let out = 0;
    // Every pool entry comes from an earlier layer, so its key is lower: on equal scores it stays
    // ahead, and a new entry gets in only with a strictly higher score.
    for (; out < size && r < incoming && i < oldSize; out++) {
      const next = newScores[r]!;
      if (next > oldScores[i]!) {
        scores[out] = next;
        keys[out] = base + from + r++;
      } else {
        scores[out] = oldScores[i]!;
        keys[out] = oldKeys[i++]!;
      }
    }
    for (; out < size && r < incoming; out++) {
      scores[out] = newScores[r]!;
      keys[out] = base + from + r++;
    }
    for (; out < size && i < oldSize; out++) {
      scores[out] = oldScores[i]!;
      keys[out] = oldKeys[i++]!;
    }
    layer.extras += r;
    // Old entries past the cut leave the pool for good.
    for (; i < oldSize; i++) this.layers[Math.floor(oldKeys[i]! / LAYER_STRIDE)]!.extras--;
    this.spareScores = oldScores;
    this.spareKeys = oldKeys;
    this.poolScores = scores;
    this.poolKeys = keys;
    this.poolSize = size;
  }

  /**
   * Drops stored candidates and random draws a layer can no longer use (copying, so the memory is
   * freed) once they are more than twice what its current share needs.
   */
  private trimToShare(layer: LayerCandidates): void {
    const share = layer.reserved + layer.extras;
    if (layer.candidateIndices.length > 2 * share + 64) {
      layer.candidateIndices = layer.candidateIndices.slice(0, share);
      layer.candidateEnergies = layer.candidateEnergies.slice(0, share);
    }
    if (layer.draws.positions.length > 2 * Math.min(this.randomTotal, share) + 64) {
      const keep = prefixHolding(layer.draws, boundaryOf(layer, share), Math.min(this.randomTotal, share));
      if (keep < layer.draws.positions.length / 2) {
        layer.draws = { positions: layer.draws.positions.slice(0, keep), energies: layer.draws.energies.slice(0, keep) };
      }
    }
  }

  /**
   * The part of {@link add} that needs the spectrum and nothing of the other layers (so it can run
   * on another thread): the layer's top `kept` positions, `kept` being the most it can ever hold
   * (fixed by its ordinal), and its random draws up to min(R, kept) entries outside that top set.
   * Every entry outside the top-`kept` set is outside any smaller top set, so these draws start
   * with the ones {@link accept} would have drawn for the layer's actual share: the plan is the same.
   *
   * `floor` ({@link admissionFloor}, taken at any time before {@link accept}): a score the pool's
   * worst entry already reaches, so positions of this layer that score no higher can never get
   * into it. `kept` then shrinks to minPerLayer + an upper bound (from the energy histogram) on the
   * positions above the floor — exactly what trimming the layer to its possible share would keep,
   * so the plan is the same, but the positions beyond are never sorted nor stored.
   */
  static prepare(layer: ScoredLayer, options: ResolvedSelectionOptions, floor?: number): LayerEvidence {
    const budget = options.budget!;
    const positions = layer.rows * layer.cols;
    const minPerLayer = options.minPerLayer ?? 0;
    const layerCap = Math.min(positions, options.maxPerLayer ?? positions);
    const extrasRoom = Math.max(0, budget - minPerLayer * (layer.ordinal + 1));
    let kept = Math.max(0, Math.min(layerCap, minPerLayer + extrasRoom));
    if (floor !== undefined && layer.firstDigits !== undefined && kept > minPerLayer) {
      const lowest = lowestAdmissibleEnergy(options.score!, floor, layer.totalEnergy, positions);
      const above = lowest === Infinity ? 0 : countEnergiesAtLeast(layer.spectrum, layer.firstDigits, lowest);
      kept = Math.min(kept, minPerLayer + above);
    }
    const top = topEnergyPositions(layer.spectrum, kept, 'auto', layer.firstDigits);
    const randomTotal = budget - Math.floor(options.energyRatio * budget);
    const boundary: RankBoundary | undefined = kept > 0 ? { energy: top.energies[kept - 1]!, index: top.indices[kept - 1]! } : undefined;
    const stream = new PermutationStream(createRandom(layerStreamSeed(options.seed, layer.name)), positions);
    const draws = drawOutside(stream, layer.spectrum, boundary, Math.min(randomTotal, kept));
    return { name: layer.name, rows: layer.rows, cols: layer.cols, ordinal: layer.ordinal, fingerprint: layer.fingerprint, totalEnergy: layer.totalEnergy, top, draws };
  }

  /**
   * The score that the layer with this ordinal must beat for a position to enter the pool, known
   * from the layers accepted so far (undefined while the pool is not full). It only rises as more
   * layers are accepted, so an older value is a valid, looser floor.
   */
  admissionFloor(ordinal: number): number | undefined {
    const capacity = this.budget - (this.options.minPerLayer ?? 0) * (ordinal + 1);
    if (capacity <= 0 || this.poolSize < capacity) return undefined;
    return this.poolScores[capacity - 1];
  }

  /** The ranked pool has no score-digit counts: `prepare` gets none (and would ignore them). */
  poolDigits(): Uint32Array | undefined {
    return undefined;
  }

  add(layer: ScoredLayer): void {
    this.accept(GlobalSelector.prepare(layer, this.options));
  }

  /** Takes a prepared layer into the ranking; layers must arrive in input order. */
  accept(layer: LayerEvidence): void {
    const { budget, options } = this;
    const positions = layer.rows * layer.cols;
    const minPerLayer = options.minPerLayer ?? 0;
    if (this.layers.length >= MAX_LAYERS) throw new SelectionInputError(layer.name, `more than ${MAX_LAYERS} layers`);
    if (minPerLayer > positions) {
      throw new SelectionInputError(layer.name, `minPerLayer ${minPerLayer} exceeds the ${positions} positions available in layer '${layer.name}' (${layer.rows}×${layer.cols})`);
    }
    this.reservedTotal += minPerLayer;
    if (this.reservedTotal > budget) {
      throw new SelectionOptionError('minPerLayer', `minPerLayer ${minPerLayer} × ${this.layers.length + 1} layers = ${this.reservedTotal} exceeds the budget ${budget}`);
    }
    const layerCap = Math.min(positions, options.maxPerLayer ?? positions);
    this.available += layerCap;
    const extrasRoom = budget - this.reservedTotal;
    const kept = Math.min(layerCap, minPerLayer + extrasRoom);
    const top = layer.top;
    // Fewer than `kept` when prepared against an admission floor (never fewer than the reserved ones).
    const candidates = top.indices.length;
    if (candidates > kept || candidates < Math.min(kept, minPerLayer) || layer.ordinal !== this.layers.length) {
      throw new Error(`internal: layer '${layer.name}' prepared for ordinal ${layer.ordinal} with ${candidates} candidates, expected ordinal ${this.layers.length} with ≤ ${kept}`);
    }

    const ordinal = this.layers.length;
    const record: LayerCandidates = {
      name: layer.name,
      rows: layer.rows,
      cols: layer.cols,
      fingerprint: layer.fingerprint,
      totalEnergy: layer.totalEnergy,
      reserved: minPerLayer,
      extras: 0,
      candidateIndices: top.indices,
      candidateEnergies: top.energies,
      draws: layer.draws,
    };
    this.layers.push(record);

    const incoming = Math.max(0, candidates - minPerLayer);
    if (this.incomingScores.length < incoming) this.incomingScores = new Float64Array(incoming);
    writeScores(options.score!, top.energies, minPerLayer, minPerLayer + incoming, layer.totalEnergy, positions, this.incomingScores);
    this.mergeIntoPool(extrasRoom, ordinal, minPerLayer, candidates, this.incomingScores);
    for (const earlier of this.layers) this.trimToShare(earlier);
  }

  finish(): PlannedLayer[] {
    const { budget, options, layers } = this;
    if (layers.length === 0) throw new SelectionInputError('layers', 'no layers to select from (the layer list is empty)');
    const counts = layers.map((l) => l.reserved + l.extras);
    const chosen = counts.reduce((a, b) => a + b, 0);
    if (chosen !== budget) {
      const cap = options.maxPerLayer === undefined ? 'rows·cols' : `min(rows·cols, maxPerLayer ${options.maxPerLayer})`;
      throw new SelectionOptionError('budget', `budget ${budget} exceeds the ${this.available} positions available (Σ ${cap} over ${layers.length} layers)`);
    }
    const energyShares = largestRemainder(Math.floor(options.energyRatio * budget), counts);
    return layers.map((layer, i) => {
      const energyCount = energyShares[i]!;
      const energyIndices = layer.candidateIndices.subarray(0, energyCount);
      const slots = firstOutside(layer.draws, boundaryOf(layer, energyCount), counts[i]! - energyCount);
      return assembleLayer({
        name: layer.name,
        rows: layer.rows,
        cols: layer.cols,
        fingerprint: layer.fingerprint,
        totalEnergy: layer.totalEnergy,
        energyIndices,
        energyEnergies: layer.candidateEnergies.subarray(0, energyCount),
        randomIndices: slots.map((s) => layer.draws.positions[s]!),
        randomEnergies: Float64Array.from(slots, (s) => layer.draws.energies[s]!),
      });
    });
  }
}
