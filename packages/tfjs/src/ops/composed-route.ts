/**
 * The composed route: SSH on a backend that has tfjs's stock kernels but none of this
 * package's (tfjs-node's `tensorflow`, a third-party backend). Only stock,
 * differentiable ops run — matMul, mul, reshape (gather only for a position layout
 * compileSpectralTerms never makes) — so tfjs differentiates them and every backend with
 * the stock kernels works.
 *
 * x·ΔW needs no transform of length N here: with the cas matrices C restricted to the
 * terms' columns and rows,
 *
 *     U[i, j] = cas(2π·i·g_j / rows)   [rows, m]      (= C_rows · one-hot of the gathers)
 *     V[j, o] = cas(2π·s_j·o / cols)   [m, cols]      (= one-hot of the scatters · C_cols)
 *
 * the factored route DHT_cols(mix(DHT_rows(x))) is ((x·U) ⊙ c_terms)·V and the dense
 * ΔW is (U ⊙ c_terms)·V, times the output scale; c_terms = c (separable) or c
 * broadcast over each position's four signed terms (true-2D) — no gather, whose
 * gradient (UnsortedSegmentSum) is slow on tfjs-backend-cpu and wrong on webgl 4.22.
 * Cost T·m·(rows + cols) per pass; memory 4·m·(rows + cols) bytes of tables per layer
 * and backend, never N² (e.g. 6.1 MB for a separable 768→768 layer with n = 1000), made
 * once per position set and backend and released when the position set is
 * garbage-collected (or by {@link clearComposedRouteTables}).
 *
 * `dhtLastAxis` itself, called directly on such a backend, is a matMul with the N×N cas
 * matrix: cached per backend for N ≤ {@link COMPOSED_CAS_CACHE_MAX_LENGTH} within
 * {@link COMPOSED_CAS_CACHE_BYTES}, built per call above that, refused above
 * {@link COMPOSED_DHT_MAX_LENGTH}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SshShapeError } from '../errors';
import type { SpectralTerms } from './spectral-terms';

/** Lengths up to this keep their cas matrix cached on the backend (16 MB each at 2048). */
export const COMPOSED_CAS_CACHE_MAX_LENGTH = 2048;
/** Total bytes of cached cas matrices per backend; lengths beyond it are built per call. */
export const COMPOSED_CAS_CACHE_BYTES = 64 * 2 ** 20;
/** Longest N the composed `dhtLastAxis` accepts: its N×N matrix is 256 MB at 8192. */
export const COMPOSED_DHT_MAX_LENGTH = 8192;

/** cas(2π·a/n) for an integer a, with the product reduced mod n exactly first. */
function casOf(a: number, n: number): number {
  const angle = (2 * Math.PI * (a % n)) / n;
  return Math.cos(angle) + Math.sin(angle);
}

/** U [rows, m]: U[i, j] = cas(2π·i·index_j / n), in float64 rounded once. */
function casColumns(n: number, index: Int32Array): Float32Array {
  const m = index.length;
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j] = casOf(i * index[j], n);
  return out;
}

/** The N×N cas matrix, symmetric (so x·C is the DHT of the rows of x). */
function casMatrix(n: number): Float32Array {
  return casColumns(n, Int32Array.from({ length: n }, (_, i) => i));
}

interface PositionTables {
  u: tf.Tensor2D;
  v: tf.Tensor2D;
  /** Term weights as [n, r] when coefficient k owns terms k·r … k·r + r − 1 (broadcast), else [m] (gathered). */
  weight: tf.Tensor | null;
  /** Coefficient of each term, only when the terms are not grouped as above. */
  coefIndex: tf.Tensor1D | null;
}

/**
 * r when coefficient k owns the consecutive terms k·r … k·r + r − 1 (how
 * compileSpectralTerms lays out the true-2D variant), else 0.
 */
function termsPerCoefficient(terms: SpectralTerms): number {
  const index = terms.coefficientIndex;
  if (index === null) return 1;
  if (terms.count === 0 || index.length % terms.count !== 0) return 0;
  const r = index.length / terms.count;
  for (let j = 0; j < index.length; j++) if (index[j] !== Math.floor(j / r)) return 0;
  return r;
}

const positionTables = new WeakMap<SpectralTerms, Map<string, PositionTables>>();

function disposeQuietly(tensors: tf.Tensor[]): void {
  for (const t of tensors) {
    try {
      if (!t.isDisposed) t.dispose();
    } catch {
      // The backend may already be gone (tf.removeBackend): nothing left to release.
    }
  }
}

/** Tensors of every live position table, so that {@link clearComposedRouteTables} reaches them. */
const livePositionTables = new Set<tf.Tensor[]>();

// Tables live on the backend (engine tensors); they go when their position set does.
const releaseWithTerms = new FinalizationRegistry<tf.Tensor[]>((tensors) => {
  livePositionTables.delete(tensors);
  disposeQuietly(tensors);
});

function tablesFor(terms: SpectralTerms): PositionTables {
  const backendName = tf.getBackend();
  let perBackend = positionTables.get(terms);
  if (perBackend === undefined) {
    perBackend = new Map();
    positionTables.set(terms, perBackend);
  }
  const hit = perBackend.get(backendName);
  if (hit !== undefined && !hit.u.isDisposed) return hit;
  const { rows, cols, gatherIndex, scatterIndex, coefficientIndex, termWeight } = terms;
  const m = gatherIndex.length;
  const vValues = new Float32Array(m * cols);
  for (let j = 0; j < m; j++) for (let o = 0; o < cols; o++) vValues[j * cols + o] = casOf(scatterIndex[j] * o, cols);
  // Kept: callers run inside tidy scopes, the tables outlive them.
  const tables: PositionTables = {
    u: tf.keep(tf.tensor2d(casColumns(rows, gatherIndex), [rows, m])),
    v: tf.keep(tf.tensor2d(vValues, [m, cols])),
    coefIndex: null,
    weight: null,
  };
  const grouped = termsPerCoefficient(terms);
  if (termWeight !== null && grouped > 0) {
    // Broadcasting rather than gather: gather's gradient is UnsortedSegmentSum, which is
    // O(segments × size) on tfjs-backend-cpu and miscounts windows on tfjs-backend-webgl 4.22.
    tables.weight = tf.keep(tf.tensor2d(termWeight, [terms.count, grouped]));
  } else if (coefficientIndex !== null || termWeight !== null) {
    tables.coefIndex = coefficientIndex === null ? null : tf.keep(tf.tensor1d(coefficientIndex, 'int32'));
    tables.weight = termWeight === null ? null : tf.keep(tf.tensor1d(termWeight, 'float32'));
  }
  const tensors: tf.Tensor[] = [tables.u, tables.v];
  if (tables.coefIndex !== null) tensors.push(tables.coefIndex);
  if (tables.weight !== null) tensors.push(tables.weight);
  perBackend.set(backendName, tables);
  livePositionTables.add(tensors);
  releaseWithTerms.register(terms, tensors);
  return tables;
}

/** c_terms · scale: one scaled coefficient per term. */
function termCoefficients(c: tf.Tensor, tables: PositionTables, scale: number): tf.Tensor1D {
  const { coefIndex, weight } = tables;
  let perTerm = c;
  if (weight !== null && weight.rank === 2) {
    perTerm = tf.reshape(tf.mul(tf.reshape(c, [weight.shape[0], 1]), weight), [weight.size]);
  } else {
    if (coefIndex !== null) perTerm = tf.gather(c, coefIndex);
    if (weight !== null) perTerm = tf.mul(perTerm, weight);
  }
  return tf.mul(perTerm, scale) as tf.Tensor1D;
}

/**
 * x2d·ΔW on the composed route, x2d `[T, rows]` → `[T, cols]`: ((x·U) ⊙ c_terms·scale)·V.
 * Must run inside a tidy.
 */
export function composedFactoredDelta(x2d: tf.Tensor2D, coefficients: tf.Tensor, terms: SpectralTerms, scale: number): tf.Tensor2D {
  const tables = tablesFor(terms);
  return tf.matMul(tf.mul(tf.matMul(x2d, tables.u), termCoefficients(coefficients, tables, scale)), tables.v);
}

/** ΔW `[rows, cols]` on the composed route: (U ⊙ c_terms·scale)·V. Must run inside a tidy. */
export function composedDenseDelta(coefficients: tf.Tensor, terms: SpectralTerms, scale: number): tf.Tensor2D {
  const tables = tablesFor(terms);
  return tf.matMul(tf.mul(tables.u, termCoefficients(coefficients, tables, scale)), tables.v);
}

const casCache = new Map<string, { bytes: number; matrices: Map<number, tf.Tensor2D> }>();

function casMatrixTensor(n: number): { matrix: tf.Tensor2D; cached: boolean } {
  const backendName = tf.getBackend();
  let cache = casCache.get(backendName);
  if (cache === undefined) {
    cache = { bytes: 0, matrices: new Map() };
    casCache.set(backendName, cache);
  }
  const hit = cache.matrices.get(n);
  if (hit !== undefined && !hit.isDisposed) return { matrix: hit, cached: true };
  const matrix = tf.tensor2d(casMatrix(n), [n, n]);
  const bytes = 4 * n * n;
  if (n <= COMPOSED_CAS_CACHE_MAX_LENGTH && cache.bytes + bytes <= COMPOSED_CAS_CACHE_BYTES) {
    // Never evicted: a tape of a running gradient may hold it.
    tf.keep(matrix);
    cache.matrices.set(n, matrix);
    cache.bytes += bytes;
    return { matrix, cached: true };
  }
  return { matrix, cached: false };
}

/**
 * The DHT along the last axis as `x·C·scale` with the N×N cas matrix (stock matMul,
 * differentiated by tfjs). Any rank ≥ 1; N ≤ {@link COMPOSED_DHT_MAX_LENGTH}.
 */
export function composedDhtLastAxis<R extends tf.Rank>(x: tf.Tensor<R>, scale: number): tf.Tensor<R> {
  const n = x.shape[x.rank - 1];
  if (n > COMPOSED_DHT_MAX_LENGTH) {
    throw new SshShapeError(
      `dhtLastAxis: the active backend '${tf.getBackend()}' has no SshDhtLastAxis kernel, and its composed route (x·C with the N×N cas matrix) ` +
        `is limited to N ≤ ${COMPOSED_DHT_MAX_LENGTH}; got N = ${n} (shape [${x.shape}])`,
    );
  }
  return tf.tidy(() => {
    const { matrix } = casMatrixTensor(n);
    const y = tf.matMul(tf.reshape(x, [x.size / n, n]), matrix);
    return tf.reshape(scale === 1 ? y : tf.mul(y, scale), x.shape) as tf.Tensor<R>;
  });
}

/**
 * Releases every table the composed route holds: the cas matrices of `dhtLastAxis` and
 * the per-position tables of `sshLinear`'s composed route, on every backend (they are
 * rebuilt on next use). Do not call it while a gradient that used them is pending.
 *
 * @example
 * ```ts
 * import { clearComposedRouteTables } from '@ssh-peft/tfjs';
 * clearComposedRouteTables();   // e.g. before tf.removeBackend('my-backend')
 * ```
 */
export function clearComposedRouteTables(): void {
  for (const cache of casCache.values()) disposeQuietly([...cache.matrices.values()]);
  casCache.clear();
  // A disposed table is stale: tablesFor rebuilds it on next use.
  for (const tensors of livePositionTables) disposeQuietly(tensors);
  livePositionTables.clear();
}
