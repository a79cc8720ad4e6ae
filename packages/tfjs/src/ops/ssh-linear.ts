/**
 * `sshLinear`: y = x·W0 + x·ΔW (+ b) with ΔW = α·IDHT2(S) for a sparse spectrum S.
 *
 * Two routes, same result:
 * - factored: ΔW is never built. DHT over the feature axis of x, gather the columns
 *   u_k, times c_k, scatter-add into the columns v_k, DHT over the output axis, times
 *   α·(normalisation). Gradients reach the coefficients and x through the same ops
 *   (the DHT op's gradient is itself).
 * - dense: ΔW materialised by the same transforms on the sparse S (two DHTs of a
 *   rows×cols matrix), then one matMul with W0 + ΔW.
 * `path: 'auto'` picks the cheaper one with {@link chooseSshPath}.
 *
 * Both routes use this package's kernels where the active backend has them. On a
 * backend with only tfjs's stock kernels (tfjs-node's `tensorflow`, a third-party
 * backend) the same two routes run composed of stock ops instead (composed-route.ts:
 * matMuls with the cas matrices restricted to the positions); the choice is made at
 * every call, from the kernels registered for the active backend.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node build registers no gradients of its own ops; tfjs-layers registers them
// all (gather, unsortedSegmentSum, transpose, … that the factored route differentiates).
import '@tensorflow/tfjs-layers';
import { normalizationFactor, type Normalization } from '@ssh-peft/hartley';
import { SshDisposedError, SshDtypeError, SshOptionError, SshShapeError } from '../errors';
import { assertDhtInput, dhtLastAxis, hasDhtKernel } from './dht';
import { composedDenseDelta, composedFactoredDelta } from './composed-route';
import type { SpectralTerms } from './spectral-terms';
import { sparseMix } from './sparse-mix';

/** Which route computes x·ΔW. */
export type SshPath = 'auto' | 'factored' | 'dense';

/** Everything sshLinear needs to know about one adapted layer. */
export interface SshLayerState {
  /** Positions expanded for the layer's 2D variant ({@link compileSpectralTerms}). */
  terms: SpectralTerms;
  /** Trainable coefficients, float32 `[n]` (a tf.Variable while training). */
  coefficients: tf.Tensor;
  /** Scale α of ΔW. */
  alpha: number;
  /** Normalisation of the inverse 2D DHT (`backward` → 1/(rows·cols)). */
  normalization: Normalization;
}

/** Options of {@link sshLinear}. */
export interface SshLinearOptions {
  /** Optional bias `[cols]`. */
  bias?: tf.Tensor | null;
  /** Route; default `'auto'`. */
  path?: SshPath;
  /** Whether gradients will be taken (informs the `'auto'` cost model; default true). */
  training?: boolean;
}

/**
 * Estimated extra work (multiply-adds) of each route for `tokens` rows of x.
 * Factored: two row transforms per token (four when training) at ~N·log2 N each, plus
 * the sparse mix of the m terms. Dense: building ΔW (again in the backward pass) plus,
 * when training, the xᵀ·dy product that yields ∂L/∂ΔW (tokens·rows·cols). The forward
 * x·(W0+ΔW) costs nothing extra over the frozen x·W0.
 */
export function estimateSshCosts(tokens: number, terms: SpectralTerms, training: boolean): { factored: number; dense: number } {
  const { rows, cols } = terms;
  const lr = Math.log2(Math.max(rows, 2));
  const lc = Math.log2(Math.max(cols, 2));
  const passes = training ? 2 : 1;
  const m = terms.gatherIndex.length;
  const factored = passes * tokens * (rows * lr + cols * lc + 2 * m);
  // Dense: cas matrix (rows² log rows), the mix into it (rows·m) and the DHT of every row
  // of the result (rows·cols·log cols), plus ∂L/∂ΔW = xᵀ·dy when training.
  const dense = passes * (rows * rows * lr + rows * m + rows * cols * lc) + (training ? tokens * rows * cols : 0);
  return { factored, dense };
}

/**
 * The route `'auto'` takes: factored unless building ΔW is estimated cheaper
 * (see {@link estimateSshCosts}), which happens only for very few tokens.
 *
 * @example
 * ```ts
 * chooseSshPath(4096, terms, true);   // 'factored'
 * ```
 */
export function chooseSshPath(tokens: number, terms: SpectralTerms, training: boolean): 'factored' | 'dense' {
  const { factored, dense } = estimateSshCosts(tokens, terms, training);
  return factored <= dense ? 'factored' : 'dense';
}

function checkState(state: SshLayerState, where: string): void {
  const { terms, coefficients, alpha } = state;
  if (!(coefficients instanceof tf.Tensor)) throw new SshOptionError(`${where}: coefficients must be a tf.Tensor`);
  if (coefficients.isDisposed) throw new SshDisposedError(`${where}: coefficients tensor (id ${coefficients.id}) is disposed`);
  if (coefficients.dtype !== 'float32') throw new SshDtypeError(`${where}: coefficients must be float32, got ${coefficients.dtype}`);
  if (coefficients.rank !== 1 || coefficients.shape[0] !== terms.count) {
    throw new SshShapeError(`${where}: coefficients have shape [${coefficients.shape}], expected [${terms.count}] (one per position)`);
  }
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new SshOptionError(`${where}: alpha must be a finite number, got ${String(alpha)}`);
}

function outputScale(state: SshLayerState): number {
  const { rows, cols } = state.terms;
  return state.alpha * normalizationFactor(rows * cols, state.normalization, 'idht');
}

/**
 * x2d·ΔW by the factored route, x2d `[T, rows]` → `[T, cols]`. Must run inside a tidy.
 */
export function factoredDelta(x2d: tf.Tensor2D, state: SshLayerState): tf.Tensor2D {
  if (!hasDhtKernel()) return composedFactoredDelta(x2d, state.coefficients, state.terms, outputScale(state));
  return dhtLastAxis(sparseMix(dhtLastAxis(x2d), state.coefficients, state.terms), outputScale(state));
}

/**
 * ΔW `[rows, cols]` materialised with tfjs ops (differentiable w.r.t. the
 * coefficients): C_rows·S is the sparse mix applied to the (symmetric) cas matrix
 * C_rows, then one DHT along the output axis gives C_rows·S·C_cols. Must run inside a tidy.
 */
export function denseDelta(state: SshLayerState): tf.Tensor2D {
  if (!hasDhtKernel()) return composedDenseDelta(state.coefficients, state.terms, outputScale(state));
  const { rows } = state.terms;
  const cas = dhtLastAxis(tf.eye(rows) as tf.Tensor2D);
  return dhtLastAxis(sparseMix(cas, state.coefficients, state.terms), outputScale(state));
}

/**
 * Computes the deltas' dense matrix ΔW = α·IDHT2(S) for one layer as a new tensor.
 *
 * @example
 * ```ts
 * const dW = sshDeltaWeight({ terms, coefficients: tf.tensor1d([1, 2]), alpha: 1, normalization: 'backward' });
 * ```
 */
export function sshDeltaWeight(state: SshLayerState): tf.Tensor2D {
  checkState(state, 'sshDeltaWeight');
  return tf.tidy(() => denseDelta(state));
}

/**
 * y = x·W0 + x·ΔW (+ bias), ΔW = α·IDHT2(S), S zero except at the layer's positions.
 * x may have any rank ≥ 1 with last axis `rows`; y has the same leading axes and last axis `cols`.
 * Differentiable with respect to x and the coefficients (W0 is treated like any
 * tensor; keep it out of the trainable variables to freeze it).
 *
 * @throws {SshShapeError} when x's last axis, W0, bias or coefficients do not match the positions' `rows × cols`.
 * @example
 * ```ts
 * const terms = compileSpectralTerms(new Uint32Array([0, 5, 9]), 4, 3, 'separable');
 * const c = tf.variable(tf.tensor1d([0.1, -0.2, 0.3]));
 * const y = sshLinear(tf.ones([2, 4]), tf.zeros([4, 3]), { terms, coefficients: c, alpha: 10, normalization: 'backward' });
 * ```
 */
export function sshLinear(x: tf.Tensor, w0: tf.Tensor, state: SshLayerState, options: SshLinearOptions = {}): tf.Tensor {
  assertDhtInput(x, 'sshLinear: x');
  assertDhtInput(w0, 'sshLinear: w0');
  checkState(state, 'sshLinear');
  const { rows, cols } = state.terms;
  if (w0.rank !== 2 || w0.shape[0] !== rows || w0.shape[1] !== cols) {
    throw new SshShapeError(`sshLinear: w0 has shape [${w0.shape}], expected [${rows}, ${cols}]`);
  }
  if (x.shape[x.rank - 1] !== rows) {
    throw new SshShapeError(`sshLinear: x has shape [${x.shape}]; its last axis must be d_in = ${rows}`);
  }
  const bias = options.bias ?? null;
  if (bias !== null) {
    assertDhtInput(bias, 'sshLinear: bias');
    if (bias.rank !== 1 || bias.shape[0] !== cols) throw new SshShapeError(`sshLinear: bias has shape [${bias.shape}], expected [${cols}]`);
  }
  const path = options.path ?? 'auto';
  if (path !== 'auto' && path !== 'factored' && path !== 'dense') {
    throw new SshOptionError(`sshLinear: path must be 'auto', 'factored' or 'dense', got ${String(path)}`);
  }
  return tf.tidy(() => {
    const tokens = x.size / rows;
    const x2d = tf.reshape(x, [tokens, rows]) as tf.Tensor2D;
    const route = path === 'auto' ? chooseSshPath(tokens, state.terms, options.training ?? true) : path;
    let y2d: tf.Tensor2D =
      route === 'factored' ? tf.add(tf.matMul(x2d, w0 as tf.Tensor2D), factoredDelta(x2d, state)) : tf.matMul(x2d, tf.add(w0, denseDelta(state)) as tf.Tensor2D);
    if (bias !== null) y2d = tf.add(y2d, bias);
    return tf.reshape(y2d, [...x.shape.slice(0, -1), cols]);
  });
}
