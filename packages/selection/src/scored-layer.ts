/** One layer after it has passed through the transform: what the strategies need from it. */
export interface ScoredLayer {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  /** Place of the layer in the input (0-based). */
  readonly ordinal: number;
  readonly fingerprint: string;
  /** DHT2 of the weights (same float type as the weights); energy at flat index i = spectrum[i]². */
  readonly spectrum: Float32Array | Float64Array;
  /** Σ spectrum[i]² in flat index order. */
  readonly totalEnergy: number;
  /** Histogram of the energies' first rank-key digit (energy-keys.ts), counted with the total; top-k reuses it. */
  readonly firstDigits?: Uint32Array;
}

/** A selection strategy consumes scored layers one at a time, then produces the plan's layers. */
export interface PositionSelector {
  add(layer: ScoredLayer): void;
  finish(): import('./types').PlannedLayer[];
}
