import { LaneTransform, type LaneType } from './lane-transform';
import type { SimdRuntime } from './runtime';

/**
 * Lanes per pass, by lane type: rows transformed together in the row pass (lanes of the
 * transposed block) and columns transformed together in the column pass (adjacent values of each
 * row). Float64 takes as many lanes as float32 (elements of 64 and 128 bytes): measured against
 * half as many (4 and 8, the float32 element sizes) 0.79× at 768×768, 0.86–0.88× at 64×64,
 * 256×256 and 1024×4096 — a column strip then reads two cache lines per row, and each pass
 * has half the calls; only matrices of a few rows lose (3×100: 1.3×, 11 µs).
 */
const LANES: Record<LaneType, { readonly rows: number; readonly columns: number }> = {
  f32: { rows: 8, columns: 16 },
  f64: { rows: 8, columns: 16 },
};

/**
 * Float64 matrices of at least this many values run in WebAssembly SIMD (f64x2). Measured
 * against the JavaScript path (row plans and column passes): 0.16–0.57× from 16×16 up to
 * 768×768 (0.86× at 1024×4096, where both are bound by memory traffic), 0.6–1.05× at 64 values
 * (8×8, 4×16, 2×32), 1.6× at 4×4, where copying into the module's memory costs more.
 */
export const F64_SIMD_2D_MIN_SIZE = 64;

/**
 * Float64 matrices above this many values (512 MiB) stay in JavaScript: the kernel copies the
 * matrix into the module's memory, which cannot shrink again and is limited to 4 GiB, so larger
 * ones would risk a failed memory.grow where the JavaScript path works in place. (The largest
 * measured, 1024×4096, is 2^22 values.)
 */
export const F64_SIMD_2D_MAX_SIZE = 2 ** 26;

/** The matrix type of a lane type. */
type MatrixOf<T extends LaneType> = T extends 'f32' ? Float32Array : Float64Array;

/**
 * Separable 2D DHT of a rows × cols matrix in WebAssembly SIMD, float32 (f32x4) or float64
 * (f64x2) arithmetic as the matrix: the matrix is copied into the module's memory once; the row
 * pass transposes blocks of rows into a lane matrix (one lane per row), the column pass gathers
 * strips of columns (one lane per column, rows in digit-reversed order); both run the same
 * lane-parallel transform, so every butterfly is a vertical SIMD operation.
 */
export class Simd2dKernel<T extends LaneType = 'f32'> {
  private readonly rowLanes: LaneTransform;
  private readonly columnLanes: LaneTransform;
  private readonly bytes: number;

  constructor(
    private readonly rt: SimdRuntime,
    readonly rows: number,
    readonly cols: number,
    readonly type: T = 'f32' as T,
  ) {
    this.rowLanes = LaneTransform.of(rt, cols, type);
    this.columnLanes = LaneTransform.of(rt, rows, type);
    this.bytes = type === 'f64' ? 8 : 4;
  }

  /**
   * Shapes the kernel of lane type `type` takes: both lengths have a lane transform (prime factors
   * ≤ 67); float64 matrices also need {@link F64_SIMD_2D_MIN_SIZE} … {@link F64_SIMD_2D_MAX_SIZE} values.
   */
  static supports(rows: number, cols: number, type: LaneType = 'f32'): boolean {
    if (type === 'f64' && (rows * cols < F64_SIMD_2D_MIN_SIZE || rows * cols > F64_SIMD_2D_MAX_SIZE)) return false;
    return LaneTransform.supports(rows) && LaneTransform.supports(cols);
  }

  /** buf ← scale · C_rows · buf · C_cols, in place. */
  transform(buf: MatrixOf<T>, scale: number): void {
    buf.set(this.transformToView(buf, scale));
  }

  /**
   * scale · C_rows · src · C_cols into the module's memory, returned as a view there: valid until
   * the next transform of this package (which may reuse or grow the memory).
   */
  transformToView(src: MatrixOf<T>, scale: number): MatrixOf<T> {
    const { rt, rows, cols, bytes } = this;
    const f64 = this.type === 'f64';
    const { rows: rowLanes, columns: columnLanes } = LANES[this.type];
    const matrixBytes = rows * cols * bytes;
    const laneBytes = Math.max(cols * rowLanes, rows * columnLanes) * bytes;
    const oddBytes = Math.max(this.rowLanes.scratchBytes(rowLanes), this.columnLanes.scratchBytes(columnLanes));
    const mat = rt.scratch(matrixBytes + laneBytes + oddBytes);
    const lane = mat + matrixBytes;
    const odd = lane + laneBytes;
    const view = (f64 ? rt.f64 : rt.f32) as MatrixOf<T>;
    const at = mat / bytes;
    view.set(src, at);
    const ex = rt.exports;
    const gatherTransposed = f64 ? ex.gatherTransposed64 : ex.gatherTransposed;
    const scatterTransposed = f64 ? ex.scatterTransposed64 : ex.scatterTransposed;
    const scatterRows = f64 ? ex.scatterRows64 : ex.scatterRows;
    const rowBytes = cols * bytes;
    for (let r0 = 0; r0 < rows; r0 += rowLanes) {
      const valid = Math.min(rowLanes, rows - r0);
      const block = mat + r0 * rowBytes;
      gatherTransposed(block, cols, lane, this.rowLanes.perm, cols, rowLanes, valid);
      this.rowLanes.run(lane, rowLanes, odd);
      scatterTransposed(lane, block, cols, cols, rowLanes, valid, 1);
    }
    for (let c0 = 0; c0 < cols; c0 += columnLanes) {
      const valid = Math.min(columnLanes, cols - c0);
      const strip = mat + c0 * bytes;
      this.columnLanes.gather(strip, cols, lane, columnLanes, valid, odd);
      this.columnLanes.run(lane, columnLanes, odd);
      scatterRows(lane, strip, cols, rows, columnLanes, valid, scale);
    }
    return view.subarray(at, at + rows * cols) as MatrixOf<T>;
  }
}
