import { sparseIdht2d } from '@ssh-peft/hartley';
import { AdapterMismatchError, AdapterValidationError } from './errors';
import type { SshAdapter, SshAdapterLayer } from './types';
import { getLayer, validateConfig, validateLayer } from './validate';
import { verifyBase } from './verify';

/** A dense weight matrix (row-major [rows, cols]) as the backends hold it. */
export type WeightArray = Float32Array | Float64Array;

function resolveLayer(adapter: SshAdapter, layerName: string): SshAdapterLayer {
  validateConfig(adapter.config);
  const layer = getLayer(adapter, layerName);
  validateLayer(layer, `layer ${JSON.stringify(layerName)}`);
  return layer;
}

/**
 * ΔW = α · IDHT2(S) of one layer in float64, [rows, cols] row-major, by the lightweight inverse
 * of `@ssh-peft/hartley` (`sparseIdht2d`): only the r rows of S that hold a position are
 * transformed along cols, then every column along rows — O(r·cols·log cols + rows·cols·log rows),
 * never a rows·cols·n loop. Use this when the sum with W0 should round once (merging).
 *
 * @example
 * ```ts
 * import { deltaWeight64 } from '@ssh-peft/adapter';
 * const dW = deltaWeight64(adapter, 'dense'); // Float64Array(rows·cols)
 * ```
 */
export function deltaWeight64(adapter: SshAdapter, layerName: string): Float64Array {
  return denseDelta(adapter, resolveLayer(adapter, layerName));
}

function denseDelta(adapter: SshAdapter, layer: SshAdapterLayer): Float64Array {
  return sparseIdht2d(layer.indices, layer.coefficients, layer.rows, layer.cols, {
    variant: adapter.config.variant,
    normalization: adapter.config.normalization,
    scale: layer.alpha,
  });
}

/**
 * The dense update ΔW = α · IDHT2(S) of one layer as a Float32Array of shape [rows, cols]
 * (row-major, rows = d_in, cols = d_out), computed in float64 by the lightweight inverse and
 * rounded once (see {@link deltaWeight64}). Throws {@link AdapterValidationError} for an unknown
 * layer name or an invalid layer.
 *
 * @example
 * ```ts
 * import { createAdapter, deltaWeight } from '@ssh-peft/adapter';
 * const dW = deltaWeight(adapter, 'encoder.0.query'); // Float32Array(rows·cols)
 * ```
 */
export function deltaWeight(adapter: SshAdapter, layerName: string): Float32Array {
  return new Float32Array(deltaWeight64(adapter, layerName));
}

/** Options of {@link mergeWeights} and {@link unmergeWeights}. */
export interface MergeOptions<T extends WeightArray> {
  /**
   * Check the base weight's fingerprint against the adapter before merging (default `true` for
   * {@link mergeWeights}; a merged weight has no base fingerprint, so {@link unmergeWeights}
   * only checks the shape).
   */
  verify?: boolean;
  /** Destination of the same type and length as the input; may be the input itself (in place). */
  out?: T;
}

/**
 * W = W0 + ΔW for one layer, in the type of `w0` (float32 results round once, from the float64
 * sum). Verifies the base first (shape and fingerprint, {@link verifyBase}) unless
 * `verify: false`. Throws {@link AdapterMismatchError} on a wrong base, and
 * {@link AdapterValidationError} if a sum overflows to ±Infinity or `w0` holds NaN/Infinity.
 *
 * @example
 * ```ts
 * import { mergeWeights, unmergeWeights } from '@ssh-peft/adapter';
 * const merged = mergeWeights(w0, adapter, 'dense');
 * const back = unmergeWeights(merged, adapter, 'dense'); // == w0 up to float32 rounding
 * ```
 */
export function mergeWeights<T extends WeightArray>(w0: T, adapter: SshAdapter, layerName: string, options: MergeOptions<T> = {}): T {
  const layer = resolveLayer(adapter, layerName);
  if (options.verify !== false) verifyBase(adapter, layerName, w0);
  return combine(w0, layer, denseDelta(adapter, layer), 1, options.out, 'w0');
}

/**
 * W0 = W − ΔW for one layer (the inverse of {@link mergeWeights}); `unmergeWeights(mergeWeights(W0))`
 * equals W0 to float32 rounding (|error| ≤ 2⁻²³·(|W0| + |ΔW|) per entry). Checks the shape only.
 *
 * @example
 * ```ts
 * import { unmergeWeights } from '@ssh-peft/adapter';
 * const w0 = unmergeWeights(mergedKernel, adapter, 'dense');
 * ```
 */
export function unmergeWeights<T extends WeightArray>(w: T, adapter: SshAdapter, layerName: string, options: MergeOptions<T> = {}): T {
  const layer = resolveLayer(adapter, layerName);
  return combine(w, layer, denseDelta(adapter, layer), -1, options.out, 'w');
}

function combine<T extends WeightArray>(w: T, layer: SshAdapterLayer, delta: Float64Array, sign: 1 | -1, out: T | undefined, argName: string): T {
  if (!(w instanceof Float32Array) && !(w instanceof Float64Array)) {
    throw new AdapterValidationError(argName, `expected a Float32Array or Float64Array, got ${Object.prototype.toString.call(w).slice(8, -1)}`);
  }
  const size = layer.rows * layer.cols;
  if (w.length !== size) {
    throw new AdapterMismatchError(layer.name, `${argName}.length ${w.length} ≠ rows·cols = ${layer.rows}·${layer.cols} = ${size}`, `[${layer.rows}, ${layer.cols}]`, `${w.length} elements`);
  }
  let target: T;
  if (out === undefined) {
    target = (w instanceof Float32Array ? new Float32Array(size) : new Float64Array(size)) as T;
  } else {
    if (out.constructor !== w.constructor || out.length !== size) {
      throw new AdapterValidationError('options.out', `must be a ${w.constructor.name} of length ${size}`);
    }
    target = out;
  }
  for (let i = 0; i < size; i++) {
    const value = w[i]! + sign * delta[i]!;
    target[i] = value;
    // Checked after the store: a float32 target can overflow to Infinity on rounding.
    if (!Number.isFinite(target[i]!)) {
      throw new AdapterValidationError(`${argName}[${i}]`, `${w[i]} ${sign > 0 ? '+' : '−'} ΔW[${i}] (${delta[i]}) is not finite in ${w.constructor.name}`);
    }
  }
  return target;
}
