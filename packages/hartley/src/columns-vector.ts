import { digitReversal, factorize } from './factorize';
import { radix2Tables, type Radix2Tables } from './radix2-fht';
import type { RealArray } from './types';

/** Chunk budget in float64 values (2 MiB; 4096 rows → 64 columns per chunk, measured best of 16–128). */
const CHUNK_VALUES = 1 << 18;

/**
 * Column DHTs of a row-major matrix computed "across" the columns: a chunk of W adjacent
 * columns is copied (rows in digit-reversed order, W contiguous values per row) into a
 * float64 buffer, and the FHT stages run on whole row-vectors of W values — every butterfly
 * becomes a short contiguous inner loop. Memory is only touched in runs of W elements: no
 * strided single-element access, no transposition. Handles row counts 2^m·3^j (powers of
 * two and the 768/3072-style widths); {@link VectorColumns.supports} says which.
 */
export class VectorColumns {
  readonly rows: number;
  readonly width: number;
  private readonly log2Block: number;
  private readonly blockSize: number;
  private readonly radix3Stages: number;
  /** inversePerm[source row] = chunk row (digit reversal). */
  private readonly inversePerm: Uint32Array;
  private readonly tables: Radix2Tables;
  /** Rotation tables of each radix-3 stage: cos/sin(2πrj/(3L)) at 3j + r. */
  private readonly rot: { cos: Float64Array; sin: Float64Array }[];
  private readonly chunk: Float64Array;

  static supports(rows: number): boolean {
    return factorize(rows).oddPrimes.every((p) => p === 3);
  }

  constructor(rows: number, cols: number, width?: number) {
    const f = factorize(rows);
    if (!f.oddPrimes.every((p) => p === 3)) throw new Error(`VectorColumns: unsupported row count ${rows}`);
    this.rows = rows;
    let w = 16;
    while (w < 64 && rows * w * 2 <= CHUNK_VALUES) w *= 2;
    this.width = Math.min(width ?? w, cols);
    this.log2Block = f.log2Pow2;
    this.blockSize = 2 ** f.log2Pow2;
    this.radix3Stages = f.oddPrimes.length;
    const perm = digitReversal(f);
    this.inversePerm = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) this.inversePerm[perm[i]!] = i;
    this.tables = radix2Tables(this.blockSize);
    this.rot = [];
    for (let L = this.blockSize, s = 0; s < this.radix3Stages; s++, L *= 3) {
      const jMax = L >> 1;
      const cos = new Float64Array(3 * (jMax + 1));
      const sin = new Float64Array(3 * (jMax + 1));
      for (let j = 0; j <= jMax; j++) {
        for (let r = 1; r < 3; r++) {
          const angle = (2 * Math.PI * ((r * j) % (3 * L))) / (3 * L);
          cos[3 * j + r] = Math.cos(angle);
          sin[3 * j + r] = Math.sin(angle);
        }
      }
      this.rot.push({ cos, sin });
    }
    this.chunk = new Float64Array(rows * this.width);
  }

  /** DHT of every column of data (rows × cols, row-major), in place, times scale. */
  apply(data: RealArray, cols: number, scale: number): void {
    const rows = this.rows;
    const a = this.chunk;
    const inverse = this.inversePerm;
    for (let c0 = 0; c0 < cols; c0 += this.width) {
      const W = Math.min(this.width, cols - c0);
      // Read the matrix rows in order (streaming) and scatter them into the L2-resident chunk.
      for (let r = 0; r < rows; r++) {
        const src = r * cols + c0;
        const dst = inverse[r]! * W;
        for (let v = 0; v < W; v++) a[dst + v] = data[src + v]!;
      }
      if (!this.stages(a, W, data, cols, c0, scale)) {
        for (let r = 0; r < rows; r++) {
          const dst = r * cols + c0;
          const src = r * W;
          for (let v = 0; v < W; v++) data[dst + v] = a[src + v]! * scale;
        }
      }
    }
  }

  /** Runs all stages; returns true when the last one already wrote the scaled result to data. */
  private stages(a: Float64Array, W: number, data: RealArray, cols: number, c0: number, scale: number): boolean {
    const n = this.rows;
    const M = this.blockSize;
    let h: number;
    if (M === 1) {
      h = 1;
    } else if ((this.log2Block & 1) === 1) {
      for (let i = 0; i < n; i += 2) {
        const p = i * W;
        for (let v = 0; v < W; v++) {
          const x0 = a[p + v]!;
          const x1 = a[p + W + v]!;
          a[p + v] = x0 + x1;
          a[p + W + v] = x0 - x1;
        }
      }
      h = 2;
    } else {
      {
        for (let i = 0; i < n; i += 4) {
          const p0 = i * W;
          const p1 = p0 + W;
          const p2 = p1 + W;
          const p3 = p2 + W;
          for (let v = 0; v < W; v++) {
            const x0 = a[p0 + v]!;
            const x1 = a[p1 + v]!;
            const x2 = a[p2 + v]!;
            const x3 = a[p3 + v]!;
            const s0 = x0 + x1;
            const d0 = x0 - x1;
            const s1 = x2 + x3;
            const d1 = x2 - x3;
            a[p0 + v] = s0 + s1;
            a[p1 + v] = d0 + d1;
            a[p2 + v] = s0 - s1;
            a[p3 + v] = d0 - d1;
          }
        }
      }
      h = 4;
    }
    for (; 4 * h < M; h *= 4) this.radix4(a, W, h);
    if (h < M) {
      if (this.radix3Stages === 0) {
        this.radix4Out(a, W, h, data, cols, c0, scale);
        return true;
      }
      this.radix4(a, W, h);
    }
    for (let s = 0, L = M; s < this.radix3Stages; s++, L *= 3) this.radix3(a, W, L, this.rot[s]!);
    return false;
  }

  /** The vector form of OddRadixStage.apply3 (radix 3 over blocks of length L). */
  private radix3(a: Float64Array, W: number, L: number, rot: { cos: Float64Array; sin: Float64Array }): void {
    const n = this.rows;
    const span = 3 * L;
    const jMax = L >> 1;
    const S = Math.sqrt(3) / 2;
    for (let b = 0; b < n; b += span) {
      for (let j = 0; j <= jMax; j++) {
        const jm = j === 0 ? 0 : L - j;
        const c1 = rot.cos[3 * j + 1]!;
        const s1 = rot.sin[3 * j + 1]!;
        const c2 = rot.cos[3 * j + 2]!;
        const s2 = rot.sin[3 * j + 2]!;
        const i0 = (b + j) * W;
        const i0m = (b + jm) * W;
        const i1 = (b + L + j) * W;
        const i1m = (b + L + jm) * W;
        const i2 = (b + 2 * L + j) * W;
        const i2m = (b + 2 * L + jm) * W;
        const paired = j !== jm;
        for (let v = 0; v < W; v++) {
          const z0r = a[i0 + v]!;
          const z0i = a[i0m + v]!;
          let x = a[i1 + v]!;
          let y = a[i1m + v]!;
          const z1r = c1 * x + s1 * y;
          const z1i = c1 * y - s1 * x;
          x = a[i2 + v]!;
          y = a[i2m + v]!;
          const z2r = c2 * x + s2 * y;
          const z2i = c2 * y - s2 * x;
          const sr = z1r + z2r;
          const si = z1i + z2i;
          const sRe = S * (z1i - z2i);
          const sIm = S * (z1r - z2r);
          const cRe = z0r - 0.5 * sr;
          const cIm = z0i - 0.5 * si;
          a[i0 + v] = z0r + sr;
          a[i1 + v] = cRe + sRe;
          a[i2 + v] = cRe - sRe;
          if (paired) {
            a[i2m + v] = z0i + si;
            a[i1m + v] = cIm - sIm;
            a[i0m + v] = cIm + sIm;
          }
        }
      }
    }
  }

  /** The vector form of radix4Stage (see radix2-fht.ts for the derivation). */
  private radix4(a: Float64Array, W: number, h: number): void {
    const n = this.rows;
    const cosT = this.tables.cos;
    const sinT = this.tables.sin;
    const h2 = h >> 1;
    const step = 4 * h;
    const SQRT1_2 = Math.SQRT1_2;
    for (let b = 0; b < n; b += step) {
      const q1 = b + h;
      const q2 = b + 2 * h;
      const q3 = b + 3 * h;
      {
        const i0 = b * W;
        const i1 = q1 * W;
        const i2 = q2 * W;
        const i3 = q3 * W;
        for (let v = 0; v < W; v++) {
          const x0 = a[i0 + v]!;
          const x1 = a[i1 + v]!;
          const x2 = a[i2 + v]!;
          const x3 = a[i3 + v]!;
          const p0 = x0 + x1;
          const ph = x0 - x1;
          const r0 = x2 + x3;
          const rh = x2 - x3;
          a[i0 + v] = p0 + r0;
          a[i2 + v] = p0 - r0;
          a[i1 + v] = ph + rh;
          a[i3 + v] = ph - rh;
        }
      }
      {
        const i0 = (b + h2) * W;
        const i1 = (q1 + h2) * W;
        const i2 = (q2 + h2) * W;
        const i3 = (q3 + h2) * W;
        for (let v = 0; v < W; v++) {
          const x0 = a[i0 + v]!;
          const x1 = a[i1 + v]!;
          const x2 = a[i2 + v]!;
          const x3 = a[i3 + v]!;
          const p0 = x0 + x1;
          const p1 = x0 - x1;
          const r0 = x2 + x3;
          const r1 = x2 - x3;
          const t1 = SQRT1_2 * (r0 + r1);
          const t2 = SQRT1_2 * (r0 - r1);
          a[i0 + v] = p0 + t1;
          a[i2 + v] = p0 - t1;
          a[i1 + v] = p1 + t2;
          a[i3 + v] = p1 - t2;
        }
      }
      for (let k = 1; k < h2; k++) {
        const c1 = cosT[h2 + k]!;
        const s1 = sinT[h2 + k]!;
        const c2 = cosT[h + k]!;
        const s2 = sinT[h + k]!;
        const hk = h - k;
        // Rows of the 8-element group (see radix4Stage): inputs and outputs share them.
        const iBk = (b + k) * W;
        const iBhk = (b + hk) * W;
        const iQ1k = (q1 + k) * W;
        const iQ1hk = (q1 + hk) * W;
        const iQ2k = (q2 + k) * W;
        const iQ2hk = (q2 + hk) * W;
        const iQ3k = (q3 + k) * W;
        const iQ3hk = (q3 + hk) * W;
        for (let v = 0; v < W; v++) {
          let e0 = a[iBk + v]!;
          let e1 = a[iBhk + v]!;
          let o0 = a[iQ1k + v]!;
          let o1 = a[iQ1hk + v]!;
          let u1 = c1 * o0 + s1 * o1;
          let u2 = s1 * o0 - c1 * o1;
          const pk = e0 + u1;
          const phk = e0 - u1;
          const pmk = e1 + u2;
          const p2mk = e1 - u2;
          e0 = a[iQ2k + v]!;
          e1 = a[iQ2hk + v]!;
          o0 = a[iQ3k + v]!;
          o1 = a[iQ3hk + v]!;
          u1 = c1 * o0 + s1 * o1;
          u2 = s1 * o0 - c1 * o1;
          const rk = e0 + u1;
          const rhk = e0 - u1;
          const rmk = e1 + u2;
          const r2mk = e1 - u2;
          const t1 = c2 * rk + s2 * r2mk;
          const t2 = s2 * rk - c2 * r2mk;
          const t3 = s2 * rmk + c2 * rhk;
          const t4 = c2 * rmk - s2 * rhk;
          // Destinations: b+k, q2+k, q2−k (= q1+hk), b+step−k (= q3+hk), b+hk, q3−k (= q2+hk), q1+k, q3+k.
          a[iBk + v] = pk + t1;
          a[iQ2k + v] = pk - t1;
          a[iQ1hk + v] = p2mk + t2;
          a[iQ3hk + v] = p2mk - t2;
          a[iBhk + v] = pmk + t3;
          a[iQ2hk + v] = pmk - t3;
          a[iQ1k + v] = phk + t4;
          a[iQ3k + v] = phk - t4;
        }
      }
    }
  }

  /** {@link radix4} as the last stage: writes scale × the result to data's columns c0 .. c0+W. */
  private radix4Out(a: Float64Array, W: number, h: number, out: RealArray, outCols: number, c0: number, scale: number): void {
    const n = this.rows;
    const cosT = this.tables.cos;
    const sinT = this.tables.sin;
    const h2 = h >> 1;
    const step = 4 * h;
    const SQRT1_2 = Math.SQRT1_2;
    for (let b = 0; b < n; b += step) {
      const q1 = b + h;
      const q2 = b + 2 * h;
      const q3 = b + 3 * h;
      {
        const i0 = b * W;
        const o0 = b * outCols + c0;
        const i1 = q1 * W;
        const o1 = q1 * outCols + c0;
        const i2 = q2 * W;
        const o2 = q2 * outCols + c0;
        const i3 = q3 * W;
        const o3 = q3 * outCols + c0;
        for (let v = 0; v < W; v++) {
          const x0 = a[i0 + v]!;
          const x1 = a[i1 + v]!;
          const x2 = a[i2 + v]!;
          const x3 = a[i3 + v]!;
          const p0 = x0 + x1;
          const ph = x0 - x1;
          const r0 = x2 + x3;
          const rh = x2 - x3;
          out[o0 + v] = (p0 + r0) * scale;
          out[o2 + v] = (p0 - r0) * scale;
          out[o1 + v] = (ph + rh) * scale;
          out[o3 + v] = (ph - rh) * scale;
        }
      }
      {
        const i0 = (b + h2) * W;
        const o0 = (b + h2) * outCols + c0;
        const i1 = (q1 + h2) * W;
        const o1 = (q1 + h2) * outCols + c0;
        const i2 = (q2 + h2) * W;
        const o2 = (q2 + h2) * outCols + c0;
        const i3 = (q3 + h2) * W;
        const o3 = (q3 + h2) * outCols + c0;
        for (let v = 0; v < W; v++) {
          const x0 = a[i0 + v]!;
          const x1 = a[i1 + v]!;
          const x2 = a[i2 + v]!;
          const x3 = a[i3 + v]!;
          const p0 = x0 + x1;
          const p1 = x0 - x1;
          const r0 = x2 + x3;
          const r1 = x2 - x3;
          const t1 = SQRT1_2 * (r0 + r1);
          const t2 = SQRT1_2 * (r0 - r1);
          out[o0 + v] = (p0 + t1) * scale;
          out[o2 + v] = (p0 - t1) * scale;
          out[o1 + v] = (p1 + t2) * scale;
          out[o3 + v] = (p1 - t2) * scale;
        }
      }
      for (let k = 1; k < h2; k++) {
        const c1 = cosT[h2 + k]!;
        const s1 = sinT[h2 + k]!;
        const c2 = cosT[h + k]!;
        const s2 = sinT[h + k]!;
        const hk = h - k;
        // Rows of the 8-element group (see radix4Stage): inputs and outputs share them.
        const iBk = (b + k) * W;
        const oBk = (b + k) * outCols + c0;
        const iBhk = (b + hk) * W;
        const oBhk = (b + hk) * outCols + c0;
        const iQ1k = (q1 + k) * W;
        const oQ1k = (q1 + k) * outCols + c0;
        const iQ1hk = (q1 + hk) * W;
        const oQ1hk = (q1 + hk) * outCols + c0;
        const iQ2k = (q2 + k) * W;
        const oQ2k = (q2 + k) * outCols + c0;
        const iQ2hk = (q2 + hk) * W;
        const oQ2hk = (q2 + hk) * outCols + c0;
        const iQ3k = (q3 + k) * W;
        const oQ3k = (q3 + k) * outCols + c0;
        const iQ3hk = (q3 + hk) * W;
        const oQ3hk = (q3 + hk) * outCols + c0;
        for (let v = 0; v < W; v++) {
          let e0 = a[iBk + v]!;
          let e1 = a[iBhk + v]!;
          let o0 = a[iQ1k + v]!;
          let o1 = a[iQ1hk + v]!;
          let u1 = c1 * o0 + s1 * o1;
          let u2 = s1 * o0 - c1 * o1;
          const pk = e0 + u1;
          const phk = e0 - u1;
          const pmk = e1 + u2;
          const p2mk = e1 - u2;
          e0 = a[iQ2k + v]!;
          e1 = a[iQ2hk + v]!;
          o0 = a[iQ3k + v]!;
          o1 = a[iQ3hk + v]!;
          u1 = c1 * o0 + s1 * o1;
          u2 = s1 * o0 - c1 * o1;
          const rk = e0 + u1;
          const rhk = e0 - u1;
          const rmk = e1 + u2;
          const r2mk = e1 - u2;
          const t1 = c2 * rk + s2 * r2mk;
          const t2 = s2 * rk - c2 * r2mk;
          const t3 = s2 * rmk + c2 * rhk;
          const t4 = c2 * rmk - s2 * rhk;
          // Destinations: b+k, q2+k, q2−k (= q1+hk), b+step−k (= q3+hk), b+hk, q3−k (= q2+hk), q1+k, q3+k.
          out[oBk + v] = (pk + t1) * scale;
          out[oQ2k + v] = (pk - t1) * scale;
          out[oQ1hk + v] = (p2mk + t2) * scale;
          out[oQ3hk + v] = (p2mk - t2) * scale;
          out[oBhk + v] = (pmk + t3) * scale;
          out[oQ2hk + v] = (pmk - t3) * scale;
          out[oQ1k + v] = (phk + t4) * scale;
          out[oQ3k + v] = (phk - t4) * scale;
        }
      }
    }
  }
}
