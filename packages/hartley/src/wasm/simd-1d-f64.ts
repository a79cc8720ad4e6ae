import { LaneTransform } from './lane-transform';
import type { SimdRuntime } from './runtime';

/**
 * Float64 lengths whose transform runs in WebAssembly SIMD (f64x2): n = 2L with L free of primes
 * > 67, between these bounds. Measured against the JavaScript float64 kernel (CPU time per call,
 * same rounds): 0.43–0.66× from n = 80 on (80, 96, 160, 768, 1536, 11008, 14336; powers of two
 * 128 … 2^22: 0.43–0.83×), but 1.15–1.6× at n = 64 and 1.2–6× below, where the copy into the
 * module's memory and the calls cost more than the transform. Above 2^22 it is not measured (and
 * the module's memory would grow by 16·n bytes), so the JavaScript kernel stays.
 */
export const F64_SIMD_MIN_LENGTH = 80;
export const F64_SIMD_MAX_LENGTH = 2 ** 22;

/**
 * 1D DHT of a float64 length n = 2L (L with odd prime factors ≤ 67) in WebAssembly SIMD (float64
 * arithmetic): the two decimated subsequences x[2j + r] are the two f64 lanes of an L-element
 * lane matrix (the input's own memory order, 16 bytes per element like the float32 kernel's four
 * lanes), their L-point DHTs (FHT stages, then the odd-radix stages) run side by side in f64x2,
 * and one pass combines them (the last radix-2 stage).
 */
export class Simd1dKernel64 {
  readonly n: number;
  private readonly lanes: LaneTransform;
  /** cos/sin(2πk/n), k < L (float64). */
  private readonly twc: number;
  private readonly tws: number;

  constructor(private readonly rt: SimdRuntime, n: number) {
    this.n = n;
    const L = n / 2;
    this.lanes = LaneTransform.of(rt, L, 'f64');
    const cc = new Float64Array(L);
    const ss = new Float64Array(L);
    for (let k = 0; k < L; k++) {
      cc[k] = Math.cos((2 * Math.PI * k) / n);
      ss[k] = Math.sin((2 * Math.PI * k) / n);
    }
    this.twc = rt.storeF64(cc);
    this.tws = rt.storeF64(ss);
  }

  private static readonly cache = new WeakMap<SimdRuntime, Map<number, Simd1dKernel64>>();

  /**
   * The kernel of length n of runtime rt, built once: its tables live in the module's memory for
   * the life of the realm, so plans of the same length share them.
   */
  static of(rt: SimdRuntime, n: number): Simd1dKernel64 {
    let byLength = Simd1dKernel64.cache.get(rt);
    if (byLength === undefined) Simd1dKernel64.cache.set(rt, (byLength = new Map()));
    let kernel = byLength.get(n);
    if (kernel === undefined) byLength.set(n, (kernel = new Simd1dKernel64(rt, n)));
    return kernel;
  }

  /** Lengths this kernel takes: n = 2L in [F64_SIMD_MIN_LENGTH, F64_SIMD_MAX_LENGTH], L free of primes > 67. */
  static supports(n: number): boolean {
    return n >= F64_SIMD_MIN_LENGTH && n <= F64_SIMD_MAX_LENGTH && n % 2 === 0 && LaneTransform.supports(n / 2);
  }

  /** scale × DHT of src[srcOffset + i·srcStride] into dst[dstOffset + k·dstStride] (float64 both). */
  transform(src: Float64Array, srcOffset: number, srcStride: number, dst: Float64Array, dstOffset: number, dstStride: number, scale: number): void {
    const { rt, n } = this;
    const L = n >> 1;
    const bytes = n * 8;
    const io = rt.scratch(2 * bytes + this.lanes.scratchBytes(2));
    const lane = io + bytes;
    const mem = rt.f64;
    const at = io >> 3;
    if (srcStride === 1) mem.set(src.subarray(srcOffset, srcOffset + n), at);
    else for (let i = 0, p = srcOffset; i < n; i++, p += srcStride) mem[at + i] = src[p]!;
    this.lanes.gather(io, 2, lane, 2, 2, lane + bytes);
    this.lanes.run(lane, 2, lane + bytes);
    rt.exports.combine2(lane, io, L, this.twc, this.tws, scale);
    if (dstStride === 1) dst.set(mem.subarray(at, at + n), dstOffset);
    else for (let k = 0, p = dstOffset; k < n; k++, p += dstStride) dst[p] = mem[at + k]!;
  }
}
