import { baseInPlace, baseSize, gatherBase, type GatherGeometry } from './base-dht';
import { digitReversal, factorize } from './factorize';
import { radix2Tables, radix4Stage, radix4StageKOuter, radix4StageOut, type Radix2Tables } from './radix2-fht';

/**
 * Up to this length the work buffer stays in L1/L2: radix-4 stages run k-outer and radix-8
 * stages (three radix-2 stages per pass) beat radix-4 by ~10%. Beyond it radix-8's sixteen
 * concurrent streams lose to radix-4's eight (measured 10–17% slower at 2^14–2^17).
 */
const SMALL_LENGTH = 8192;
import { OddRadixStage } from './odd-radix-stage';
import { radix8Stage, radix8StageOut } from './radix8-fht';
import type { RealArray } from './types';

function bitReverse(value: number, bits: number): number {
  let r = 0;
  for (let i = 0; i < bits; i++) r = (r << 1) | ((value >> i) & 1);
  return r;
}

/**
 * DHT of a length whose prime factors are all small (n = 2^m · odd radices): gather in
 * digit-reversed order fused with an 8- or 16-point base DHT, fused pairs of radix-2 FHT
 * stages up to the power-of-two block size 2^m, then one mixed-radix stage per odd prime.
 * All arithmetic in one preallocated float64 work buffer.
 */
export class RadixKernel {
  readonly n: number;
  private readonly blockSize: number;
  private readonly log2Block: number;
  /** Radix-8 power-of-two stages (small lengths) or radix-4 only. */
  private readonly radix8: boolean;
  private readonly base: 8 | 16;
  /** Full digit-reversal table, kept only for blocks too small for the tiled gather. */
  private readonly perm: Uint32Array | null;
  private readonly geometry: GatherGeometry | null;
  private readonly tables: Radix2Tables;
  private readonly oddStages: OddRadixStage[];
  readonly work: Float64Array;

  constructor(n: number) {
    this.n = n;
    const f = factorize(n);
    const m = f.log2Pow2;
    this.log2Block = m;
    this.blockSize = 2 ** m;
    const perm = digitReversal(f);
    this.radix8 = n <= SMALL_LENGTH;
    this.base = baseSize(m, this.radix8);
    const tiled = m >= 6 && m >= 2 * Math.log2(this.base);
    if (tiled) {
      const blocks = n / this.blockSize;
      const blockOffset = new Uint32Array(blocks);
      for (let b = 0; b < blocks; b++) blockOffset[b] = perm[b * this.blockSize]!;
      const midBits = m - 2 * Math.log2(this.base);
      const midRev = new Uint32Array(1 << midBits);
      for (let i = 0; i < midRev.length; i++) midRev[i] = bitReverse(i, midBits);
      this.geometry = { log2Block: m, base: this.base, stride: blocks, blockOffset, midRev };
      this.perm = null;
    } else {
      this.geometry = null;
      this.perm = perm;
    }
    this.tables = radix2Tables(this.blockSize);
    this.oddStages = [];
    let len = this.blockSize;
    for (const radix of f.oddPrimes) {
      this.oddStages.push(new OddRadixStage(len, radix));
      len *= radix;
    }
    this.work = new Float64Array(n);
  }

  /** Unnormalised DHT of src[srcOffset .. +n) into this.work (returned). */
  run(src: RealArray, srcOffset: number): Float64Array {
    this.forward(src, srcOffset, 1, null, 0, 1, 1);
    return this.work;
  }

  /**
   * scale × DHT of the n elements src[srcOffset + i·srcStride], written to
   * dst[dstOffset + k·dstStride]. dst may alias src: the input is fully read first.
   */
  transform(src: RealArray, srcOffset: number, srcStride: number, dst: RealArray, dstOffset: number, dstStride: number, scale: number): void {
    if (!this.forward(src, srcOffset, srcStride, dst, dstOffset, dstStride, scale)) {
      const a = this.work;
      const n = this.n;
      for (let k = 0, o = dstOffset; k < n; k++, o += dstStride) dst[o] = a[k]! * scale;
    }
  }

  /**
   * Runs the transform; when `dst` is given and the last stage is a radix-4 FHT stage, that
   * stage writes the scaled result straight to dst. Returns whether dst was written.
   */
  private forward(
    src: RealArray,
    srcOffset: number,
    srcStride: number,
    dst: RealArray | null,
    dstOffset: number,
    dstStride: number,
    scale: number,
  ): boolean {
    const n = this.n;
    const a = this.work;
    const m = this.log2Block;
    const fuseOut = dst !== null && this.oddStages.length === 0;
    if (this.geometry !== null) {
      gatherBase(this.geometry, src, srcOffset, srcStride, a);
      if (this.powerStages(a, this.base, fuseOut ? dst : null, dstOffset, dstStride, scale)) return true;
    } else {
      const perm = this.perm!;
      for (let i = 0; i < n; i++) a[i] = src[srcOffset + perm[i]! * srcStride]!;
      if (m >= 3) {
        const base = this.base;
        baseInPlace(a, n, base);
        if (this.powerStages(a, base, fuseOut ? dst : null, dstOffset, dstStride, scale)) return true;
      } else if (m === 2) {
        for (let i = 0; i < n; i += 4) {
          const s0 = a[i]! + a[i + 1]!;
          const d0 = a[i]! - a[i + 1]!;
          const s1 = a[i + 2]! + a[i + 3]!;
          const d1 = a[i + 2]! - a[i + 3]!;
          a[i] = s0 + s1;
          a[i + 1] = d0 + d1;
          a[i + 2] = s0 - s1;
          a[i + 3] = d0 - d1;
        }
      } else if (m === 1) {
        for (let i = 0; i < n; i += 2) {
          const x0 = a[i]!;
          const x1 = a[i + 1]!;
          a[i] = x0 + x1;
          a[i + 1] = x0 - x1;
        }
      }
    }
    for (const stage of this.oddStages) stage.apply(a, n);
    return false;
  }

  /**
   * FHT stages from blocks of `base` up to the power-of-two block size: radix-4 stages, or for
   * small lengths one radix-4 stage if the stage count is ≡ 2 (mod 3) and then radix-8 stages.
   * With `out`, the last stage writes the scaled result there and true is returned.
   */
  private powerStages(a: Float64Array, base: number, out: RealArray | null, outOffset: number, outStride: number, scale: number): boolean {
    const n = this.n;
    const M = this.blockSize;
    const tables = this.tables;
    let h = base;
    if (!this.radix8) {
      for (; h < M; h *= 4) {
        if (4 * h === M && out !== null) {
          radix4StageOut(a, n, h, tables, out, outOffset, outStride, scale);
          return true;
        }
        radix4Stage(a, n, h, tables);
      }
      return false;
    }
    if ((this.log2Block - Math.log2(base)) % 3 === 2) {
      if (4 * h === M && out !== null) {
        radix4StageOut(a, n, h, tables, out, outOffset, outStride, scale);
        return true;
      }
      // Radix-8 plans are the small ones (n ≤ SMALL_LENGTH), where the k-outer loop order wins.
      radix4StageKOuter(a, n, h, tables);
      h *= 4;
    }
    for (; h < M; h *= 8) {
      if (8 * h === M && out !== null) {
        radix8StageOut(a, n, h, tables, out, outOffset, outStride, scale);
        return true;
      }
      radix8Stage(a, n, h, tables);
    }
    return false;
  }
}
