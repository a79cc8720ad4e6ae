import FFT from 'fft.js';
import { referenceDht, type RealArray } from '@ssh-peft/hartley';

/**
 * fft.js's DHT: realTransform (which fills spectrum bins 0..N/2) combined into
 * H[k] = Re F[k] − Im F[k] and, by conjugate symmetry, H[N−k] = Re F[k] + Im F[k].
 * Given typed-array buffers, its fastest configuration.
 */
export class FftJsDht {
  readonly n: number;
  private readonly fft: FFT;
  private readonly spectrum: Float64Array;

  constructor(n: number) {
    this.n = n;
    this.fft = new FFT(n);
    this.spectrum = new Float64Array(2 * n);
  }

  /** DHT of src[srcOffset..+n) into dst[dstOffset..+n). */
  transform(src: RealArray, srcOffset: number, dst: RealArray, dstOffset: number): void {
    const n = this.n;
    const input = srcOffset === 0 && src.length === n ? src : src.subarray(srcOffset, srcOffset + n);
    const f = this.spectrum;
    this.fft.realTransform(f as unknown as number[], input as unknown as number[]);
    dst[dstOffset] = f[0]! - f[1]!;
    for (let k = 1, half = n >> 1; k <= half; k++) {
      const re = f[2 * k]!;
      const im = f[2 * k + 1]!;
      dst[dstOffset + k] = re - im;
      dst[dstOffset + n - k] = re + im;
    }
  }
}

/** The fft.js 2D column of the benchmark table: its 1D DHT over rows, a transpose, rows again. */
export function fftJs2d(data: RealArray, rows: number, cols: number, rowFft: FftJsDht, colFft: FftJsDht, tmp: RealArray, out: RealArray): void {
  for (let r = 0; r < rows; r++) rowFft.transform(data, r * cols, tmp, r * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = tmp[r * cols + c]!;
  for (let c = 0; c < cols; c++) colFft.transform(out, c * rows, tmp, c * rows);
}

export function naiveDht(x: RealArray): number {
  return referenceDht(x)[0]!;
}
