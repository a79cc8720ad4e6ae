import { LaneTransform } from './lane-transform';
import type { SimdRuntime } from './runtime';

/** Rows transformed together in the row pass (lanes of the transposed block). */
const ROW_LANES = 8;
/** Columns transformed together in the column pass (lanes: adjacent floats of each row). */
const COLUMN_LANES = 16;

/**
 * Separable 2D DHT of a float32 rows × cols matrix in WebAssembly SIMD (float32 arithmetic):
 * the matrix is copied into the module's memory once; the row pass transposes blocks of
 * ROW_LANES rows into a lane matrix (one lane per row), the column pass gathers strips of
 * COLUMN_LANES columns (one lane per column, rows in digit-reversed order); both run the same
 * lane-parallel transform, so every butterfly is a vertical f32x4 operation.
 */
export class Simd2dKernel {
  private readonly rowLanes: LaneTransform;
  private readonly columnLanes: LaneTransform;

  constructor(
    private readonly rt: SimdRuntime,
    readonly rows: number,
    readonly cols: number,
  ) {
    this.rowLanes = LaneTransform.of(rt, cols);
    this.columnLanes = LaneTransform.of(rt, rows);
  }

  /** Shapes whose two lengths have a lane transform (prime factors ≤ 67). */
  static supports(rows: number, cols: number): boolean {
    return LaneTransform.supports(rows) && LaneTransform.supports(cols);
  }

  /** buf ← scale · C_rows · buf · C_cols, in place. */
  transform(buf: Float32Array, scale: number): void {
    buf.set(this.transformToView(buf, scale));
  }

  /**
   * scale · C_rows · src · C_cols into the module's memory, returned as a view there: valid until
   * the next transform of this package (which may reuse or grow the memory).
   */
  transformToView(src: Float32Array, scale: number): Float32Array {
    const { rt, rows, cols } = this;
    const matrixBytes = rows * cols * 4;
    const laneBytes = Math.max(cols * ROW_LANES, rows * COLUMN_LANES) * 4;
    const oddBytes = Math.max(this.rowLanes.scratchBytes(ROW_LANES), this.columnLanes.scratchBytes(COLUMN_LANES));
    const mat = rt.scratch(matrixBytes + laneBytes + oddBytes);
    const lane = mat + matrixBytes;
    const odd = lane + laneBytes;
    rt.f32.set(src, mat >> 2);
    const ex = rt.exports;
    const rowBytes = cols * 4;
    for (let r0 = 0; r0 < rows; r0 += ROW_LANES) {
      const valid = Math.min(ROW_LANES, rows - r0);
      const block = mat + r0 * rowBytes;
      ex.gatherTransposed(block, cols, lane, this.rowLanes.perm, cols, ROW_LANES, valid);
      this.rowLanes.run(lane, ROW_LANES, odd);
      ex.scatterTransposed(lane, block, cols, cols, ROW_LANES, valid, 1);
    }
    for (let c0 = 0; c0 < cols; c0 += COLUMN_LANES) {
      const valid = Math.min(COLUMN_LANES, cols - c0);
      const strip = mat + c0 * 4;
      ex.gatherRows(strip, cols, lane, this.columnLanes.perm, rows, COLUMN_LANES, valid);
      this.columnLanes.run(lane, COLUMN_LANES, odd);
      ex.scatterRows(lane, strip, cols, rows, COLUMN_LANES, valid, scale);
    }
    return rt.f32.subarray(mat >> 2, (mat >> 2) + rows * cols);
  }
}
