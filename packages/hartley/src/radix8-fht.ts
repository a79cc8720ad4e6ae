import type { Radix2Tables } from './radix2-fht';
import type { RealArray } from './types';

const C8 = Math.cos(Math.PI / 8);
const S8 = Math.sin(Math.PI / 8);

/**
 * Three radix-2 FHT stages fused (h → 2h → 4h → 8h, h ≥ 2) over every 8h-block of a[0..n).
 * With Q_0..Q_7 the transformed sub-blocks of length h, the 16 values Q_i[k], Q_i[h−k]
 * (0 < k < h/2) depend only on each other through all three stages; they are loaded once,
 * combined in registers and stored once to offsets {k, h±k, …, 8h−k}. Stage twiddles:
 * πk/h (A), πk/2h and its complement (B), πk''/4h for k'' ∈ {k, h−k, h+k, 2h−k} (C).
 * k = 0 and k = h/2 are the twiddle-free / π/4, π/8 special groups of 8 values.
 */
export function radix8Stage(a: Float64Array, n: number, h: number, tables: Radix2Tables): void {
  const cosT = tables.cos;
  const sinT = tables.sin;
  const h2 = h >> 1;
  const step = 8 * h;
  const SQ = Math.SQRT1_2;
  for (let b = 0; b < n; b += step) {
    {
      // k = 0: positions i·h.
      const x0 = a[b]!;
      const x1 = a[b + h]!;
      const x2 = a[b + 2 * h]!;
      const x3 = a[b + 3 * h]!;
      const x4 = a[b + 4 * h]!;
      const x5 = a[b + 5 * h]!;
      const x6 = a[b + 6 * h]!;
      const x7 = a[b + 7 * h]!;
      // Stage A: P_i[0], P_i[h].
      const p00 = x0 + x1;
      const p0h = x0 - x1;
      const p10 = x2 + x3;
      const p1h = x2 - x3;
      const p20 = x4 + x5;
      const p2h = x4 - x5;
      const p30 = x6 + x7;
      const p3h = x6 - x7;
      // Stage B: R_j[0], R_j[h], R_j[2h], R_j[3h].
      const r00 = p00 + p10;
      const r02 = p00 - p10;
      const r01 = p0h + p1h;
      const r03 = p0h - p1h;
      const r10 = p20 + p30;
      const r12 = p20 - p30;
      const r11 = p2h + p3h;
      const r13 = p2h - p3h;
      // Stage C.
      a[b] = r00 + r10;
      a[b + 4 * h] = r00 - r10;
      a[b + 2 * h] = r02 + r12;
      a[b + 6 * h] = r02 - r12;
      const t = SQ * (r11 + r13);
      const u = SQ * (r11 - r13);
      a[b + h] = r01 + t;
      a[b + 5 * h] = r01 - t;
      a[b + 3 * h] = r03 + u;
      a[b + 7 * h] = r03 - u;
    }
    {
      // k = h/2: positions i·h + h/2.
      const o = b + h2;
      const y0 = a[o]!;
      const y1 = a[o + h]!;
      const y2 = a[o + 2 * h]!;
      const y3 = a[o + 3 * h]!;
      const y4 = a[o + 4 * h]!;
      const y5 = a[o + 5 * h]!;
      const y6 = a[o + 6 * h]!;
      const y7 = a[o + 7 * h]!;
      // Stage A (self-paired): P_i[h/2], P_i[3h/2].
      const p0a = y0 + y1;
      const p0b = y0 - y1;
      const p1a = y2 + y3;
      const p1b = y2 - y3;
      const p2a = y4 + y5;
      const p2b = y4 - y5;
      const p3a = y6 + y7;
      const p3b = y6 - y7;
      // Stage B, pair (h/2, 3h/2) at π/4: R_j at h/2, 3h/2, 5h/2, 7h/2.
      let t1 = SQ * (p1a + p1b);
      let t2 = SQ * (p1a - p1b);
      const r0a = p0a + t1;
      const r0c = p0a - t1;
      const r0b = p0b + t2;
      const r0d = p0b - t2;
      t1 = SQ * (p3a + p3b);
      t2 = SQ * (p3a - p3b);
      const r1a = p2a + t1;
      const r1c = p2a - t1;
      const r1b = p2b + t2;
      const r1d = p2b - t2;
      // Stage C: pairs (h/2, 7h/2) at π/8 and (3h/2, 5h/2) at 3π/8.
      let t = C8 * r1a + S8 * r1d;
      let u = S8 * r1a - C8 * r1d;
      a[o] = r0a + t;
      a[o + 4 * h] = r0a - t;
      a[o + 3 * h] = r0d + u;
      a[o + 7 * h] = r0d - u;
      t = S8 * r1b + C8 * r1c;
      u = C8 * r1b - S8 * r1c;
      a[o + h] = r0b + t;
      a[o + 5 * h] = r0b - t;
      a[o + 2 * h] = r0c + u;
      a[o + 6 * h] = r0c - u;
    }
    for (let k = 1; k < h2; k++) {
      const c1 = cosT[h2 + k]!;
      const s1 = sinT[h2 + k]!;
      const c2 = cosT[h + k]!;
      const s2 = sinT[h + k]!;
      const ca = cosT[2 * h + k]!;
      const sa = sinT[2 * h + k]!;
      const cb = cosT[3 * h - k]!;
      const sb = sinT[3 * h - k]!;
      const cc = cosT[3 * h + k]!;
      const sc = sinT[3 * h + k]!;
      const hk = h - k;
      // Stage A on (Q0,Q1) → P0 and (Q2,Q3) → P1, at offsets k, h−k, h+k, 2h−k.
      let e0 = a[b + k]!;
      let e1 = a[b + hk]!;
      let o0 = a[b + h + k]!;
      let o1 = a[b + h + hk]!;
      let u1 = c1 * o0 + s1 * o1;
      let u2 = s1 * o0 - c1 * o1;
      const P0k = e0 + u1;
      const P0hk = e0 - u1;
      const P0mk = e1 + u2;
      const P02mk = e1 - u2;
      e0 = a[b + 2 * h + k]!;
      e1 = a[b + 2 * h + hk]!;
      o0 = a[b + 3 * h + k]!;
      o1 = a[b + 3 * h + hk]!;
      u1 = c1 * o0 + s1 * o1;
      u2 = s1 * o0 - c1 * o1;
      const P1k = e0 + u1;
      const P1hk = e0 - u1;
      const P1mk = e1 + u2;
      const P12mk = e1 - u2;
      // Stage B: R0 from (P0, P1) at offsets k, h−k, h+k, 2h−k, 2h+k, 3h−k, 3h+k, 4h−k.
      let t1 = c2 * P1k + s2 * P12mk;
      let t2 = s2 * P1k - c2 * P12mk;
      let t3 = s2 * P1mk + c2 * P1hk;
      let t4 = c2 * P1mk - s2 * P1hk;
      const R0k = P0k + t1;
      const R02pk = P0k - t1;
      const R02mk = P02mk + t2;
      const R04mk = P02mk - t2;
      const R0mk = P0mk + t3;
      const R03mk = P0mk - t3;
      const R0hk = P0hk + t4;
      const R03pk = P0hk - t4;
      // Stage A on (Q4,Q5) → P2 and (Q6,Q7) → P3.
      e0 = a[b + 4 * h + k]!;
      e1 = a[b + 4 * h + hk]!;
      o0 = a[b + 5 * h + k]!;
      o1 = a[b + 5 * h + hk]!;
      u1 = c1 * o0 + s1 * o1;
      u2 = s1 * o0 - c1 * o1;
      const P2k = e0 + u1;
      const P2hk = e0 - u1;
      const P2mk = e1 + u2;
      const P22mk = e1 - u2;
      e0 = a[b + 6 * h + k]!;
      e1 = a[b + 6 * h + hk]!;
      o0 = a[b + 7 * h + k]!;
      o1 = a[b + 7 * h + hk]!;
      u1 = c1 * o0 + s1 * o1;
      u2 = s1 * o0 - c1 * o1;
      const P3k = e0 + u1;
      const P3hk = e0 - u1;
      const P3mk = e1 + u2;
      const P32mk = e1 - u2;
      // Stage B: R1 from (P2, P3).
      t1 = c2 * P3k + s2 * P32mk;
      t2 = s2 * P3k - c2 * P32mk;
      t3 = s2 * P3mk + c2 * P3hk;
      t4 = c2 * P3mk - s2 * P3hk;
      const R1k = P2k + t1;
      const R12pk = P2k - t1;
      const R12mk = P22mk + t2;
      const R14mk = P22mk - t2;
      const R1mk = P2mk + t3;
      const R13mk = P2mk - t3;
      const R1hk = P2hk + t4;
      const R13pk = P2hk - t4;
      // Stage C: pairs (k, 4h−k), (2h−k, 2h+k), (h−k, 3h+k), (h+k, 3h−k).
      let t = ca * R1k + sa * R14mk;
      let u = sa * R1k - ca * R14mk;
      a[b + k] = R0k + t;
      a[b + 4 * h + k] = R0k - t;
      a[b + 4 * h - k] = R04mk + u;
      a[b + step - k] = R04mk - u;
      t = sa * R12mk + ca * R12pk;
      u = ca * R12mk - sa * R12pk;
      a[b + 2 * h - k] = R02mk + t;
      a[b + 6 * h - k] = R02mk - t;
      a[b + 2 * h + k] = R02pk + u;
      a[b + 6 * h + k] = R02pk - u;
      t = cb * R1mk + sb * R13pk;
      u = sb * R1mk - cb * R13pk;
      a[b + hk] = R0mk + t;
      a[b + 5 * h - k] = R0mk - t;
      a[b + 3 * h + k] = R03pk + u;
      a[b + 7 * h + k] = R03pk - u;
      t = cc * R1hk + sc * R13mk;
      u = sc * R1hk - cc * R13mk;
      a[b + h + k] = R0hk + t;
      a[b + 5 * h + k] = R0hk - t;
      a[b + 3 * h - k] = R03mk + u;
      a[b + 7 * h - k] = R03mk - u;
    }
  }
}

/** {@link radix8Stage} as the last stage, writing scale × element i to out[outOffset + i·outStride]. */
export function radix8StageOut(
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
  const step = 8 * h;
  const SQ = Math.SQRT1_2;
  for (let b = 0; b < n; b += step) {
    {
      // k = 0: positions i·h.
      const x0 = a[b]!;
      const x1 = a[b + h]!;
      const x2 = a[b + 2 * h]!;
      const x3 = a[b + 3 * h]!;
      const x4 = a[b + 4 * h]!;
      const x5 = a[b + 5 * h]!;
      const x6 = a[b + 6 * h]!;
      const x7 = a[b + 7 * h]!;
      // Stage A: P_i[0], P_i[h].
      const p00 = x0 + x1;
      const p0h = x0 - x1;
      const p10 = x2 + x3;
      const p1h = x2 - x3;
      const p20 = x4 + x5;
      const p2h = x4 - x5;
      const p30 = x6 + x7;
      const p3h = x6 - x7;
      // Stage B: R_j[0], R_j[h], R_j[2h], R_j[3h].
      const r00 = p00 + p10;
      const r02 = p00 - p10;
      const r01 = p0h + p1h;
      const r03 = p0h - p1h;
      const r10 = p20 + p30;
      const r12 = p20 - p30;
      const r11 = p2h + p3h;
      const r13 = p2h - p3h;
      // Stage C.
      out[outOffset + (b) * outStride] = (r00 + r10) * scale;
      out[outOffset + (b + 4 * h) * outStride] = (r00 - r10) * scale;
      out[outOffset + (b + 2 * h) * outStride] = (r02 + r12) * scale;
      out[outOffset + (b + 6 * h) * outStride] = (r02 - r12) * scale;
      const t = SQ * (r11 + r13);
      const u = SQ * (r11 - r13);
      out[outOffset + (b + h) * outStride] = (r01 + t) * scale;
      out[outOffset + (b + 5 * h) * outStride] = (r01 - t) * scale;
      out[outOffset + (b + 3 * h) * outStride] = (r03 + u) * scale;
      out[outOffset + (b + 7 * h) * outStride] = (r03 - u) * scale;
    }
    {
      // k = h/2: positions i·h + h/2.
      const o = b + h2;
      const y0 = a[o]!;
      const y1 = a[o + h]!;
      const y2 = a[o + 2 * h]!;
      const y3 = a[o + 3 * h]!;
      const y4 = a[o + 4 * h]!;
      const y5 = a[o + 5 * h]!;
      const y6 = a[o + 6 * h]!;
      const y7 = a[o + 7 * h]!;
      // Stage A (self-paired): P_i[h/2], P_i[3h/2].
      const p0a = y0 + y1;
      const p0b = y0 - y1;
      const p1a = y2 + y3;
      const p1b = y2 - y3;
      const p2a = y4 + y5;
      const p2b = y4 - y5;
      const p3a = y6 + y7;
      const p3b = y6 - y7;
      // Stage B, pair (h/2, 3h/2) at π/4: R_j at h/2, 3h/2, 5h/2, 7h/2.
      let t1 = SQ * (p1a + p1b);
      let t2 = SQ * (p1a - p1b);
      const r0a = p0a + t1;
      const r0c = p0a - t1;
      const r0b = p0b + t2;
      const r0d = p0b - t2;
      t1 = SQ * (p3a + p3b);
      t2 = SQ * (p3a - p3b);
      const r1a = p2a + t1;
      const r1c = p2a - t1;
      const r1b = p2b + t2;
      const r1d = p2b - t2;
      // Stage C: pairs (h/2, 7h/2) at π/8 and (3h/2, 5h/2) at 3π/8.
      let t = C8 * r1a + S8 * r1d;
      let u = S8 * r1a - C8 * r1d;
      out[outOffset + (o) * outStride] = (r0a + t) * scale;
      out[outOffset + (o + 4 * h) * outStride] = (r0a - t) * scale;
      out[outOffset + (o + 3 * h) * outStride] = (r0d + u) * scale;
      out[outOffset + (o + 7 * h) * outStride] = (r0d - u) * scale;
      t = S8 * r1b + C8 * r1c;
      u = C8 * r1b - S8 * r1c;
      out[outOffset + (o + h) * outStride] = (r0b + t) * scale;
      out[outOffset + (o + 5 * h) * outStride] = (r0b - t) * scale;
      out[outOffset + (o + 2 * h) * outStride] = (r0c + u) * scale;
      out[outOffset + (o + 6 * h) * outStride] = (r0c - u) * scale;
    }
    for (let k = 1; k < h2; k++) {
      const c1 = cosT[h2 + k]!;
      const s1 = sinT[h2 + k]!;
      const c2 = cosT[h + k]!;
      const s2 = sinT[h + k]!;
      const ca = cosT[2 * h + k]!;
      const sa = sinT[2 * h + k]!;
      const cb = cosT[3 * h - k]!;
      const sb = sinT[3 * h - k]!;
      const cc = cosT[3 * h + k]!;
      const sc = sinT[3 * h + k]!;
      const hk = h - k;
      // Stage A on (Q0,Q1) → P0 and (Q2,Q3) → P1, at offsets k, h−k, h+k, 2h−k.
      let e0 = a[b + k]!;
      let e1 = a[b + hk]!;
      let o0 = a[b + h + k]!;
      let o1 = a[b + h + hk]!;
      let u1 = c1 * o0 + s1 * o1;
      let u2 = s1 * o0 - c1 * o1;
      const P0k = e0 + u1;
      const P0hk = e0 - u1;
      const P0mk = e1 + u2;
      const P02mk = e1 - u2;
      e0 = a[b + 2 * h + k]!;
      e1 = a[b + 2 * h + hk]!;
      o0 = a[b + 3 * h + k]!;
      o1 = a[b + 3 * h + hk]!;
      u1 = c1 * o0 + s1 * o1;
      u2 = s1 * o0 - c1 * o1;
      const P1k = e0 + u1;
      const P1hk = e0 - u1;
      const P1mk = e1 + u2;
      const P12mk = e1 - u2;
      // Stage B: R0 from (P0, P1) at offsets k, h−k, h+k, 2h−k, 2h+k, 3h−k, 3h+k, 4h−k.
      let t1 = c2 * P1k + s2 * P12mk;
      let t2 = s2 * P1k - c2 * P12mk;
      let t3 = s2 * P1mk + c2 * P1hk;
      let t4 = c2 * P1mk - s2 * P1hk;
      const R0k = P0k + t1;
      const R02pk = P0k - t1;
      const R02mk = P02mk + t2;
      const R04mk = P02mk - t2;
      const R0mk = P0mk + t3;
      const R03mk = P0mk - t3;
      const R0hk = P0hk + t4;
      const R03pk = P0hk - t4;
      // Stage A on (Q4,Q5) → P2 and (Q6,Q7) → P3.
      e0 = a[b + 4 * h + k]!;
      e1 = a[b + 4 * h + hk]!;
      o0 = a[b + 5 * h + k]!;
      o1 = a[b + 5 * h + hk]!;
      u1 = c1 * o0 + s1 * o1;
      u2 = s1 * o0 - c1 * o1;
      const P2k = e0 + u1;
      const P2hk = e0 - u1;
      const P2mk = e1 + u2;
      const P22mk = e1 - u2;
      e0 = a[b + 6 * h + k]!;
      e1 = a[b + 6 * h + hk]!;
      o0 = a[b + 7 * h + k]!;
      o1 = a[b + 7 * h + hk]!;
      u1 = c1 * o0 + s1 * o1;
      u2 = s1 * o0 - c1 * o1;
      const P3k = e0 + u1;
      const P3hk = e0 - u1;
      const P3mk = e1 + u2;
      const P32mk = e1 - u2;
      // Stage B: R1 from (P2, P3).
      t1 = c2 * P3k + s2 * P32mk;
      t2 = s2 * P3k - c2 * P32mk;
      t3 = s2 * P3mk + c2 * P3hk;
      t4 = c2 * P3mk - s2 * P3hk;
      const R1k = P2k + t1;
      const R12pk = P2k - t1;
      const R12mk = P22mk + t2;
      const R14mk = P22mk - t2;
      const R1mk = P2mk + t3;
      const R13mk = P2mk - t3;
      const R1hk = P2hk + t4;
      const R13pk = P2hk - t4;
      // Stage C: pairs (k, 4h−k), (2h−k, 2h+k), (h−k, 3h+k), (h+k, 3h−k).
      let t = ca * R1k + sa * R14mk;
      let u = sa * R1k - ca * R14mk;
      out[outOffset + (b + k) * outStride] = (R0k + t) * scale;
      out[outOffset + (b + 4 * h + k) * outStride] = (R0k - t) * scale;
      out[outOffset + (b + 4 * h - k) * outStride] = (R04mk + u) * scale;
      out[outOffset + (b + step - k) * outStride] = (R04mk - u) * scale;
      t = sa * R12mk + ca * R12pk;
      u = ca * R12mk - sa * R12pk;
      out[outOffset + (b + 2 * h - k) * outStride] = (R02mk + t) * scale;
      out[outOffset + (b + 6 * h - k) * outStride] = (R02mk - t) * scale;
      out[outOffset + (b + 2 * h + k) * outStride] = (R02pk + u) * scale;
      out[outOffset + (b + 6 * h + k) * outStride] = (R02pk - u) * scale;
      t = cb * R1mk + sb * R13pk;
      u = sb * R1mk - cb * R13pk;
      out[outOffset + (b + hk) * outStride] = (R0mk + t) * scale;
      out[outOffset + (b + 5 * h - k) * outStride] = (R0mk - t) * scale;
      out[outOffset + (b + 3 * h + k) * outStride] = (R03pk + u) * scale;
      out[outOffset + (b + 7 * h + k) * outStride] = (R03pk - u) * scale;
      t = cc * R1hk + sc * R13mk;
      u = sc * R1hk - cc * R13mk;
      out[outOffset + (b + h + k) * outStride] = (R0hk + t) * scale;
      out[outOffset + (b + 5 * h + k) * outStride] = (R0hk - t) * scale;
      out[outOffset + (b + 3 * h - k) * outStride] = (R03mk + u) * scale;
      out[outOffset + (b + 7 * h - k) * outStride] = (R03mk - u) * scale;
    }
  }
}
