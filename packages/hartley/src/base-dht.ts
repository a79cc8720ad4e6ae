/**
 * The first FHT stages as hard-coded 8- and 16-point DHTs, fused with the digit-reversal
 * gather. Reading the input in digit-reversed order is the one cache-hostile step of a
 * decimation-in-time transform; it is done in tiles: for a fixed block of middle bits the
 * 8 (or 16) consecutive destinations of each base DHT read one element from each of
 * 8 (16) source cache lines, and the next `t` iterations reuse exactly those lines.
 */

const COS_PI_8 = Math.cos(Math.PI / 8);
const SIN_PI_8 = Math.sin(Math.PI / 8);
const SQRT1_2 = Math.SQRT1_2;

/** Writes the 8-point DHT of x0..x7 given in bit-reversed order to a[i..i+8). */
function dht8(a: Float64Array, i: number, x0: number, x1: number, x2: number, x3: number, x4: number, x5: number, x6: number, x7: number): void {
  const s0 = x0 + x1;
  const d0 = x0 - x1;
  const s1 = x2 + x3;
  const d1 = x2 - x3;
  const s2 = x4 + x5;
  const d2 = x4 - x5;
  const s3 = x6 + x7;
  const d3 = x6 - x7;
  const e0 = s0 + s1;
  const e1 = d0 + d1;
  const e2 = s0 - s1;
  const e3 = d0 - d1;
  const o0 = s2 + s3;
  const o1 = d2 + d3;
  const o2 = s2 - s3;
  const o3 = d2 - d3;
  const t1 = SQRT1_2 * (o1 + o3);
  const t2 = SQRT1_2 * (o1 - o3);
  a[i] = e0 + o0;
  a[i + 4] = e0 - o0;
  a[i + 2] = e2 + o2;
  a[i + 6] = e2 - o2;
  a[i + 1] = e1 + t1;
  a[i + 5] = e1 - t1;
  a[i + 3] = e3 + t2;
  a[i + 7] = e3 - t2;
}

/** Merges two 8-point DHTs at a[i..i+8) and a[i+8..i+16) into one 16-point DHT. */
function merge16(a: Float64Array, i: number): void {
  const e0 = a[i]!;
  const e1 = a[i + 1]!;
  const e2 = a[i + 2]!;
  const e3 = a[i + 3]!;
  const e4 = a[i + 4]!;
  const e5 = a[i + 5]!;
  const e6 = a[i + 6]!;
  const e7 = a[i + 7]!;
  const o0 = a[i + 8]!;
  const o1 = a[i + 9]!;
  const o2 = a[i + 10]!;
  const o3 = a[i + 11]!;
  const o4 = a[i + 12]!;
  const o5 = a[i + 13]!;
  const o6 = a[i + 14]!;
  const o7 = a[i + 15]!;
  a[i] = e0 + o0;
  a[i + 8] = e0 - o0;
  a[i + 4] = e4 + o4;
  a[i + 12] = e4 - o4;
  // k = 1 (pair 7): θ = π/8; k = 3 (pair 5): θ = 3π/8 (cos/sin swap); k = 2 (pair 6): θ = π/4.
  let t1 = COS_PI_8 * o1 + SIN_PI_8 * o7;
  let t2 = SIN_PI_8 * o1 - COS_PI_8 * o7;
  a[i + 1] = e1 + t1;
  a[i + 9] = e1 - t1;
  a[i + 7] = e7 + t2;
  a[i + 15] = e7 - t2;
  t1 = SQRT1_2 * (o2 + o6);
  t2 = SQRT1_2 * (o2 - o6);
  a[i + 2] = e2 + t1;
  a[i + 10] = e2 - t1;
  a[i + 6] = e6 + t2;
  a[i + 14] = e6 - t2;
  t1 = SIN_PI_8 * o3 + COS_PI_8 * o5;
  t2 = COS_PI_8 * o3 - SIN_PI_8 * o5;
  a[i + 3] = e3 + t1;
  a[i + 11] = e3 - t1;
  a[i + 5] = e5 + t2;
  a[i + 13] = e5 - t2;
}

/** 3-bit reversal: rev3[l]. */
const REV3 = [0, 4, 2, 6, 1, 5, 3, 7] as const;
const REV4 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15] as const;

/**
 * Geometry of the gather: block b (of `blocks` = n / 2^m) takes its input from
 * src[blockOffset[b] + rev_m(p)·stride], p < 2^m (stride = blocks, the product of the
 * odd radices). `midRev[mid]` is the bit reversal of the middle m − 2·log2(base) bits.
 */
export interface GatherGeometry {
  readonly log2Block: number;
  readonly base: 8 | 16;
  readonly stride: number;
  readonly blockOffset: Uint32Array;
  readonly midRev: Uint32Array;
}

/**
 * Base DHT size (8 or 16) for a power-of-two block of 2^m points (m ≥ 3). With radix-8
 * stages after it, 16 when m ≡ 1 (mod 3), else 8 (the rest splits into radix-8 stages and at
 * most one radix-4 stage); with radix-4 stages, 8 for odd m and 16 for even m.
 */
export function baseSize(log2Block: number, radix8: boolean): 8 | 16 {
  if (radix8) return log2Block % 3 === 1 ? 16 : 8;
  return (log2Block & 1) === 1 ? 8 : 16;
}

/** In-place base DHT (8 or 16 points) of consecutive groups of already-permuted data. */
export function baseInPlace(a: Float64Array, n: number, base: 8 | 16): void {
  for (let i = 0; i < n; i += 8) {
    dht8(a, i, a[i]!, a[i + 1]!, a[i + 2]!, a[i + 3]!, a[i + 4]!, a[i + 5]!, a[i + 6]!, a[i + 7]!);
  }
  if (base === 16) for (let i = 0; i < n; i += 16) merge16(a, i);
}

/**
 * Digit-reversal gather fused with the 8- or 16-point base DHT of every block (requires
 * 2^m ≥ base²), reading logical element i at src[srcOffset + i·srcStride]. Each base DHT
 * reads its B inputs straight from B source runs into registers.
 * (A variant staging each B×B tile in a small contiguous buffer measured 1.5–3× slower.)
 */
export function gatherBase(g: GatherGeometry, src: ArrayLike<number>, srcOffset: number, srcStride: number, a: Float64Array): void {
  const m = g.log2Block;
  const M = 1 << m;
  const D = g.stride * srcStride;
  const midRev = g.midRev;
  const mids = midRev.length;
  if (g.base === 8) {
    const Q = (M >> 3) * D;
    for (let b = 0; b < g.blockOffset.length; b++) {
      const srcBlock = srcOffset + g.blockOffset[b]! * srcStride;
      const dstBlock = b * M;
      for (let mid = 0; mid < mids; mid++) {
        const srcMid = srcBlock + midRev[mid]! * 8 * D;
        const dstMid = dstBlock + mid * 8;
        for (let u = 0; u < 8; u++) {
          const s = srcMid + u * D;
          dht8(a, dstMid + REV3[u]! * (M >> 3),
            src[s]!, src[s + 4 * Q]!, src[s + 2 * Q]!, src[s + 6 * Q]!,
            src[s + Q]!, src[s + 5 * Q]!, src[s + 3 * Q]!, src[s + 7 * Q]!);
        }
      }
    }
    return;
  }
  const Q = (M >> 4) * D;
  for (let b = 0; b < g.blockOffset.length; b++) {
    const srcBlock = srcOffset + g.blockOffset[b]! * srcStride;
    const dstBlock = b * M;
    for (let mid = 0; mid < mids; mid++) {
      const srcMid = srcBlock + midRev[mid]! * 16 * D;
      const dstMid = dstBlock + mid * 16;
      // u = rev4(t) ascending: the first 8 u read the first cache line of every source run,
      // the last 8 the second, so only 16 lines (not 32) must stay resident.
      for (let u = 0; u < 16; u++) {
        const s = srcMid + u * D;
        const i = dstMid + REV4[u]! * (M >> 4);
        dht8(a, i, src[s]!, src[s + 8 * Q]!, src[s + 4 * Q]!, src[s + 12 * Q]!,
          src[s + 2 * Q]!, src[s + 10 * Q]!, src[s + 6 * Q]!, src[s + 14 * Q]!);
        dht8(a, i + 8, src[s + Q]!, src[s + 9 * Q]!, src[s + 5 * Q]!, src[s + 13 * Q]!,
          src[s + 3 * Q]!, src[s + 11 * Q]!, src[s + 7 * Q]!, src[s + 15 * Q]!);
        merge16(a, i);
      }
    }
  }
}
