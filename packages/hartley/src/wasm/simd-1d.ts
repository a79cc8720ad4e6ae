import type { RealArray } from '../types';
import { LaneTransform } from './lane-transform';
import type { SimdRuntime } from './runtime';

/** Below this length the JavaScript kernel is as fast (the copies and calls dominate). */
export const SIMD_MIN_LENGTH = 64;

/**
 * 1D DHT of a float32 length n = 4L in WebAssembly SIMD: the four decimated subsequences
 * x[4j + r] are the four lanes of an L-element lane matrix (the input's own memory order), their
 * DHTs run side by side, and one pass combines them (the last two radix-2 stages, across lanes).
 * Arithmetic is float32.
 */
export class Simd1dKernel {
  readonly n: number;
  private readonly lanes: LaneTransform;
  /** cos/sin(2πrj/n) for r = 1, 2, 3, j < L: six tables of L floats (see combine4). */
  private readonly tw: number;

  constructor(private readonly rt: SimdRuntime, n: number) {
    this.n = n;
    const L = n / 4;
    this.lanes = LaneTransform.of(rt, L);
    const tw = new Float32Array(6 * L);
    for (let r = 1; r <= 3; r++) {
      for (let j = 0; j < L; j++) {
        const angle = (2 * Math.PI * ((r * j) % n)) / n;
        tw[2 * (r - 1) * L + j] = Math.cos(angle);
        tw[(2 * r - 1) * L + j] = Math.sin(angle);
      }
    }
    this.tw = rt.storeF32(tw);
  }

  /** Lengths this kernel takes: n ≥ SIMD_MIN_LENGTH, n = 4L with L free of primes > 67. */
  static supports(n: number): boolean {
    return n >= SIMD_MIN_LENGTH && n % 4 === 0 && LaneTransform.supports(n / 4);
  }

  /** Scratch bytes {@link runInMemory} needs (lane matrix and stage scratch). */
  get memoryScratchBytes(): number {
    return this.n * 4 + this.lanes.scratchBytes(4);
  }

  /**
   * scale × DHT of the n floats at byte offset `src` of the module's memory into `dst` (may be
   * `src`), with `scratch` ({@link memoryScratchBytes}) disjoint from both.
   */
  runInMemory(src: number, dst: number, scratch: number, scale: number): void {
    const lane = scratch;
    const rest = lane + this.n * 4;
    this.lanes.gather(src, 4, lane, 4, 4, rest);
    this.lanes.run(lane, 4, rest);
    this.rt.exports.combine4(lane, dst, this.n >> 2, this.tw, scale);
  }

  /** scale × DHT of src[srcOffset + i·srcStride] into dst[dstOffset + k·dstStride] (float32 both). */
  transform(src: Float32Array, srcOffset: number, srcStride: number, dst: Float32Array, dstOffset: number, dstStride: number, scale: number): void {
    const { rt, n } = this;
    const bytes = n * 4;
    const io = rt.scratch(2 * bytes + this.lanes.scratchBytes(4));
    const lane = io + bytes;
    const mem = rt.f32;
    const at = io >> 2;
    if (srcStride === 1) mem.set(src.subarray(srcOffset, srcOffset + n), at);
    else for (let i = 0, p = srcOffset; i < n; i++, p += srcStride) mem[at + i] = src[p]!;
    this.runInMemory(io, io, lane, scale);
    if (dstStride === 1) dst.set(mem.subarray(at, at + n), dstOffset);
    else for (let k = 0, p = dstOffset; k < n; k++, p += dstStride) dst[p] = mem[at + k]!;
  }
}

/** Whether a low-level call can take the float32 SIMD path. */
export function bothFloat32(src: RealArray, dst: RealArray): src is Float32Array {
  return src instanceof Float32Array && dst instanceof Float32Array;
}
