import fc from 'fast-check';
import type { Normalization, RealArray } from '@ssh-peft/hartley';

/** ‖a − b‖ / ‖b‖ (‖b‖ = 0 → absolute norm of a). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/** The package's accuracy targets: float64 ≤ 1e-12 relative, float32 outputs ≤ 1e-5. */
export function tolerance(x: RealArray): number {
  return x instanceof Float32Array ? 1e-5 : 1e-12;
}

/** H = Re F − Im F from a naive complex DFT — an oracle independent of referenceDht. */
export function dhtViaComplexDft(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      const theta = (-2 * Math.PI * ((k * j) % n)) / n;
      re += x[j]! * Math.cos(theta);
      im += x[j]! * Math.sin(theta);
    }
    out[k] = re - im;
  }
  return out;
}

export const normalizations: Normalization[] = ['backward', 'ortho', 'forward'];
export const arbNormalization = fc.constantFrom<Normalization>('backward', 'ortho', 'forward');
export const arbFloatType = fc.constantFrom<'f32' | 'f64'>('f32', 'f64');

/** Lengths: mostly small random, plus primes, prime powers and mixed products. */
export const arbLength = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 400 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      127, 128, 243, 256, 343, 480, 512, 625, 768, 1000, 1009, 1024, 1155, 1536, 2003, 2048, 2310, 3072, 3125, 4096,
      4099, 4999, 5000, 2 * 43 * 16, 7 * 256, 71 * 3, 73 * 8, 4 * 997,
    ),
  },
);

/** Random real data of length n in [−1, 1) from a seed (fast-check shrinks the seed, not 5000 floats). */
export function randomData(n: number, seed: number, type: 'f32' | 'f64'): RealArray {
  const out = type === 'f32' ? new Float32Array(n) : new Float64Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    // xorshift32: deterministic, cheap, enough for test data
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export function toF64(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x);
}

/** Dense (tokens × inner) · (inner × outer) product in float64. */
export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, tokens: number, inner: number, outer: number): Float64Array {
  const out = new Float64Array(tokens * outer);
  for (let t = 0; t < tokens; t++) {
    for (let i = 0; i < inner; i++) {
      const av = a[t * inner + i]!;
      for (let j = 0; j < outer; j++) out[t * outer + j] += av * b[i * outer + j]!;
    }
  }
  return out;
}

export function transpose(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c]!;
  return out;
}
