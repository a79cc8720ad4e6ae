import { createColumnTransform, separableToTrue, type ColumnTransform } from './columns';
import { HartleyRangeError, HartleyTypeError } from './errors';
import { createPlan } from './plan';
import type { HartleyPlan, RealArray, Variant2D } from './types';
import { assertRealArray, assertSize, readScale, readVariant } from './validate';
import { simdRuntime, type SimdRuntime } from './wasm/runtime';
import { Simd2dKernel } from './wasm/simd-2d';

/** A reusable in-place 2D DHT of one shape; see {@link createPlan2d}. */
export interface HartleyPlan2D {
  readonly rows: number;
  readonly cols: number;
  readonly variant: Variant2D;
  /**
   * `'simd'`: matrices are transformed in WebAssembly SIMD, float32 ones in float32 arithmetic
   * (f32x4), float64 ones of 64 … 2^26 values in float64 (f64x2); `'js'`: all in JavaScript
   * float64.
   */
  readonly backend: 'simd' | 'js';
  /** Unnormalised 2D DHT of the row-major `rows × cols` matrix `buf`, in place, times `scale` (default 1). */
  transform(buf: RealArray, scale?: number): void;
  /**
   * The same transform of `src` (left unchanged) into memory the package owns, returned as an
   * array of src's type that is valid only until the next transform by any plan or function of
   * this package. On the SIMD path the result stays in the WebAssembly memory, which
   * saves a matrix-sized buffer and a copy; otherwise it is a new array.
   */
  transformToScratch<T extends RealArray>(src: T, scale?: number): T;
}

class Plan2D implements HartleyPlan2D {
  readonly rows: number;
  readonly cols: number;
  readonly variant: Variant2D;
  readonly backend: 'simd' | 'js';
  private readonly rowPlan: HartleyPlan;
  private readonly columns: ColumnTransform;
  private readonly simd: Simd2dKernel<'f32'> | null;
  /** Runtime of the float64 kernel where this shape has one; the kernel is built on the first float64 call. */
  private readonly simd64Runtime: SimdRuntime | null;
  private simd64Kernel: Simd2dKernel<'f64'> | null = null;

  constructor(rows: number, cols: number, variant: Variant2D, useSimd: boolean) {
    this.rows = rows;
    this.cols = cols;
    this.variant = variant;
    const rt = useSimd ? simdRuntime() : null;
    this.simd = rt !== null && Simd2dKernel.supports(rows, cols) ? new Simd2dKernel(rt, rows, cols, 'f32') : null;
    this.simd64Runtime = rt !== null && Simd2dKernel.supports(rows, cols, 'f64') ? rt : null;
    this.backend = this.simd === null ? 'js' : 'simd';
    const backend = useSimd ? 'auto' : 'js';
    this.rowPlan = createPlan(cols, { backend });
    this.columns = createColumnTransform(rows, cols, rows === cols ? this.rowPlan : createPlan(rows, { backend }));
  }

  transform(buf: RealArray, scale?: number): void {
    const fn = 'HartleyPlan2D.transform';
    assertRealArray(fn, 'buf', buf);
    const { rows, cols } = this;
    if (buf.length !== rows * cols) {
      throw new HartleyRangeError(`${fn}: rows·cols (${rows}·${cols} = ${rows * cols}) ≠ buf.length (${buf.length})`);
    }
    const s = readScale(fn, 'scale', scale);
    if (this.simd !== null && buf instanceof Float32Array) {
      this.simd.transform(buf, s);
      if (this.variant === 'true') separableToTrue(buf, rows, cols);
      return;
    }
    if (this.simd64Runtime !== null && buf instanceof Float64Array) {
      this.simd64().transform(buf, s);
      if (this.variant === 'true') separableToTrue(buf, rows, cols);
      return;
    }
    this.transformJs(buf, s);
  }

  transformToScratch<T extends RealArray>(src: T, scale?: number): T {
    const fn = 'HartleyPlan2D.transformToScratch';
    assertRealArray(fn, 'src', src);
    const { rows, cols } = this;
    if (src.length !== rows * cols) {
      throw new HartleyRangeError(`${fn}: rows·cols (${rows}·${cols} = ${rows * cols}) ≠ src.length (${src.length})`);
    }
    const s = readScale(fn, 'scale', scale);
    const out = this.simd !== null && src instanceof Float32Array ? this.simd.transformToView(src, s) : this.simd64Runtime !== null && src instanceof Float64Array ? this.simd64().transformToView(src, s) : null;
    if (out !== null) {
      if (this.variant === 'true') separableToTrue(out, rows, cols);
      return out as T;
    }
    const copy = src.slice() as T;
    this.transformJs(copy, s);
    return copy;
  }

  private simd64(): Simd2dKernel<'f64'> {
    return (this.simd64Kernel ??= new Simd2dKernel(this.simd64Runtime!, this.rows, this.cols, 'f64'));
  }

  private transformJs(buf: RealArray, s: number): void {
    const { rows, cols } = this;
    for (let r = 0, off = 0; r < rows; r++, off += cols) this.rowPlan.transformAt(buf, off, buf, off, 1);
    this.columns.apply(buf, s);
    if (this.variant === 'true') separableToTrue(buf, rows, cols);
  }
}

/**
 * Creates a reusable 2D DHT plan for `rows × cols` matrices (variant `'separable'` by
 * default, or `'true'`): the two 1D plans are built once and every call transforms the
 * caller's buffer in place. Apply a normalisation through `scale`, e.g.
 * `normalizationFactor(rows * cols, 'backward', 'idht')` for the inverse.
 *
 * @example
 * ```ts
 * import { createPlan2d } from '@ssh-peft/hartley';
 * const plan = createPlan2d(768, 768);
 * const W = new Float32Array(768 * 768).map(() => Math.random());
 * plan.transform(W);                     // W ← C·W·C
 * plan.transform(W, 1 / (768 * 768));    // and back
 * ```
 */
export function createPlan2d(rows: number, cols: number, options: { variant?: Variant2D; backend?: 'auto' | 'js' } = {}): HartleyPlan2D {
  assertSize('createPlan2d', 'rows', rows);
  assertSize('createPlan2d', 'cols', cols);
  const backend = options?.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'js') throw new HartleyTypeError(`createPlan2d: options.backend must be 'auto' | 'js', got ${String(backend)}`);
  return new Plan2D(rows, cols, readVariant('createPlan2d', options?.variant), backend === 'auto');
}
