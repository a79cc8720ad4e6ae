/** A real-valued typed array the transforms accept and return (same type out as in). */
export type RealArray = Float32Array | Float64Array;

/**
 * Where the 1/N factor goes, named as in numpy/scipy:
 * - `backward`: forward unscaled, inverse × 1/N (default);
 * - `ortho`: both × 1/√N — the transform is then orthogonal and an involution;
 * - `forward`: forward × 1/N, inverse unscaled.
 */
export type Normalization = 'backward' | 'ortho' | 'forward';

/**
 * 2D transform variant:
 * - `separable`: S = C_M · W · C_N (1D DHT of every row, then of every column);
 * - `true`: T[u,v] = Σ W[m,n] · cas(2π(um/M + vn/N)).
 */
export type Variant2D = 'separable' | 'true';

export interface DhtOptions {
  /** Default `'backward'`. */
  normalization?: Normalization;
}

export interface Dht2dOptions extends DhtOptions {
  /** Default `'separable'`. */
  variant?: Variant2D;
}
