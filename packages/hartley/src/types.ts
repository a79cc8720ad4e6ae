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

/** Options of {@link dht} / {@link idht}. */
export interface DhtOptions {
  /** Default `'backward'`. */
  normalization?: Normalization;
}

/** Options of {@link dht2d} / {@link idht2d} (the normalisation factor uses rows·cols). */
export interface Dht2dOptions extends DhtOptions {
  /** Default `'separable'`. */
  variant?: Variant2D;
}

/**
 * A reusable transform of one length `n`: twiddle tables, permutation and work
 * buffers are computed once, every call transforms in place into the caller's
 * buffer without allocating. Computation is in float64 whatever the buffer type.
 *
 * The transform is the unnormalised DHT, H[k] = Σ x[j]·cas(2πkj/n), multiplied by
 * `scale` (default 1). Since the DHT is its own inverse up to 1/n, the inverse is
 * `transform(buf, 1 / n)`. NaN/±Infinity in the input propagate per IEEE 754: every
 * output that depends on them is NaN or ±Infinity (inside the butterflies 0·∞ and ∞ − ∞
 * can turn an infinity into NaN); nothing is clamped or replaced.
 *
 * A plan is not re-entrant (it owns one work buffer); JavaScript's single thread
 * makes that safe unless the same plan is used from inside a callback of itself.
 *
 * @example
 * ```ts
 * import { createPlan } from '@ssh-peft/hartley';
 * const plan = createPlan(3072);
 * const rows = new Float32Array(8 * 3072).map(Math.random);
 * plan.transformRows(rows, 8);            // 8 DHTs, in place, no allocation
 * plan.transformRows(rows, 8, 1 / 3072);  // inverse
 * ```
 */
export interface HartleyPlan {
  /** Transform length. */
  readonly n: number;
  /** Which algorithm the plan uses: `'radix'` (power of two / mixed radix) or `'bluestein'`. */
  readonly algorithm: 'radix' | 'bluestein';
  /**
   * `'simd'`: a WebAssembly SIMD kernel serves this length. Float32 data (source and destination
   * both `Float32Array`) is transformed in float32 arithmetic by the f32x4 radix kernel, or
   * Bluestein for lengths it cannot take (every n ≥ 64 except smooth lengths not a multiple of 4
   * where Bluestein would be slower); float64 data (both `Float64Array`) of even length
   * 80 … 2^22 whose odd prime factors are ≤ 67 by the f64x2 kernel in float64 arithmetic; any
   * other data by the JavaScript float64 path. `'js'`: everything takes the JavaScript path.
   */
  readonly backend: 'simd' | 'js';
  /** Transforms `buf` (length exactly `n`) in place, multiplying by `scale`. */
  transform(buf: RealArray, scale?: number): void;
  /** Transforms every row of a row-major `rows × n` matrix in place (`buf.length === rows·n`). */
  transformRows(buf: RealArray, rows: number, scale?: number): void;
  /**
   * Low-level form: reads `n` values from `src` at `srcOffset`, writes the scaled
   * transform to `dst` at `dstOffset` (`src` and `dst` may be the same array and overlap exactly).
   * No validation beyond what JavaScript does — use for hot loops after validating once.
   */
  transformAt(src: RealArray, srcOffset: number, dst: RealArray, dstOffset: number, scale: number): void;
  /**
   * Strided low-level form: transforms the n elements src[srcOffset + i·srcStride] and writes
   * element k to dst[dstOffset + k·dstStride] — e.g. one column of a row-major matrix in place
   * with `(m, c, cols, m, c, cols, s)`. No validation; dst may alias src exactly.
   */
  transformStrided(src: RealArray, srcOffset: number, srcStride: number, dst: RealArray, dstOffset: number, dstStride: number, scale: number): void;
}

/** Options of {@link createPlan}. */
export interface PlanOptions {
  /**
   * Force an algorithm (mainly for testing one against the other). Default `'auto'`:
   * radix for lengths whose prime factors are all ≤ 67, Bluestein otherwise.
   */
  algorithm?: 'auto' | 'radix' | 'bluestein';
  /**
   * `'auto'` (default): the WebAssembly SIMD kernels when the runtime supports them (see
   * `simdAvailable`, `loadSimd`): for float32 data every n ≥ 64 (radix kernel for n = 4·L with
   * L's prime factors ≤ 67, Bluestein otherwise — for smooth lengths only where that is faster),
   * for float64 data the even lengths 80 … 2^22 whose odd prime factors are ≤ 67; the
   * JavaScript kernels otherwise. `'simd'`
   * requires them (error if unavailable or n < 64); `'js'` never uses them.
   */
  backend?: 'auto' | 'simd' | 'js';
}

/** Options shared by the sparse-spectrum functions. */
export interface SparseSpectrumOptions extends Dht2dOptions {
  /** Multiplies ΔW (e.g. the adapter's α). Default 1. */
  scale?: number;
}
