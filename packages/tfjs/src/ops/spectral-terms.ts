/**
 * Expansion of an SSH position set into "terms" of the separable factored route.
 *
 * With the separable transform, x·ΔW = f · DHT_rows(scatter(DHT_rows(x))) where the
 * scatter takes column u_k of DHT_rows(x), multiplies it by c_k and adds it to column v_k.
 * The true-2D transform equals the separable one applied to the reflected spectrum
 * Σ' = ½(Σ + R_M Σ + Σ R_N − R_M Σ R_N) (R = index reflection m → −m mod M; it commutes
 * with the cas matrix), so each position expands into four signed terms
 * (u, v, +½), (−u, v, +½), (u, −v, +½), (−u, −v, −½). Both routes then share one code path.
 */
import type { Variant2D } from '@ssh-peft/hartley';
import { SshOptionError, SshShapeError } from '../errors';

/** Gather/scatter description of x·ΔW for one layer (plain typed arrays, backend-agnostic). */
export interface SpectralTerms {
  readonly rows: number;
  readonly cols: number;
  /** Number of SSH coefficients n. */
  readonly count: number;
  /** Column of DHT_rows(x) each term reads (length m). */
  readonly gatherIndex: Int32Array;
  /** Output column each term adds into (length m). */
  readonly scatterIndex: Int32Array;
  /** Coefficient each term uses; `null` when term k uses coefficient k (separable). */
  readonly coefficientIndex: Int32Array | null;
  /** Weight of each term; `null` when all are 1 (separable). */
  readonly termWeight: Float32Array | null;
  /** Flat position gatherIndex·cols + scatterIndex of each term in the (reflected) spectrum. */
  readonly flatIndex: Int32Array;
}

/**
 * Validates the flat positions of one layer (distinct integers in [0, rows·cols)).
 * @throws {SshShapeError} naming the first bad index.
 */
export function validatePositions(indices: ArrayLike<number>, rows: number, cols: number, where: string): void {
  const size = rows * cols;
  const seen = new Set<number>();
  for (let k = 0; k < indices.length; k++) {
    const p = indices[k];
    if (!Number.isInteger(p) || p < 0 || p >= size) {
      throw new SshShapeError(`${where}: indices[${k}] = ${p} is outside [0, rows·cols = ${rows}·${cols} = ${size})`);
    }
    if (seen.has(p)) throw new SshShapeError(`${where}: indices[${k}] = ${p} is repeated (positions must be distinct)`);
    seen.add(p);
  }
}

/**
 * Builds the term description of positions `indices` (flat u·cols+v) for a
 * `rows × cols` weight and the given 2D variant.
 *
 * @example
 * ```ts
 * const terms = compileSpectralTerms(new Uint32Array([5]), 4, 3, 'true');
 * terms.gatherIndex;   // Int32Array [1, 3, 1, 3]  (u = 1 and −1 mod 4)
 * ```
 */
export function compileSpectralTerms(indices: ArrayLike<number>, rows: number, cols: number, variant: Variant2D): SpectralTerms {
  validatePositions(indices, rows, cols, 'compileSpectralTerms');
  const n = indices.length;
  if (variant === 'separable') {
    const gatherIndex = new Int32Array(n);
    const scatterIndex = new Int32Array(n);
    const flatIndex = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const p = indices[k];
      const u = Math.floor(p / cols);
      gatherIndex[k] = u;
      scatterIndex[k] = p - u * cols;
      flatIndex[k] = p;
    }
    return { rows, cols, count: n, gatherIndex, scatterIndex, coefficientIndex: null, termWeight: null, flatIndex };
  }
  if (variant !== 'true') throw new SshOptionError(`variant must be 'separable' or 'true', got ${String(variant)}`);
  const m = 4 * n;
  const gatherIndex = new Int32Array(m);
  const scatterIndex = new Int32Array(m);
  const coefficientIndex = new Int32Array(m);
  const termWeight = new Float32Array(m);
  const flatIndex = new Int32Array(m);
  for (let k = 0; k < n; k++) {
    const p = indices[k];
    const u = Math.floor(p / cols);
    const v = p - u * cols;
    const ru = (rows - u) % rows;
    const rv = (cols - v) % cols;
    const us = [u, ru, u, ru];
    const vs = [v, v, rv, rv];
    const ws = [0.5, 0.5, 0.5, -0.5];
    for (let j = 0; j < 4; j++) {
      const t = 4 * k + j;
      gatherIndex[t] = us[j];
      scatterIndex[t] = vs[j];
      coefficientIndex[t] = k;
      termWeight[t] = ws[j];
      flatIndex[t] = us[j] * cols + vs[j];
    }
  }
  return { rows, cols, count: n, gatherIndex, scatterIndex, coefficientIndex, termWeight, flatIndex };
}
