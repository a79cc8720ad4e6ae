import type { Normalization, Variant2D } from '@ssh-peft/hartley';

/** One weight matrix to select positions in: row-major, `rows = d_in`, `cols = d_out` (see docs/method.md, "The adapter"). */
export interface LayerInput {
  /** Unique name of the layer within one selection (it also seeds the layer's random stream). */
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  /** Row-major weights, `weights.length === rows · cols`. Read, never modified. */
  readonly weights: Float32Array | Float64Array;
}

/** Layers as an array, or as a (async) iterable so that a large model can be streamed one layer at a time. */
export type LayerSource = readonly LayerInput[] | Iterable<LayerInput> | AsyncIterable<LayerInput>;

/** `'per-layer'`: every layer gets `perLayer` positions (reference behaviour); `'global'`: `budget` positions ranked across layers. */
export type SelectionStrategy = 'per-layer' | 'global';

/**
 * The score that ranks positions of different layers against each other in `'global'`:
 * - `'mean-relative-energy'` (default): H[u,v]² · N / Σ H² — the energy relative to the layer's
 *   mean energy (N = rows·cols positions). It does not change when a layer is scaled, and it is
 *   about 1 everywhere in a layer whose spectrum is flat (noise), whatever the layer's size: layers
 *   compete by how concentrated their spectrum is, so layers of noise share the budget in
 *   proportion to their sizes and a concentrated (low-rank, smooth) layer gets more than its share;
 * - `'relative-energy'`: H[u,v]² / Σ H², the share of the layer's total energy; scale-free too, but
 *   every position of a layer with N positions starts 1/N behind, so big layers starve;
 * - `'energy'`: H[u,v]², the raw spectral energy (favours layers of large scale).
 * A layer whose spectrum is all zero scores 0 under both relative scores.
 */
export type GlobalScore = 'mean-relative-energy' | 'relative-energy' | 'energy';

/** Options of {@link selectSpectrum}. */
export interface SelectionOptions {
  strategy: SelectionStrategy;
  /** Positions per layer (`'per-layer'` only): integer ≥ 1, ≤ rows·cols of every layer. */
  perLayer?: number;
  /** Total positions over all layers (`'global'` only): integer ≥ 1, ≤ the positions available. */
  budget?: number;
  /** δ ∈ [0, 1]: ⌊δ·n⌋ positions are chosen by spectral energy, the rest uniformly at random (seeded). */
  energyRatio: number;
  /** Seed of the random share (a safe integer). Each layer draws from its own stream, see `layerStreamSeed`. */
  seed: number;
  /** `'global'` only; default `'mean-relative-energy'`. */
  score?: GlobalScore;
  /** `'global'` only: every layer gets at least this many positions (default 0). */
  minPerLayer?: number;
  /** `'global'` only: no layer gets more than this many positions (default: no limit). */
  maxPerLayer?: number;
  /**
   * `'per-layer'` only: use the reference code's rule for the number chosen by energy,
   * `min(j, ⌊δ·n⌋)` where `j` is the smallest count of top-energy positions whose cumulative
   * energy reaches `energyThreshold` × the layer's total energy. The reference code effectively
   * runs with threshold 0.5 and ratio 0.2. Unset (default): the count is ⌊δ·n⌋.
   */
  energyThreshold?: number;
  /** 2D DHT variant of the spectrum (default `'separable'`, as in `@ssh-peft/hartley`). */
  variant?: Variant2D;
  /** Normalisation of the 2D DHT (default `'backward'`). It scales every energy of a layer alike, so it changes no ranking within a layer, only `'energy'` across layers of different sizes. */
  normalization?: Normalization;
  /**
   * Called after each layer is scored: `done` layers of `total` (`undefined` for a stream, whose
   * length is unknown). Not stored in the plan.
   */
  onProgress?(done: number, total: number | undefined, layerName: string): void;
  /**
   * Threads that compute the layers' spectra. In Node, default = the available cores: layers of
   * ≥ 2^20 positions are sent (copied) to that many `worker_threads`, smaller ones stay on the
   * calling thread. The plan is bit-identical for any count. Elsewhere (browsers) the default is
   * one thread and a count > 1 is an error. Not stored in the plan.
   */
  workers?: number;
}

/** The options as recorded in a plan: validated, defaults filled in, callbacks dropped; JSON-serialisable. */
export interface ResolvedSelectionOptions {
  readonly strategy: SelectionStrategy;
  readonly perLayer?: number;
  readonly budget?: number;
  readonly energyRatio: number;
  readonly seed: number;
  readonly score?: GlobalScore;
  readonly minPerLayer?: number;
  readonly maxPerLayer?: number;
  readonly energyThreshold?: number;
  readonly variant: Variant2D;
  readonly normalization: Normalization;
}

/** The positions chosen in one layer. */
export interface PlannedLayer {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  /** Flat row-major positions `u·cols + v`, strictly ascending. */
  readonly indices: Uint32Array;
  /** How many of `indices` were chosen by spectral energy (the rest are the seeded random share). */
  readonly energyChosen: number;
  /** Σ H² at `indices` / Σ H² over the layer, in [0, 1] (0 for an all-zero spectrum). */
  readonly capturedEnergy: number;
  /** `fingerprintWeights` of the layer's weights, to verify a base model against the plan later. */
  readonly fingerprint: string;
}

/** The result of {@link selectSpectrum}; layers in input order. */
export interface SelectionPlan {
  readonly version: 1;
  readonly options: ResolvedSelectionOptions;
  readonly layers: readonly PlannedLayer[];
}

/** Format version of {@link SelectionPlan} and of its serialised form. */
export const SELECTION_PLAN_VERSION = 1 as const;
