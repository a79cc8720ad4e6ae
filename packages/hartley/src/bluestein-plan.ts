import { nextPowerOfTwo } from './factorize';
import { RadixKernel } from './radix-plan';
import type { RealArray } from './types';

/**
 * DHT of any length n through Bluestein's chirp-z identity, with the convolution done
 * by power-of-two fast Hartley transforms (no complex FFT).
 *
 * With w_j = exp(iπj²/n): F[k] = conj(w_k)·Σ_j (x_j·conj(w_j))·w_{k−j}, and H = Re F − Im F.
 * The chirp w is even (w_{−j} = w_j), so in the Hartley domain the cyclic convolution
 * with it is a pointwise product (DHT convolution theorem with an even factor):
 * Cre = Are·Bre − Aim·Bim, Cim = Are·Bim + Aim·Bre. Four FHTs of size m ≥ 2n−1 in all,
 * two of which (the chirp's) are precomputed.
 */
export class BluesteinKernel {
  readonly n: number;
  private readonly m: number;
  private readonly fht: RadixKernel;
  private readonly chirpCos: Float64Array;
  private readonly chirpSin: Float64Array;
  /** DHT of the chirp's real/imaginary parts, pre-divided by m (the inverse FHT's 1/m). */
  private readonly specCos: Float64Array;
  private readonly specSin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(n: number) {
    this.n = n;
    const t = bluesteinTables(n);
    this.m = t.m;
    this.fht = t.fht;
    this.chirpCos = t.chirpCos;
    this.chirpSin = t.chirpSin;
    this.specCos = t.specCos;
    this.specSin = t.specSin;
    this.re = new Float64Array(t.m);
    this.im = new Float64Array(t.m);
  }

  /**
   * scale × DHT of the n elements src[srcOffset + i·srcStride], written to
   * dst[dstOffset + k·dstStride]. dst may alias src: the input is fully read first.
   */
  transform(src: RealArray, srcOffset: number, srcStride: number, dst: RealArray, dstOffset: number, dstStride: number, scale: number): void {
    const { n, m, re, im, chirpCos, chirpSin, specCos, specSin } = this;
    for (let j = 0; j < n; j++) {
      const x = src[srcOffset + j * srcStride]!;
      re[j] = x * chirpCos[j]!;
      im[j] = -x * chirpSin[j]!;
    }
    re.fill(0, n);
    im.fill(0, n);
    const fht = this.fht;
    fht.transform(re, 0, 1, re, 0, 1, 1);
    fht.transform(im, 0, 1, im, 0, 1, 1);
    for (let k = 0; k < m; k++) {
      const ar = re[k]!;
      const ai = im[k]!;
      const br = specCos[k]!;
      const bi = specSin[k]!;
      re[k] = ar * br - ai * bi;
      im[k] = ar * bi + ai * br;
    }
    fht.transform(re, 0, 1, re, 0, 1, 1);
    fht.transform(im, 0, 1, im, 0, 1, 1);
    for (let k = 0; k < n; k++) {
      const c = chirpCos[k]!;
      const s = chirpSin[k]!;
      const xr = re[k]!;
      const xi = im[k]!;
      // F = (c − i s)(xr + i xi); H = Re F − Im F.
      dst[dstOffset + k * dstStride] = (c * xr + s * xi - (c * xi - s * xr)) * scale;
    }
  }
}

/** The float64 tables of a Bluestein transform of length n (shared with the float32 SIMD kernel). */
export interface BluesteinTables {
  /** Convolution length: the power of two ≥ 2n − 1. */
  readonly m: number;
  /** A radix FHT of length m (used to build the tables; reused by the JavaScript kernel). */
  readonly fht: RadixKernel;
  /** cos/sin(π·j²/n), j < n. */
  readonly chirpCos: Float64Array;
  readonly chirpSin: Float64Array;
  /** DHT of the chirp's real/imaginary parts (length m, wrapped), pre-divided by m. */
  readonly specCos: Float64Array;
  readonly specSin: Float64Array;
}

export function bluesteinTables(n: number): BluesteinTables {
  const m = nextPowerOfTwo(2 * n - 1);
  const fht = new RadixKernel(m);
  const chirpCos = new Float64Array(n);
  const chirpSin = new Float64Array(n);
  const twoN = 2 * n;
  for (let j = 0; j < n; j++) {
    // j² mod 2n in exact integer arithmetic (j < 2^26 keeps j² < 2^53).
    const angle = (Math.PI * ((j * j) % twoN)) / n;
    chirpCos[j] = Math.cos(angle);
    chirpSin[j] = Math.sin(angle);
  }
  const bc = new Float64Array(m);
  const bs = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    bc[j] = chirpCos[j]!;
    bs[j] = chirpSin[j]!;
    if (j > 0) {
      bc[m - j] = chirpCos[j]!;
      bs[m - j] = chirpSin[j]!;
    }
  }
  const specCos = Float64Array.from(fht.run(bc, 0), (v) => v / m);
  const specSin = Float64Array.from(fht.run(bs, 0), (v) => v / m);
  return { m, fht, chirpCos, chirpSin, specCos, specSin };
}
