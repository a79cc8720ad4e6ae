import { largestRemainder } from './allocate';
import { assembleLayer } from './assemble';
import { SelectionInputError, SelectionOptionError } from './errors';
import { createRandom, layerStreamSeed } from './random';
import { drawOutside, PermutationStream, prefixHolding, takeOutside, type Draws, type RankBoundary } from './random-positions';
import type { PositionSelector, ScoredLayer } from './scored-layer';
import { countEnergiesAtLeast, energyWords, FIRST_DIGIT_BINS, HI } from './energy-keys';
import { boundaryDigit, countScoreDigits, digitFloor, SCORE_DIGIT_BINS } from './score-digits';
import { cutTop } from './top-cut';
import { topEnergySet, type EnergySet } from './top-energy-set';
import type { GlobalScore, PlannedLayer, ResolvedSelectionOptions } from './types';

const MAX_LAYERS = 2097152;

/** A layer after the spectrum-dependent work of the global strategy ({@link GlobalSelector.prepare}). */
export interface LayerEvidence {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly ordinal: number;
  readonly fingerprint: string;
  readonly totalEnergy: number;
  /** The layer's best `kept` positions, as a set in index order. */
  readonly top: EnergySet;
  /** Its random draws, up to min(R, kept) entries outside the top set. */
  readonly draws: Draws;
}

/**
 * What is kept of a layer once its spectrum is gone: O(its current share of the budget). Its
 * candidates are sets in flat index order, never ranked: the layer's best `reserved` positions,
 * and its "extra" positions still in the cross-layer pool — always the layer's next best ones,
 * since the pool is cut by score, which grows with the energy within a layer.
 */
interface LayerCandidates {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly fingerprint: string;
  readonly totalEnergy: number;
  /** The layer's best minPerLayer positions (fewer only if it has fewer) and their H², in index order. */
  readonly reservedIndices: Uint32Array;
  readonly reservedEnergies: Float64Array;
  /** Its extras in the pool: the first `extraCount` entries, in index order, with the first digit of their score. */
  extraIndices: Uint32Array;
  extraEnergies: Float64Array;
  extraDigits: Uint16Array;
  extraCount: number;
  /**
   * Prefix of the layer's seeded random permutation and H² there, long enough to hold
   * min(random share R, its current share) entries outside the layer's current top set.
   */
  draws: Draws;
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

const lowerEdge32 = new Float32Array(1);
const lowerEdge32Bits = new Uint32Array(lowerEdge32.buffer);

/**
 * A floor for a layer from the pool's score-digit counts and the layer's own key histogram
 * together: the lower edge F of the highest score-digit bin s such that the pool's extras in bins
 * ≥ s, plus the layer's positions certain to score ≥ F beyond its reserved ones, are at least
 * `capacity`. Those all outrank any position of the layer scoring below F, so such a position can
 * never be among the pool's capacity best, nor among the best of any later (smaller) capacity.
 * Each key bin's entries score at least the score of the bin's lowest energy (division rounds
 * monotonically), whose digit is taken. Undefined when no bin reaches `capacity` or every score is 0.
 */
function combinedFloor(poolDigits: Uint32Array, layer: ScoredLayer, score: GlobalScore, capacity: number, reserved: number, maxExtras: number): number | undefined {
  const firstDigits = layer.firstDigits!;
  const positions = layer.rows * layer.cols;
  if (!(layer.totalEnergy > 0) || maxExtras <= 0) return undefined;
  const divisor = score === 'energy' ? 1 : score === 'relative-energy' ? layer.totalEnergy : layer.totalEnergy / positions;
  const float32 = layer.spectrum instanceof Float32Array;
  // certain[s]: the layer's positions whose score is certainly in digit bin s or above, counted at s.
  const certain = new Uint32Array(SCORE_DIGIT_BINS);
  for (let b = 1; b < FIRST_DIGIT_BINS; b++) {
    const c = firstDigits[b]!;
    if (c === 0) continue;
    let lowest: number;
    if (float32) {
      lowerEdge32Bits[0] = b << 15;
      const h = lowerEdge32[0]!;
      lowest = h * h;
    } else {
      lowest = digitFloor(b);
    }
    const s = energyWords(score === 'energy' ? lowest : lowest / divisor)[HI]! >>> 15;
    certain[s]! += c;
  }
  let pool = 0;
  let own = 0;
  for (let s = SCORE_DIGIT_BINS - 1; s > 0; s--) {
    pool += poolDigits[s]!;
    own += certain[s]!;
    if (pool + Math.min(maxExtras, Math.max(0, own - reserved)) >= capacity) return digitFloor(s);
  }
  return undefined;
}

/** The worst (energy lowest, then index highest) of a layer's stored candidates: the boundary of its current top set. */
function worstStored(layer: LayerCandidates): RankBoundary | undefined {
  let energy = Infinity;
  let index = -1;
  const scan = (indices: Uint32Array, energies: Float64Array, count: number): void => {
    for (let r = 0; r < count; r++) {
      const e = energies[r]!;
      if (e < energy || (e === energy && indices[r]! > index)) {
        energy = e;
        index = indices[r]!;
      }
    }
  };
  scan(layer.reservedIndices, layer.reservedEnergies, layer.reservedIndices.length);
  scan(layer.extraIndices, layer.extraEnergies, layer.extraCount);
  return index < 0 ? undefined : { energy, index };
}

/** The members of a set (index order) that are among its `k` best, ranked by energy then index: still in index order, with the worst of them. */
function bestOf(indices: Uint32Array, energies: Float64Array, k: number): { indices: Uint32Array; energies: Float64Array; boundary: RankBoundary | undefined } {
  const m = indices.length;
  if (k >= m) return { indices, energies, boundary: undefined };
  if (k === 0) return { indices: new Uint32Array(0), energies: new Float64Array(0), boundary: undefined };
  const cut = cutTop(energies, m, k);
  const chosen = new Uint32Array(k);
  const chosenEnergies = new Float64Array(k);
  let left = cut.quota;
  let w = 0;
  let last = 0;
  for (let r = 0; r < m; r++) {
    const e = energies[r]!;
    if (e > cut.value || (e === cut.value && left-- > 0)) {
      if (e === cut.value) last = indices[r]!;
      chosen[w] = indices[r]!;
      chosenEnergies[w++] = e;
    }
  }
  return { indices: chosen, energies: chosenEnergies, boundary: { energy: cut.value, index: last } };
}

/** Two disjoint index-ordered sets merged into one, in index order. */
function mergeSets(aIndices: Uint32Array, aEnergies: Float64Array, bIndices: Uint32Array, bEnergies: Float64Array): { indices: Uint32Array; energies: Float64Array } {
  const a = aIndices.length;
  const b = bIndices.length;
  if (a === 0) return { indices: bIndices, energies: bEnergies };
  if (b === 0) return { indices: aIndices, energies: aEnergies };
  const indices = new Uint32Array(a + b);
  const energies = new Float64Array(a + b);
  let i = 0;
  let j = 0;
  let w = 0;
  while (i < a && j < b) {
    if (aIndices[i]! < bIndices[j]!) {
      indices[w] = aIndices[i]!;
      energies[w++] = aEnergies[i++]!;
    } else {
      indices[w] = bIndices[j]!;
      energies[w++] = bEnergies[j++]!;
    }
  }
  for (; i < a; i++, w++) {
    indices[w] = aIndices[i]!;
    energies[w] = aEnergies[i]!;
  }
  for (; j < b; j++, w++) {
    indices[w] = bIndices[j]!;
    energies[w] = bEnergies[j]!;
  }
  return { indices, energies };
}

/** A score as `writeScores` (score-digits.ts) computes it: divisor 0 stands for an all-zero spectrum. */
function scoreOf(energy: number, divisor: number): number {
  return divisor === 0 ? 0 : energy / divisor;
}

// The cut's loops, each a small function of its own: they run once per cut over up to millions of
// entries, and a small function is compiled (on-stack replacement) soon after its loop starts.

/** Keeps the extras whose score digit is ≥ `bin` (in place, order kept); returns how many. */
function keepDigitsFrom(indices: Uint32Array, energies: Float64Array, digits: Uint16Array, m: number, bin: number): number {
  let w = 0;
  for (let r = 0; r < m; r++) {
    const d = digits[r]!;
    if (d >= bin) {
      indices[w] = indices[r]!;
      energies[w] = energies[r]!;
      digits[w++] = d;
    }
  }
  return w;
}

/**
 * Keeps the extras whose score digit is above `bin`, and those in it that `keep` flags (from slot
 * `at` on, one slot per extra in the bin, in order); in place, order kept. Returns how many.
 */
function keepFlagged(indices: Uint32Array, energies: Float64Array, digits: Uint16Array, m: number, bin: number, keep: Uint8Array, at: number): number {
  let w = 0;
  let j = at;
  for (let r = 0; r < m; r++) {
    const d = digits[r]!;
    if (d > bin || (d === bin && keep[j++] === 1)) {
      indices[w] = indices[r]!;
      energies[w] = energies[r]!;
      digits[w++] = d;
    }
  }
  return w;
}

/** Flags the scores[start, end) above `s`; returns how many equal it. */
function flagAbove(scores: Float64Array, start: number, end: number, s: number, keep: Uint8Array): number {
  let ties = 0;
  for (let j = start; j < end; j++) {
    const x = scores[j]!;
    if (x > s) keep[j] = 1;
    else if (x === s) ties++;
  }
  return ties;
}

/** The energies (read through `slots`) of the `ties` entries of scores[start, end) equal to `s`, in order. */
function tiedEnergies(scores: Float64Array, slots: Uint32Array, start: number, end: number, s: number, energies: Float64Array, ties: number): Float64Array {
  const tied = new Float64Array(ties);
  let t = 0;
  for (let j = start; j < end; j++) if (scores[j] === s) tied[t++] = energies[slots[j]!]!;
  return tied;
}

/** Flags the entries of scores[start, end) equal to `s` whose energy is above `tieEnergy`, or equal to it among the first `tieLeft`. */
function flagTies(scores: Float64Array, slots: Uint32Array, start: number, end: number, s: number, energies: Float64Array, tieEnergy: number, tieLeft: number, keep: Uint8Array): void {
  for (let j = start; j < end; j++) {
    if (scores[j] !== s) continue;
    const e = energies[slots[j]!]!;
    if (e > tieEnergy || (e === tieEnergy && tieLeft-- > 0)) keep[j] = 1;
  }
}

/**
 * Appends the scores of the extras in digit bin `bin` to `scores`, and their slots among the
 * extras to `slots`, from `at` on; returns the new end.
 */
function gatherBin(energies: Float64Array, digits: Uint16Array, m: number, bin: number, divisor: number, scores: Float64Array, slots: Uint32Array, at: number): number {
  for (let r = 0; r < m; r++) {
    if (digits[r] === bin) {
      scores[at] = scoreOf(energies[r]!, divisor);
      slots[at++] = r;
    }
  }
  return at;
}

/** Copies a layer's extras into arrays of their size once they fill less than half of them (frees the memory). */
function shrinkExtras(layer: LayerCandidates): void {
  const w = layer.extraCount;
  if (w + 64 < layer.extraIndices.length / 2) {
    layer.extraIndices = layer.extraIndices.slice(0, w);
    layer.extraEnergies = layer.extraEnergies.slice(0, w);
    layer.extraDigits = layer.extraDigits.slice(0, w);
  }
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
 * only the B − Σmin best "extra" positions seen so far — anything it cuts off can never come back
 * (the better ones ahead of it can only be displaced by still better ones). Nothing is ranked:
 * every layer's candidates are sets in index order, and after each layer the pool is cut to its
 * capacity by one radix selection over the scores of all its entries (top-cut.ts), each layer's
 * extras then filtered in place. Its random draws (made while the spectrum is there, to know their
 * energies) stop once min(R, s) of them fall outside its top-s set, s its current possible share,
 * R = B − ⌊δ·B⌋: its final random count cₗ − eₗ is at most both, and every entry outside the
 * top-s is outside the final top-eₗ as well. Only at the end is each layer's top eₗ cut from its cₗ.
 * With δ = 1 and one layer this is exactly `'per-layer'` with perLayer = B.
 */
export class GlobalSelector implements PositionSelector {
  private readonly layers: LayerCandidates[] = [];
  private readonly budget: number;
  /** Extras held over all layers (Σ extraCount). */
  private storedExtras = 0;
  /** How many extras have each first score digit (score-digits.ts). */
  private readonly digitCounts = new Uint32Array(SCORE_DIGIT_BINS);
  /** A score the pool's worst entry reached when it was last full (undefined before). */
  private floor: number | undefined;
  private reservedTotal = 0;
  private available = 0;
  /** R = B − ⌊δ·B⌋, the random share over all layers: no layer ever needs more random positions. */
  private readonly randomTotal: number;

  /**
   * @param poolSlack extras held beyond three times the pool's capacity before the ones in lower
   * digit bins are dropped (a memory bound, not a result: any value gives the same plan; tests
   * lower it to drop often).
   */
  constructor(
    private readonly options: ResolvedSelectionOptions,
    private readonly poolSlack = SCORE_DIGIT_BINS,
  ) {
    this.budget = options.budget!;
    this.randomTotal = this.budget - Math.floor(options.energyRatio * this.budget);
  }

  /** What divides a layer's energies into scores (0: every score is 0), exactly as `writeScores` (score-digits.ts) does. */
  private divisorOf(layer: LayerCandidates): number {
    const score = this.options.score!;
    if (score === 'energy') return 1; // e / 1 is e exactly
    if (!(layer.totalEnergy > 0)) return 0;
    return score === 'relative-energy' ? layer.totalEnergy : layer.totalEnergy / (layer.rows * layer.cols);
  }

  /**
   * Cuts the pool towards its capacity (≥ 0). The digit counts give the first-digit bin b of the
   * capacity-th best score: extras in lower bins can never get back in (the capacity best are all
   * in bins ≥ b) and are dropped. `exact`: the cut is then finished inside bin b — the score S of
   * the capacity-th best and how many entries at S stay, from one selection over the bin's scores
   * (top-cut.ts); at S the earlier layer wins, within a layer the higher energy, then the lower
   * index (a selection over that layer's tied energies when scores tie across different energies).
   * Each layer's extras are filtered in place, in index order.
   */
  private cutPool(capacity: number, exact: boolean): void {
    const layers = this.layers;
    const counts = this.digitCounts;
    if (capacity === 0) {
      for (const layer of layers) layer.extraCount = 0;
      counts.fill(0);
      this.storedExtras = 0;
      return;
    }
    const { bin, above } = boundaryDigit(counts, capacity);
    // Extras in bins above b all stay; in bin b, all (`exact` false) or those flagged in `keep`.
    let keep: Uint8Array | undefined;
    // Bin b's scores in list order (layer, then index); layer l's are binScores[ends[l − 1], ends[l]).
    const ends = new Uint32Array(exact ? layers.length : 0);
    if (exact) {
      const binScores = new Float64Array(counts[bin]!);
      // Where each of them sits among its layer's extras.
      const binSlots = new Uint32Array(binScores.length);
      let c = 0;
      for (let l = 0; l < layers.length; l++) {
        const layer = layers[l]!;
        c = gatherBin(layer.extraEnergies, layer.extraDigits, layer.extraCount, bin, this.divisorOf(layer), binScores, binSlots, c);
        ends[l] = c;
      }
      const cut = cutTop(binScores, c, capacity - above);
      keep = new Uint8Array(c);
      let remaining = cut.quota;
      let start = 0;
      for (let l = 0; l < layers.length; l++) {
        const end = ends[l]!;
        const ties = flagAbove(binScores, start, end, cut.value, keep);
        if (ties > 0 && remaining > 0) {
          // The first `remaining` ties at S in the layer's own order: energy descending, then index.
          const energies = layers[l]!.extraEnergies;
          const tied = tiedEnergies(binScores, binSlots, start, end, cut.value, energies, ties);
          const energyCut = ties > remaining ? cutTop(tied, ties, remaining) : { value: -1, quota: 0 };
          flagTies(binScores, binSlots, start, end, cut.value, energies, energyCut.value, energyCut.quota, keep);
          remaining -= Math.min(ties, remaining);
        }
        start = end;
      }
    }
    let stored = 0;
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l]!;
      layer.extraCount =
        keep === undefined
          ? keepDigitsFrom(layer.extraIndices, layer.extraEnergies, layer.extraDigits, layer.extraCount, bin)
          : keepFlagged(layer.extraIndices, layer.extraEnergies, layer.extraDigits, layer.extraCount, bin, keep, l > 0 ? ends[l - 1]! : 0);
      stored += layer.extraCount;
      shrinkExtras(layer);
    }
    counts.fill(0, 0, bin);
    counts[bin] = stored - above;
    this.storedExtras = stored;
  }

  /**
   * Drops random draws a layer can no longer use (copying, so the memory is freed) once they are
   * more than twice what its current share needs.
   */
  private trimDraws(layer: LayerCandidates): void {
    const share = layer.reservedIndices.length + layer.extraCount;
    const wanted = Math.min(this.randomTotal, share);
    if (layer.draws.positions.length > 2 * wanted + 64) {
      const keep = prefixHolding(layer.draws, worstStored(layer), wanted);
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
   * positions above the floor — exactly what cutting the pool would leave of the layer at most,
   * so the plan is the same, but the positions beyond are never collected nor stored.
   *
   * `poolDigits` ({@link poolDigits}, read before {@link accept} of any later layer; only on the
   * thread that owns the selector): the pool's score-digit counts, which with the layer's own
   * histogram give a tighter floor — the pool together with this layer's best positions fills the
   * capacity sooner than the pool alone (see `combinedFloor`).
   */
  static prepare(layer: ScoredLayer, options: ResolvedSelectionOptions, admission?: number, poolDigits?: Uint32Array): LayerEvidence {
    const budget = options.budget!;
    const positions = layer.rows * layer.cols;
    const minPerLayer = options.minPerLayer ?? 0;
    const layerCap = Math.min(positions, options.maxPerLayer ?? positions);
    const extrasRoom = Math.max(0, budget - minPerLayer * (layer.ordinal + 1));
    let kept = Math.max(0, Math.min(layerCap, minPerLayer + extrasRoom));
    let floor = admission;
    if (poolDigits !== undefined && layer.firstDigits !== undefined && kept > minPerLayer) {
      const combined = combinedFloor(poolDigits, layer, options.score!, extrasRoom, minPerLayer, kept - minPerLayer);
      if (combined !== undefined && (floor === undefined || combined > floor)) floor = combined;
    }
    if (floor !== undefined && layer.firstDigits !== undefined && kept > minPerLayer) {
      const lowest = lowestAdmissibleEnergy(options.score!, floor, layer.totalEnergy, positions);
      const above = lowest === Infinity ? 0 : countEnergiesAtLeast(layer.spectrum, layer.firstDigits, lowest);
      kept = Math.min(kept, minPerLayer + above);
    }
    const top = topEnergySet(layer.spectrum, kept, layer.firstDigits);
    const randomTotal = budget - Math.floor(options.energyRatio * budget);
    const stream = new PermutationStream(createRandom(layerStreamSeed(options.seed, layer.name)), positions);
    const draws = drawOutside(stream, layer.spectrum, top.boundary, Math.min(randomTotal, kept));
    return { name: layer.name, rows: layer.rows, cols: layer.cols, ordinal: layer.ordinal, fingerprint: layer.fingerprint, totalEnergy: layer.totalEnergy, top, draws };
  }

  /**
   * A score that the layer with this ordinal must beat for a position to enter the pool, known
   * from the layers accepted so far (undefined while the pool has never been full): the pool's
   * worst score at its last cut, reached by capacity ≥ this layer's capacity entries of earlier
   * layers. It only rises as more layers are accepted, so an older value is a valid, looser floor.
   */
  admissionFloor(ordinal: number): number | undefined {
    const capacity = this.budget - (this.options.minPerLayer ?? 0) * (ordinal + 1);
    if (capacity <= 0) return undefined;
    return this.floor;
  }

  /**
   * The pool's current score-digit counts (a live view: valid until the next {@link accept}), for
   * {@link prepare} on the same thread.
   */
  poolDigits(): Uint32Array {
    return this.digitCounts;
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
    // The best minPerLayer are reserved, the others are extras (both stay in index order).
    let reservedIndices = top.indices;
    let reservedEnergies = top.energies;
    let extraIndices: Uint32Array = new Uint32Array(0);
    let extraEnergies: Float64Array = new Float64Array(0);
    if (minPerLayer === 0) {
      reservedIndices = extraIndices;
      reservedEnergies = extraEnergies;
      extraIndices = top.indices;
      extraEnergies = top.energies;
    } else if (candidates > minPerLayer) {
      const cut = cutTop(top.energies, candidates, minPerLayer);
      reservedIndices = new Uint32Array(minPerLayer);
      reservedEnergies = new Float64Array(minPerLayer);
      extraIndices = new Uint32Array(candidates - minPerLayer);
      extraEnergies = new Float64Array(candidates - minPerLayer);
      let left = cut.quota;
      let a = 0;
      let b = 0;
      for (let r = 0; r < candidates; r++) {
        const e = top.energies[r]!;
        if (e > cut.value || (e === cut.value && left-- > 0)) {
          reservedIndices[a] = top.indices[r]!;
          reservedEnergies[a++] = e;
        } else {
          extraIndices[b] = top.indices[r]!;
          extraEnergies[b++] = e;
        }
      }
    }
    const extraDigits = new Uint16Array(extraIndices.length);
    countScoreDigits(options.score!, extraEnergies, layer.totalEnergy, positions, extraDigits, this.digitCounts);
    this.layers.push({
      name: layer.name,
      rows: layer.rows,
      cols: layer.cols,
      fingerprint: layer.fingerprint,
      totalEnergy: layer.totalEnergy,
      reservedIndices,
      reservedEnergies,
      extraIndices,
      extraEnergies,
      extraDigits,
      extraCount: extraIndices.length,
      draws: layer.draws,
    });
    this.storedExtras += extraIndices.length;
    if (extrasRoom === 0) this.cutPool(0, false);
    else if (this.storedExtras >= extrasRoom) {
      // Full: the lower edge of the capacity-th best score's digit bin is reached by ≥ capacity
      // extras of the layers so far, so later positions scoring no higher can never get in.
      this.floor = digitFloor(boundaryDigit(this.digitCounts, extrasRoom).bin);
      // Extras in lower bins are dropped once they are twice as many again as the pool holds.
      if (this.storedExtras > 3 * extrasRoom + this.poolSlack) this.cutPool(extrasRoom, false);
    }
    for (const earlier of this.layers) this.trimDraws(earlier);
  }

  finish(): PlannedLayer[] {
    const { budget, options, layers } = this;
    if (layers.length === 0) throw new SelectionInputError('layers', 'no layers to select from (the layer list is empty)');
    const capacity = budget - this.reservedTotal;
    if (this.storedExtras > capacity) this.cutPool(capacity, true);
    const counts = layers.map((l) => l.reservedIndices.length + l.extraCount);
    const chosen = counts.reduce((a, b) => a + b, 0);
    if (chosen !== budget) {
      const cap = options.maxPerLayer === undefined ? 'rows·cols' : `min(rows·cols, maxPerLayer ${options.maxPerLayer})`;
      throw new SelectionOptionError('budget', `budget ${budget} exceeds the ${this.available} positions available (Σ ${cap} over ${layers.length} layers)`);
    }
    const energyShares = largestRemainder(Math.floor(options.energyRatio * budget), counts);
    return layers.map((layer, i) => {
      const energyCount = energyShares[i]!;
      const all = mergeSets(layer.reservedIndices, layer.reservedEnergies, layer.extraIndices.subarray(0, layer.extraCount), layer.extraEnergies.subarray(0, layer.extraCount));
      const best = bestOf(all.indices, all.energies, energyCount);
      const randomCount = counts[i]! - energyCount;
      const random = takeOutside(layer.draws, best.boundary, randomCount);
      return assembleLayer({
        name: layer.name,
        rows: layer.rows,
        cols: layer.cols,
        fingerprint: layer.fingerprint,
        totalEnergy: layer.totalEnergy,
        energyIndices: best.indices,
        energyEnergies: best.energies,
        energyAscending: true,
        randomIndices: random.indices,
        randomEnergies: random.energies,
      });
    });
  }
}
