import { createColumnTransform, separableToTrue } from './columns';
import { HartleyRangeError, HartleyTypeError } from './errors';
import { normalizationFactor } from './normalization';
import { cachedPlan } from './plan';
import type { RealArray, SparseSpectrumOptions, Variant2D } from './types';
import { assertRealArray, assertSize, describe, readNormalization, readScale, readVariant } from './validate';

/** Positions of a sparse spectrum S split into row (u) and column (v) indices. */
interface Positions {
  readonly u: Uint32Array;
  readonly v: Uint32Array;
}

function readPositions(fn: string, rows: number, cols: number, indices: ArrayLike<number>): Positions {
  if (indices === null || typeof indices !== 'object' || typeof (indices as ArrayLike<number>).length !== 'number') {
    throw new HartleyTypeError(`${fn}: indices must be a Uint32Array (or array of integers), got ${describe(indices)}`);
  }
  const n = indices.length;
  const size = rows * cols;
  const u = new Uint32Array(n);
  const v = new Uint32Array(n);
  // S[indices[k]] = values[k] is an assignment: a repeated position has no single meaning.
  const seen = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const p = indices[k]!;
    if (!Number.isInteger(p) || p < 0 || p >= size) {
      throw new HartleyRangeError(`${fn}: indices[${k}] = ${p} is not an integer position in [0, rows·cols = ${rows}·${cols} = ${size})`);
    }
    const first = seen.get(p);
    if (first !== undefined) {
      throw new HartleyRangeError(`${fn}: indices[${k}] = ${p} repeats indices[${first}] (positions must be distinct)`);
    }
    seen.set(p, k);
    u[k] = Math.floor(p / cols);
    v[k] = p - u[k]! * cols;
  }
  return { u, v };
}

function readValues(fn: string, values: ArrayLike<number>, n: number): void {
  if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
    throw new HartleyTypeError(`${fn}: values must be a Float32Array, Float64Array or number array, got ${describe(values)}`);
  }
  if (values.length !== n) {
    throw new HartleyRangeError(`${fn}: values.length (${values.length}) ≠ indices.length (${n})`);
  }
}

function readShape(fn: string, tokens: number, rows: number, cols: number): void {
  assertSize(fn, 'tokens', tokens, 0);
  assertSize(fn, 'rows', rows);
  assertSize(fn, 'cols', cols);
}

interface Resolved {
  variant: Variant2D;
  /** scale × the inverse normalisation factor of idht2d over rows·cols. */
  factor: number;
}

function resolve(fn: string, rows: number, cols: number, options: SparseSpectrumOptions | undefined): Resolved {
  const variant = readVariant(fn, options?.variant);
  const normalization = readNormalization(fn, options?.normalization);
  const scale = readScale(fn, 'options.scale', options?.scale);
  return { variant, factor: scale * normalizationFactor(rows * cols, normalization, 'idht') };
}

/**
 * Dense ΔW = scale · idht2d(S, rows, cols, { variant, normalization }) for the sparse
 * spectrum S that is zero except S[indices[k]] = values[k] (flat row-major positions
 * u·cols + v). Only the rows of S holding a position are transformed along `cols`,
 * then every column along `rows`: O(r·cols·log cols + rows·cols·log rows) for r
 * non-empty rows. Positions must be distinct and < rows·cols.
 *
 * @example
 * ```ts
 * import { sparseIdht2d } from '@ssh-peft/hartley';
 * const dW = sparseIdht2d(new Uint32Array([0, 7, 23]), new Float32Array([1, -2, 0.5]), 4, 6, { scale: 49 });
 * // dW: Float64Array(24), equal to 49 · idht2d(S, 4, 6)
 * ```
 */
export function sparseIdht2d(
  indices: Uint32Array | ArrayLike<number>,
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  options: SparseSpectrumOptions = {},
): Float64Array {
  const fn = 'sparseIdht2d';
  readShape(fn, 0, rows, cols);
  const { u, v } = readPositions(fn, rows, cols, indices);
  readValues(fn, values, u.length);
  const { variant, factor } = resolve(fn, rows, cols, options);
  const out = new Float64Array(rows * cols);
  const rowUsed = new Uint8Array(rows);
  for (let k = 0; k < u.length; k++) {
    out[u[k]! * cols + v[k]!] = values[k]!;
    rowUsed[u[k]!] = 1;
  }
  const rowPlan = cachedPlan(cols);
  for (let r = 0; r < rows; r++) if (rowUsed[r]) rowPlan.transformAt(out, r * cols, out, r * cols, 1);
  createColumnTransform(rows, cols).apply(out, factor);
  if (variant === 'true') separableToTrue(out, rows, cols);
  return out;
}

/** Options of {@link sparseSpectrumProduct}. */
export interface SparseProductOptions extends SparseSpectrumOptions {
  /** Multiply by ΔWᵀ instead of ΔW (input g of shape [tokens, cols], output [tokens, rows]). */
  transpose?: boolean;
  /** Destination (length tokens·outWidth, any RealArray); may be `x` itself when the widths agree. */
  out?: RealArray;
}

/**
 * y = x · ΔW with ΔW = scale · idht2d(S, rows, cols, { variant, normalization }), for x of
 * shape [tokens, rows] → y [tokens, cols]; with `transpose: true`, y = g · ΔWᵀ for g of
 * shape [tokens, cols] → y [tokens, rows]. ΔW is never materialised: per token, one DHT of
 * the input row, a gather/scatter through the n positions, one DHT of the output row —
 * O(rows·log rows + n + cols·log cols) per token (docs/method.md, "The factored (lightweight inverse) route").
 * For `variant: 'true'` the reflection relation turns into a scatter to columns v and −v,
 * at the same cost. Returns `options.out` if given, else a new array of x's type.
 *
 * @example
 * ```ts
 * import { sparseSpectrumProduct } from '@ssh-peft/hartley';
 * const x = new Float32Array(2 * 4).fill(1);          // 2 tokens, d_in = 4
 * const idx = new Uint32Array([1, 6]), c = new Float32Array([0.3, -0.1]);
 * const y = sparseSpectrumProduct(x, 2, 4, 3, idx, c, { scale: 2 }); // [2, 3]
 * const dx = sparseSpectrumProduct(y, 2, 4, 3, idx, c, { scale: 2, transpose: true }); // [2, 4]
 * ```
 */
export function sparseSpectrumProduct<T extends RealArray>(
  x: T,
  tokens: number,
  rows: number,
  cols: number,
  indices: Uint32Array | ArrayLike<number>,
  values: ArrayLike<number>,
  options: SparseProductOptions = {},
): T {
  const fn = 'sparseSpectrumProduct';
  assertRealArray(fn, 'x', x);
  readShape(fn, tokens, rows, cols);
  const transpose = options?.transpose === true;
  const inWidth = transpose ? cols : rows;
  const outWidth = transpose ? rows : cols;
  if (x.length !== tokens * inWidth) {
    const name = transpose ? 'tokens·cols' : 'tokens·rows';
    throw new HartleyRangeError(`${fn}: ${name} (${tokens}·${inWidth} = ${tokens * inWidth}) ≠ x.length (${x.length})`);
  }
  const pos = readPositions(fn, rows, cols, indices);
  readValues(fn, values, pos.u.length);
  const { variant, factor } = resolve(fn, rows, cols, options);
  let out: RealArray;
  if (options?.out !== undefined) {
    assertRealArray(fn, 'options.out', options.out);
    if (options.out.length !== tokens * outWidth) {
      throw new HartleyRangeError(`${fn}: options.out.length (${options.out.length}) ≠ tokens·${transpose ? 'rows' : 'cols'} (${tokens}·${outWidth} = ${tokens * outWidth})`);
    }
    out = options.out;
    // Row t of the output is written after row t of x is read, so only an exact alias with
    // equal widths is safe; any other overlap would overwrite input rows not yet read.
    const o = out as RealArray;
    if (o.buffer === x.buffer && !(o.byteOffset === x.byteOffset && inWidth === outWidth && o.BYTES_PER_ELEMENT === x.BYTES_PER_ELEMENT)) {
      const oStart = o.byteOffset;
      const oEnd = oStart + o.byteLength;
      const xStart = x.byteOffset;
      const xEnd = xStart + x.byteLength;
      if (oStart < xEnd && xStart < oEnd) {
        throw new HartleyRangeError(
          `${fn}: options.out overlaps x (bytes ${oStart}–${oEnd} vs ${xStart}–${xEnd}); only out === x with equal input and output widths is allowed`,
        );
      }
    }
  } else {
    out = x instanceof Float32Array ? new Float32Array(tokens * outWidth) : new Float64Array(tokens * outWidth);
  }
  const from = transpose ? pos.v : pos.u;
  const to = transpose ? pos.u : pos.v;
  const n = from.length;
  const coef = Float64Array.from(values as ArrayLike<number>);
  const inPlan = cachedPlan(inWidth);
  const outPlan = cachedPlan(outWidth);
  const spectrum = new Float64Array(inWidth);
  const z = new Float64Array(outWidth);
  for (let t = 0; t < tokens; t++) {
    inPlan.transformAt(x, t * inWidth, spectrum, 0, 1);
    z.fill(0);
    if (variant === 'separable') {
      for (let k = 0; k < n; k++) z[to[k]!] += spectrum[from[k]!]! * coef[k]!;
    } else {
      // T = ½[(P + Q) + (P − Q)·R]: the reflected input feature feeds column v and −v.
      for (let k = 0; k < n; k++) {
        const i = from[k]!;
        const o = to[k]!;
        const a = spectrum[i]!;
        const b = spectrum[i === 0 ? 0 : inWidth - i]!;
        const c = 0.5 * coef[k]!;
        z[o] += (a + b) * c;
        z[o === 0 ? 0 : outWidth - o] += (a - b) * c;
      }
    }
    outPlan.transformAt(z, 0, out, t * outWidth, factor);
  }
  return out as T;
}

/**
 * ∂L/∂c_k for y = x · ΔW, ΔW = scale · idht2d(S, rows, cols, { variant, normalization }),
 * S[indices[k]] = c_k, given x [tokens, rows] and g = ∂L/∂y [tokens, cols]:
 * ∂L/∂c_k = scale·ν·Σ_t DHT(x_t)[u_k]·DHT(g_t)[v_k] (ν the inverse normalisation factor;
 * for `variant: 'true'` the reflected terms ½[(a+b)·ĝ[v] + (a−b)·ĝ[−v]] with a, b = x̂[u], x̂[−u]).
 * Returns a new Float64Array of length indices.length.
 *
 * @example
 * ```ts
 * import { sparseSpectrumGradient } from '@ssh-peft/hartley';
 * const x = new Float32Array([1, 2, 3, 4]);   // 1 token, rows = 4
 * const g = new Float32Array([1, 0, -1]);     // cols = 3
 * const dc = sparseSpectrumGradient(x, g, 1, 4, 3, new Uint32Array([0, 5])); // Float64Array(2)
 * ```
 */
export function sparseSpectrumGradient(
  x: RealArray,
  g: RealArray,
  tokens: number,
  rows: number,
  cols: number,
  indices: Uint32Array | ArrayLike<number>,
  options: SparseSpectrumOptions = {},
): Float64Array {
  const fn = 'sparseSpectrumGradient';
  assertRealArray(fn, 'x', x);
  assertRealArray(fn, 'g', g);
  readShape(fn, tokens, rows, cols);
  if (x.length !== tokens * rows) {
    throw new HartleyRangeError(`${fn}: tokens·rows (${tokens}·${rows} = ${tokens * rows}) ≠ x.length (${x.length})`);
  }
  if (g.length !== tokens * cols) {
    throw new HartleyRangeError(`${fn}: tokens·cols (${tokens}·${cols} = ${tokens * cols}) ≠ g.length (${g.length})`);
  }
  const { u, v } = readPositions(fn, rows, cols, indices);
  const { variant, factor } = resolve(fn, rows, cols, options);
  const n = u.length;
  const grad = new Float64Array(n);
  const rowPlan = cachedPlan(rows);
  const colPlan = cachedPlan(cols);
  const xh = new Float64Array(rows);
  const gh = new Float64Array(cols);
  for (let t = 0; t < tokens; t++) {
    rowPlan.transformAt(x, t * rows, xh, 0, 1);
    colPlan.transformAt(g, t * cols, gh, 0, 1);
    if (variant === 'separable') {
      for (let k = 0; k < n; k++) grad[k] += xh[u[k]!]! * gh[v[k]!]!;
    } else {
      for (let k = 0; k < n; k++) {
        const i = u[k]!;
        const o = v[k]!;
        const a = xh[i]!;
        const b = xh[i === 0 ? 0 : rows - i]!;
        grad[k] += 0.5 * ((a + b) * gh[o]! + (a - b) * gh[o === 0 ? 0 : cols - o]!);
      }
    }
  }
  for (let k = 0; k < n; k++) grad[k] *= factor;
  return grad;
}
