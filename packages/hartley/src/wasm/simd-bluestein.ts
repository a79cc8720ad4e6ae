import { bluesteinTables } from '../bluestein-plan';
import type { SimdRuntime } from './runtime';
import { Simd1dKernel } from './simd-1d';

/**
 * Float32 DHT of any length n ≥ SIMD_BLUESTEIN_MIN_LENGTH in WebAssembly SIMD through
 * Bluestein's chirp-z identity (as src/bluestein-plan.ts, in float32): the chirp products and
 * the Hartley-domain product are f32x4 loops, the four power-of-two FHTs of length m ≥ 2n − 1
 * run in the SIMD radix kernel, all inside the module's memory (one copy in, one copy out).
 * For the lengths the SIMD radix kernel cannot take: large prime factors, and n not a multiple
 * of 4.
 */
export class SimdBluesteinKernel {
  readonly n: number;
  private readonly m: number;
  private readonly fht: Simd1dKernel;
  private readonly chirpCos: number;
  private readonly chirpSin: number;
  private readonly specCos: number;
  private readonly specSin: number;

  constructor(private readonly rt: SimdRuntime, n: number) {
    this.n = n;
    const t = bluesteinTables(n);
    this.m = t.m;
    this.fht = new Simd1dKernel(rt, t.m);
    this.chirpCos = rt.storeF32(t.chirpCos);
    this.chirpSin = rt.storeF32(t.chirpSin);
    this.specCos = rt.storeF32(t.specCos);
    this.specSin = rt.storeF32(t.specSin);
  }

  /** Lengths this kernel takes: n ≥ SIMD_BLUESTEIN_MIN_LENGTH (then m ≥ 64 for the FHT). */
  static supports(n: number): boolean {
    return n >= SIMD_BLUESTEIN_MIN_LENGTH;
  }

  /** scale × DHT of src[srcOffset + i·srcStride] into dst[dstOffset + k·dstStride] (float32 both). */
  transform(src: Float32Array, srcOffset: number, srcStride: number, dst: Float32Array, dstOffset: number, dstStride: number, scale: number): void {
    const { rt, n, m } = this;
    const xBytes = (n * 4 + 15) & ~15;
    const x = rt.scratch(xBytes + 2 * m * 4 + this.fht.memoryScratchBytes);
    const re = x + xBytes;
    const im = re + m * 4;
    const work = im + m * 4;
    const mem = rt.f32;
    const at = x >> 2;
    if (srcStride === 1) mem.set(src.subarray(srcOffset, srcOffset + n), at);
    else for (let i = 0, p = srcOffset; i < n; i++, p += srcStride) mem[at + i] = src[p]!;
    const ex = rt.exports;
    ex.chirpIn(x, this.chirpCos, this.chirpSin, re, im, n);
    mem.fill(0, (re >> 2) + n, (re >> 2) + m);
    mem.fill(0, (im >> 2) + n, (im >> 2) + m);
    this.fht.runInMemory(re, re, work, 1);
    this.fht.runInMemory(im, im, work, 1);
    ex.chirpProduct(re, im, this.specCos, this.specSin, m);
    this.fht.runInMemory(re, re, work, 1);
    this.fht.runInMemory(im, im, work, 1);
    ex.chirpOut(re, im, this.chirpCos, this.chirpSin, x, n, scale);
    if (dstStride === 1) dst.set(mem.subarray(at, at + n), dstOffset);
    else for (let k = 0, p = dstOffset; k < n; k++, p += dstStride) dst[p] = mem[at + k]!;
  }
}

/** Below this length the JavaScript kernels are faster (m < 64 has no SIMD FHT anyway). */
export const SIMD_BLUESTEIN_MIN_LENGTH = 64;
