import { LaneTransform } from './lane-transform';
import type { SimdRuntime } from './runtime';

/**
 * Power-of-two lengths whose float64 transform runs in WebAssembly SIMD (f64x2), where it was
 * measured 1.7–2× faster than the JavaScript kernel (2^10 … 2^20). Below, the copies in and out
 * eat the gain (≈ 1.0× at 256); above, it is not measured and the JavaScript kernel stays.
 */
export const F64_SIMD_MIN_LENGTH = 1024;
export const F64_SIMD_MAX_LENGTH = 2 ** 20;

/** Bytes of lane-matrix data that one tile of small FHT stages keeps in cache (as lane-transform.ts). */
const TILE_BYTES = 128 * 1024;

/**
 * 1D DHT of a float64 power-of-two length n = 2L in WebAssembly SIMD (float64 arithmetic): the
 * two decimated subsequences x[2j + r] are the two f64 lanes of an L-element lane matrix (the
 * input's own memory order, 16 bytes per element like the float32 kernel's four lanes), their
 * FHTs run side by side in f64x2, and one pass combines them (the last radix-2 stage).
 */
export class Simd1dKernel64 {
  readonly n: number;
  /** Supplies the digit-reversal gather of 16-byte elements (its float32 tables are not used). */
  private readonly order: LaneTransform;
  private readonly fhtCos: number;
  private readonly fhtSin: number;
  private readonly twc: number;
  private readonly tws: number;

  constructor(private readonly rt: SimdRuntime, n: number) {
    this.n = n;
    const L = n / 2;
    this.order = LaneTransform.of(rt, L);
    const c = new Float64Array(Math.max(L, 4));
    const s = new Float64Array(Math.max(L, 4));
    for (let h = 4; h < L; h *= 2) {
      for (let k = 1; k < h >> 1; k++) {
        c[h + k] = Math.cos((Math.PI * k) / h);
        s[h + k] = Math.sin((Math.PI * k) / h);
      }
    }
    this.fhtCos = rt.storeF64(c);
    this.fhtSin = rt.storeF64(s);
    const cc = new Float64Array(L);
    const ss = new Float64Array(L);
    for (let k = 0; k < L; k++) {
      cc[k] = Math.cos((2 * Math.PI * k) / n);
      ss[k] = Math.sin((2 * Math.PI * k) / n);
    }
    this.twc = rt.storeF64(cc);
    this.tws = rt.storeF64(ss);
  }

  /** Lengths this kernel takes: powers of two in [F64_SIMD_MIN_LENGTH, F64_SIMD_MAX_LENGTH]. */
  static supports(n: number): boolean {
    return n >= F64_SIMD_MIN_LENGTH && n <= F64_SIMD_MAX_LENGTH && (n & (n - 1)) === 0;
  }

  /** scale × DHT of src[srcOffset + i·srcStride] into dst[dstOffset + k·dstStride] (float64 both). */
  transform(src: Float64Array, srcOffset: number, srcStride: number, dst: Float64Array, dstOffset: number, dstStride: number, scale: number): void {
    const { rt, n } = this;
    const L = n >> 1;
    const bytes = n * 8;
    const io = rt.scratch(2 * bytes + this.order.scratchBytes(4));
    const lane = io + bytes;
    const mem = rt.f64;
    const at = io >> 3;
    if (srcStride === 1) mem.set(src.subarray(srcOffset, srcOffset + n), at);
    else for (let i = 0, p = srcOffset; i < n; i++, p += srcStride) mem[at + i] = src[p]!;
    // 16-byte elements: the float32 gather with 4 "lanes" moves the two float64 lanes.
    this.order.gather(io, 4, lane, 4, 4, lane + bytes);
    rt.exports.fhtStages64(lane, L, L, 2, this.fhtCos, this.fhtSin, TILE_BYTES / 16);
    rt.exports.combine2(lane, io, L, this.twc, this.tws, scale);
    if (dstStride === 1) dst.set(mem.subarray(at, at + n), dstOffset);
    else for (let k = 0, p = dstOffset; k < n; k++, p += dstStride) dst[p] = mem[at + k]!;
  }
}
