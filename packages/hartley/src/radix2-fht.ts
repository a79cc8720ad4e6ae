import type { RealArray } from './types';

/**
 * Power-of-two fast Hartley transform (Bracewell's radix-2 decimation in time) in
 * float64, on data already in bit-reversed order. Real arithmetic only.
 *
 * Stage with half-size h merges two transformed blocks E, O of length h into
 * H[k] = E[k] + cos(πk/h)·O[k] + sin(πk/h)·O[h−k], H[k+h] = E[k] − (…), pairing
 * k with h−k so each twiddle is read once per pair.
 */

/** cos(πk/h), sin(πk/h) for k < h/2 live at index h/2 + k, for every stage h ≤ maxHalf. */
export interface Radix2Tables {
  readonly cos: Float64Array;
  readonly sin: Float64Array;
}

export function radix2Tables(blockSize: number): Radix2Tables {
  const size = Math.max(1, blockSize >> 1);
  const cos = new Float64Array(size);
  const sin = new Float64Array(size);
  for (let h = 2; h < blockSize; h *= 2) {
    const h2 = h >> 1;
    for (let k = 0; k < h2; k++) {
      const angle = (Math.PI * k) / h;
      cos[h2 + k] = Math.cos(angle);
      sin[h2 + k] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

/**
 * Two radix-2 stages fused (h → 2h → 4h, h ≥ 2) over every 4h-block of a[0..n): the
 * eight elements at offsets k, h−k, h+k, 2h−k of the two half-blocks depend only on each
 * other through both stages, so they are loaded once, combined in registers and stored
 * once — half the memory passes of two separate stages.
 */
export function radix4Stage(a: Float64Array, n: number, h: number, tables: Radix2Tables): void {
  const cosT = tables.cos;
  const sinT = tables.sin;
  const h2 = h >> 1;
  const step = 4 * h;
  const SQRT1_2 = Math.SQRT1_2;
  for (let b = 0; b < n; b += step) {
    const q1 = b + h;
    const q2 = b + 2 * h;
    const q3 = b + 3 * h;
    {
      // k = 0: stage 1 pairs (0, h) without twiddles; stage 2 twiddles are (1, 0) and (0, 1).
      const x0 = a[b]!;
      const x1 = a[q1]!;
      const x2 = a[q2]!;
      const x3 = a[q3]!;
      const p0 = x0 + x1;
      const ph = x0 - x1;
      const r0 = x2 + x3;
      const rh = x2 - x3;
      a[b] = p0 + r0;
      a[q2] = p0 - r0;
      a[q1] = ph + rh;
      a[q3] = ph - rh;
    }
    {
      // k = h/2: stage 1 is twiddle-free (self-paired); stage 2 twiddle is π/4.
      const x0 = a[b + h2]!;
      const x1 = a[q1 + h2]!;
      const x2 = a[q2 + h2]!;
      const x3 = a[q3 + h2]!;
      const p0 = x0 + x1;
      const p1 = x0 - x1;
      const r0 = x2 + x3;
      const r1 = x2 - x3;
      const t1 = SQRT1_2 * (r0 + r1);
      const t2 = SQRT1_2 * (r0 - r1);
      a[b + h2] = p0 + t1;
      a[q2 + h2] = p0 - t1;
      a[q1 + h2] = p1 + t2;
      a[q3 + h2] = p1 - t2;
    }
    for (let k = 1; k < h2; k++) {
      const c1 = cosT[h2 + k]!;
      const s1 = sinT[h2 + k]!;
      const c2 = cosT[h + k]!;
      const s2 = sinT[h + k]!;
      const hk = h - k;
      // Stage 1 on the first half (quarters 0, 1) → P at offsets k, h−k, h+k, 2h−k.
      let e0 = a[b + k]!;
      let e1 = a[b + hk]!;
      let o0 = a[q1 + k]!;
      let o1 = a[q1 + hk]!;
      let u1 = c1 * o0 + s1 * o1;
      let u2 = s1 * o0 - c1 * o1;
      const pk = e0 + u1;
      const phk = e0 - u1;
      const pmk = e1 + u2;
      const p2mk = e1 - u2;
      // Stage 1 on the second half (quarters 2, 3) → Q.
      e0 = a[q2 + k]!;
      e1 = a[q2 + hk]!;
      o0 = a[q3 + k]!;
      o1 = a[q3 + hk]!;
      u1 = c1 * o0 + s1 * o1;
      u2 = s1 * o0 - c1 * o1;
      const rk = e0 + u1;
      const rhk = e0 - u1;
      const rmk = e1 + u2;
      const r2mk = e1 - u2;
      // Stage 2, pair (k, 2h−k) with twiddle πk/2h, pair (h−k, h+k) with its complement.
      const t1 = c2 * rk + s2 * r2mk;
      const t2 = s2 * rk - c2 * r2mk;
      const t3 = s2 * rmk + c2 * rhk;
      const t4 = c2 * rmk - s2 * rhk;
      a[b + k] = pk + t1;
      a[q2 + k] = pk - t1;
      a[q2 - k] = p2mk + t2;
      a[b + step - k] = p2mk - t2;
      a[b + hk] = pmk + t3;
      a[q3 - k] = pmk - t3;
      a[q1 + k] = phk + t4;
      a[q3 + k] = phk - t4;
    }
  }
}


/**
 * {@link radix4Stage} with the loops swapped (twiddle index k outer, blocks inner): each
 * twiddle is loaded once per stage instead of once per block. Faster while the whole
 * array sits in L1/L2; slower beyond, where it strides across memory (measured).
 */
export function radix4StageKOuter(a: Float64Array, n: number, h: number, tables: Radix2Tables): void {
  const cosT = tables.cos;
  const sinT = tables.sin;
  const h2 = h >> 1;
  const step = 4 * h;
  const SQRT1_2 = Math.SQRT1_2;
  for (let b = 0; b < n; b += step) {
    const q1 = b + h;
    const q2 = b + 2 * h;
    const q3 = b + 3 * h;
    {
      // k = 0: stage 1 pairs (0, h) without twiddles; stage 2 twiddles are (1, 0) and (0, 1).
      const x0 = a[b]!;
      const x1 = a[q1]!;
      const x2 = a[q2]!;
      const x3 = a[q3]!;
      const p0 = x0 + x1;
      const ph = x0 - x1;
      const r0 = x2 + x3;
      const rh = x2 - x3;
      a[b] = p0 + r0;
      a[q2] = p0 - r0;
      a[q1] = ph + rh;
      a[q3] = ph - rh;
    }
    {
      // k = h/2: stage 1 is twiddle-free (self-paired); stage 2 twiddle is π/4.
      const x0 = a[b + h2]!;
      const x1 = a[q1 + h2]!;
      const x2 = a[q2 + h2]!;
      const x3 = a[q3 + h2]!;
      const p0 = x0 + x1;
      const p1 = x0 - x1;
      const r0 = x2 + x3;
      const r1 = x2 - x3;
      const t1 = SQRT1_2 * (r0 + r1);
      const t2 = SQRT1_2 * (r0 - r1);
      a[b + h2] = p0 + t1;
      a[q2 + h2] = p0 - t1;
      a[q1 + h2] = p1 + t2;
      a[q3 + h2] = p1 - t2;
    }
  }
  for (let k = 1; k < h2; k++) {
    const c1 = cosT[h2 + k]!;
    const s1 = sinT[h2 + k]!;
    const c2 = cosT[h + k]!;
    const s2 = sinT[h + k]!;
    const hk = h - k;
    for (let b = 0; b < n; b += step) {
      const q1 = b + h;
      const q2 = b + 2 * h;
      const q3 = b + 3 * h;
      // Stage 1 on the first half (quarters 0, 1) → P at offsets k, h−k, h+k, 2h−k.
      let e0 = a[b + k]!;
      let e1 = a[b + hk]!;
      let o0 = a[q1 + k]!;
      let o1 = a[q1 + hk]!;
      let u1 = c1 * o0 + s1 * o1;
      let u2 = s1 * o0 - c1 * o1;
      const pk = e0 + u1;
      const phk = e0 - u1;
      const pmk = e1 + u2;
      const p2mk = e1 - u2;
      // Stage 1 on the second half (quarters 2, 3) → Q.
      e0 = a[q2 + k]!;
      e1 = a[q2 + hk]!;
      o0 = a[q3 + k]!;
      o1 = a[q3 + hk]!;
      u1 = c1 * o0 + s1 * o1;
      u2 = s1 * o0 - c1 * o1;
      const rk = e0 + u1;
      const rhk = e0 - u1;
      const rmk = e1 + u2;
      const r2mk = e1 - u2;
      // Stage 2, pair (k, 2h−k) with twiddle πk/2h, pair (h−k, h+k) with its complement.
      const t1 = c2 * rk + s2 * r2mk;
      const t2 = s2 * rk - c2 * r2mk;
      const t3 = s2 * rmk + c2 * rhk;
      const t4 = c2 * rmk - s2 * rhk;
      a[b + k] = pk + t1;
      a[q2 + k] = pk - t1;
      a[q2 - k] = p2mk + t2;
      a[b + step - k] = p2mk - t2;
      a[b + hk] = pmk + t3;
      a[q3 - k] = pmk - t3;
      a[q1 + k] = phk + t4;
      a[q3 + k] = phk - t4;
    }
  }
}

/**
 * {@link radix4Stage} as the last stage: reads the work buffer, writes `scale ×` element i of
 * the result to out[outOffset + i·outStride] (any real array type), saving the copy-out pass.
 */
export function radix4StageOut(
  a: Float64Array,
  n: number,
  h: number,
  tables: Radix2Tables,
  out: RealArray,
  outOffset: number,
  outStride: number,
  scale: number,
): void {
  const cosT = tables.cos;
  const sinT = tables.sin;
  const h2 = h >> 1;
  const step = 4 * h;
  const SQRT1_2 = Math.SQRT1_2;
  for (let b = 0; b < n; b += step) {
    const q1 = b + h;
    const q2 = b + 2 * h;
    const q3 = b + 3 * h;
    {
      // k = 0: stage 1 pairs (0, h) without twiddles; stage 2 twiddles are (1, 0) and (0, 1).
      const x0 = a[b]!;
      const x1 = a[q1]!;
      const x2 = a[q2]!;
      const x3 = a[q3]!;
      const p0 = x0 + x1;
      const ph = x0 - x1;
      const r0 = x2 + x3;
      const rh = x2 - x3;
      out[outOffset + (b) * outStride] = (p0 + r0) * scale;
      out[outOffset + (q2) * outStride] = (p0 - r0) * scale;
      out[outOffset + (q1) * outStride] = (ph + rh) * scale;
      out[outOffset + (q3) * outStride] = (ph - rh) * scale;
    }
    {
      // k = h/2: stage 1 is twiddle-free (self-paired); stage 2 twiddle is π/4.
      const x0 = a[b + h2]!;
      const x1 = a[q1 + h2]!;
      const x2 = a[q2 + h2]!;
      const x3 = a[q3 + h2]!;
      const p0 = x0 + x1;
      const p1 = x0 - x1;
      const r0 = x2 + x3;
      const r1 = x2 - x3;
      const t1 = SQRT1_2 * (r0 + r1);
      const t2 = SQRT1_2 * (r0 - r1);
      out[outOffset + (b + h2) * outStride] = (p0 + t1) * scale;
      out[outOffset + (q2 + h2) * outStride] = (p0 - t1) * scale;
      out[outOffset + (q1 + h2) * outStride] = (p1 + t2) * scale;
      out[outOffset + (q3 + h2) * outStride] = (p1 - t2) * scale;
    }
    for (let k = 1; k < h2; k++) {
      const c1 = cosT[h2 + k]!;
      const s1 = sinT[h2 + k]!;
      const c2 = cosT[h + k]!;
      const s2 = sinT[h + k]!;
      const hk = h - k;
      // Stage 1 on the first half (quarters 0, 1) → P at offsets k, h−k, h+k, 2h−k.
      let e0 = a[b + k]!;
      let e1 = a[b + hk]!;
      let o0 = a[q1 + k]!;
      let o1 = a[q1 + hk]!;
      let u1 = c1 * o0 + s1 * o1;
      let u2 = s1 * o0 - c1 * o1;
      const pk = e0 + u1;
      const phk = e0 - u1;
      const pmk = e1 + u2;
      const p2mk = e1 - u2;
      // Stage 1 on the second half (quarters 2, 3) → Q.
      e0 = a[q2 + k]!;
      e1 = a[q2 + hk]!;
      o0 = a[q3 + k]!;
      o1 = a[q3 + hk]!;
      u1 = c1 * o0 + s1 * o1;
      u2 = s1 * o0 - c1 * o1;
      const rk = e0 + u1;
      const rhk = e0 - u1;
      const rmk = e1 + u2;
      const r2mk = e1 - u2;
      // Stage 2, pair (k, 2h−k) with twiddle πk/2h, pair (h−k, h+k) with its complement.
      const t1 = c2 * rk + s2 * r2mk;
      const t2 = s2 * rk - c2 * r2mk;
      const t3 = s2 * rmk + c2 * rhk;
      const t4 = c2 * rmk - s2 * rhk;
      out[outOffset + (b + k) * outStride] = (pk + t1) * scale;
      out[outOffset + (q2 + k) * outStride] = (pk - t1) * scale;
      out[outOffset + (q2 - k) * outStride] = (p2mk + t2) * scale;
      out[outOffset + (b + step - k) * outStride] = (p2mk - t2) * scale;
      out[outOffset + (b + hk) * outStride] = (pmk + t3) * scale;
      out[outOffset + (q3 - k) * outStride] = (pmk - t3) * scale;
      out[outOffset + (q1 + k) * outStride] = (phk + t4) * scale;
      out[outOffset + (q3 + k) * outStride] = (phk - t4) * scale;
    }
  }
}
