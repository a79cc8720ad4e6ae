import { createColumnTransform, separableToTrue } from './columns';
import { normalizationFactor } from './normalization';
import { cachedPlan } from './plan';
import type { Dht2dOptions, RealArray } from './types';
import { simdRuntime } from './wasm/runtime';
import { Simd2dKernel } from './wasm/simd-2d';
import { assertMatrix, assertRealArray, readNormalization, readVariant } from './validate';

function transform2d<T extends RealArray>(fn: string, data: T, rows: number, cols: number, options: Dht2dOptions, inverse: boolean): T {
  assertRealArray(fn, 'data', data);
  assertMatrix(fn, 'data', data, rows, cols);
  const normalization = readNormalization(fn, options?.normalization);
  const variant = readVariant(fn, options?.variant);
  const out = data.slice() as T;
  const scale = normalizationFactor(rows * cols, normalization, inverse ? 'idht' : 'dht');
  // The same kernels as createPlan2d's, so that both give the same bits for the same data.
  const rt = simdRuntime();
  if (rt !== null) {
    if (out instanceof Float32Array && Simd2dKernel.supports(rows, cols)) new Simd2dKernel(rt, rows, cols, 'f32').transform(out, scale);
    else if (out instanceof Float64Array && Simd2dKernel.supports(rows, cols, 'f64')) new Simd2dKernel(rt, rows, cols, 'f64').transform(out, scale);
    else return transform2dJs(out, rows, cols, scale, variant);
    if (variant === 'true') separableToTrue(out, rows, cols);
    return out;
  }
  return transform2dJs(out, rows, cols, scale, variant);
}

function transform2dJs<T extends RealArray>(out: T, rows: number, cols: number, scale: number, variant: 'separable' | 'true'): T {
  cachedPlan(cols).transformRows(out, rows, 1);
  createColumnTransform(rows, cols).apply(out, scale);
  if (variant === 'true') separableToTrue(out, rows, cols);
  return out;
}

/**
 * 2D DHT of a row-major `rows × cols` matrix. `variant: 'separable'` (default) is
 * S = C_rows·W·C_cols (1D DHT of every row, then every column); `'true'` is
 * T[u,v] = Σ W[m,n]·cas(2π(um/rows + vn/cols)), obtained from S by the reflection
 * relation T = ½(S[u,v] + S[−u,v] + S[u,−v] − S[−u,−v]). The normalisation factor is
 * applied once for the whole matrix (1/(rows·cols) overall, or its square root for
 * `ortho`). Returns a new array of the input's type; NaN/±Infinity propagate (IEEE 754).
 *
 * @example
 * ```ts
 * import { dht2d, idht2d } from '@ssh-peft/hartley';
 * const W = new Float32Array(3 * 5).map((_, i) => i);
 * const S = dht2d(W, 3, 5);
 * const back = idht2d(S, 3, 5); // ≈ W
 * ```
 */
export function dht2d<T extends RealArray>(data: T, rows: number, cols: number, options: Dht2dOptions = {}): T {
  return transform2d('dht2d', data, rows, cols, options, false);
}

/**
 * Inverse 2D DHT: both variants are their own inverse up to 1/(rows·cols), so this is
 * {@link dht2d} with the inverse normalisation factor; `idht2d(dht2d(W, r, c, o), r, c, o) ≈ W`.
 *
 * @example
 * ```ts
 * import { dht2d, idht2d } from '@ssh-peft/hartley';
 * const W = new Float64Array([1, 2, 3, 4, 5, 6]);
 * idht2d(dht2d(W, 2, 3, { variant: 'true' }), 2, 3, { variant: 'true' }); // ≈ W
 * ```
 */
export function idht2d<T extends RealArray>(data: T, rows: number, cols: number, options: Dht2dOptions = {}): T {
  return transform2d('idht2d', data, rows, cols, options, true);
}
