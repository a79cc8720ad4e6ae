/**
 * Bluestein stage of the GPU Hartley transform, shared by the webgl and webgpu kernels
 * (backend-independent: plans and constant tables only).
 *
 * A radix-p pass costs O(p) per element, so a length with a large prime factor p would
 * cost O(N·p) in passes (a prime N: O(N²)). Instead, the product Q of N's large prime
 * factors is done first, as one stage of length-Q DHTs: with R = N/Q, the stage leaves
 * at position j·Q + k the length-Q DHT of x[j + R·m], m = 0..Q−1 — exactly the
 * Stockham invariant of hartley-pass-plan.ts after a pass of outLength Q — and the
 * ordinary passes of the 7-smooth rest N/Q follow with inLength Q.
 *
 * Each length-Q DHT is computed by Bluestein's chirp-z identity in real arithmetic,
 * with w_j = exp(iπj²/Q) (j² taken mod 2Q):
 *
 *     F[k] = conj(w_k)·Σ_j (x_j·conj(w_j))·w_{k−j},      H[k] = Re F[k] − Im F[k]
 *
 * The convolution is cyclic of length M ≥ 2Q−1 (M 7-smooth, so it runs on the same
 * passes). The chirp is even (w_{−j} = w_j), so in the Hartley domain convolving with
 * it is a pointwise product: with a = x·cos, b = −x·sin (zero-padded to M) and
 * B = DHT_M(cos chirp)/M, B' = DHT_M(sin chirp)/M (even extensions, float64, once):
 *
 *     re = DHT_M(DHT_M(a)·B − DHT_M(b)·B'),   im = DHT_M(DHT_M(a)·B' + DHT_M(b)·B)
 *     H[k] = (cos_k + sin_k)·re[k] + (sin_k − cos_k)·im[k]
 *
 * Four transforms of length M per row pair, done as two batched transforms of 2·rows·R
 * rows; programs: chirp-in (strided gather, modulate, zero-pad), the M passes, the
 * pointwise product, the M passes, chirp-out (demodulate into the Stockham layout).
 */
import { createPlan } from '@ssh-peft/hartley';
import { factorRadices, planHartleyPasses, type HartleyPass, type HartleyPassPlan, type HartleyPlanOptions } from './hartley-pass-plan';

/** The Bluestein stage of a {@link GpuDhtPlan}. */
export interface BluesteinStage {
  /** Length Q of the DHTs the stage computes (product of N's prime factors routed here). */
  readonly length: number;
  /** R = N/Q: number of length-Q sub-transforms per row (sub-sequence x[j + R·m]). */
  readonly stride: number;
  /** Length M ≥ 2Q−1 of the cyclic convolution (7-smooth). */
  readonly convLength: number;
  /** Pass schedule of the length-M transforms. */
  readonly convPlan: HartleyPassPlan;
}

/**
 * A GPU DHT schedule: an optional Bluestein stage, then passes whose radices multiply
 * to N/Q (to N without the stage).
 */
export interface GpuDhtPlan extends HartleyPassPlan {
  readonly bluestein: BluesteinStage | null;
}

/** Options of {@link planGpuDht}. */
export interface GpuDhtPlanOptions extends HartleyPlanOptions {
  /**
   * Prime factors of N at least this large go through the Bluestein stage; smaller
   * ones are radix-p passes (O(p) per element). `Infinity` disables the stage.
   */
  readonly bluesteinMinPrime: number;
}

/** Prime factors of `n` in ascending order, with multiplicity. */
export function primeFactors(n: number): number[] {
  const out: number[] = [];
  let rest = n;
  for (let p = 2; p * p <= rest; p++) {
    while (rest % p === 0) {
      out.push(p);
      rest /= p;
    }
  }
  if (rest > 1) out.push(rest);
  return out;
}

/**
 * Estimated cost of one length-m transform with the given radix preference, in
 * element reads: a radix-p pass reads about p values per output element.
 */
export function passCost(m: number, radices: readonly number[]): number {
  return m * factorRadices(m, radices).reduce((a, p) => a + p, 0);
}

/**
 * The convolution length for Q: the 7-smooth M in [2Q−1, 2^⌈log2(2Q−1)⌉] with the
 * lowest {@link passCost} (7-smooth lengths between 2Q−1 and the next power of two are
 * often much shorter than the power of two).
 */
export function bluesteinConvLength(q: number, radices: readonly number[]): number {
  const lo = 2 * q - 1;
  let hi = 1;
  while (hi < lo) hi *= 2;
  let best = hi;
  let bestCost = passCost(hi, radices);
  for (let a = 1; a <= hi; a *= 2) {
    for (let b = a; b <= hi; b *= 3) {
      for (let c = b; c <= hi; c *= 5) {
        for (let d = c; d <= hi; d *= 7) {
          if (d < lo) continue;
          const cost = passCost(d, radices);
          if (cost < bestCost || (cost === bestCost && d < best)) {
            best = d;
            bestCost = cost;
          }
        }
      }
    }
  }
  return best;
}

/**
 * Builds the GPU schedule for length `n`: lengths up to `directMaxLength` or without a
 * prime factor ≥ `bluesteinMinPrime` get {@link planHartleyPasses}'s passes; the others
 * a Bluestein stage of length Q (the product of those primes) followed by the passes of
 * N/Q with inLength Q.
 *
 * @example
 * ```ts
 * const plan = planGpuDht(11008, { directMaxLength: 16, radices: [4, 2, 3, 5, 7], bluesteinMinPrime: 11 });
 * plan.bluestein;                       // { length: 43, stride: 256, convLength: 90, … }
 * plan.passes.map((p) => p.radix);      // [4, 4, 4, 4]
 * ```
 */
export function planGpuDht(n: number, options: GpuDhtPlanOptions): GpuDhtPlan {
  const plain = (): GpuDhtPlan => ({ ...planHartleyPasses(n, options), bluestein: null });
  if (n <= options.directMaxLength) return plain();
  let q = 1;
  for (const p of primeFactors(n)) if (p >= options.bluesteinMinPrime) q *= p;
  if (q === 1) return plain();
  const convLength = bluesteinConvLength(q, options.radices);
  const convPlan = planHartleyPasses(convLength, options);
  const passes: HartleyPass[] = [];
  let inLength = q;
  for (const radix of n === q ? [] : factorRadices(n / q, options.radices)) {
    const outLength = inLength * radix;
    passes.push({ radix, inLength, outLength, stride: n / outLength });
    inLength = outLength;
  }
  return { n, passes, bluestein: { length: q, stride: n / q, convLength, convPlan } };
}

/** Angle πj²/q of the chirp, with j² reduced mod 2q exactly (j < 2^26). */
function chirpAngle(j: number, q: number): number {
  return (Math.PI * ((j * j) % (2 * q))) / q;
}

/** Interleaved [cos πj²/Q, sin πj²/Q], j = 0..Q−1, computed in float64, rounded once. */
export function chirpTable(q: number): Float32Array {
  const table = new Float32Array(2 * q);
  for (let j = 0; j < q; j++) {
    const a = chirpAngle(j, q);
    table[2 * j] = Math.cos(a);
    table[2 * j + 1] = Math.sin(a);
  }
  return table;
}

/**
 * Interleaved [B_k, B'_k], k = 0..M−1: the length-M DHTs of the even extensions of the
 * chirp's cosine and sine, divided by M (the inverse transform's 1/M folded in), in
 * float64 and rounded once.
 */
export function chirpSpectrumTable(q: number, m: number): Float32Array {
  const c = new Float64Array(m);
  const s = new Float64Array(m);
  for (let j = 0; j < q; j++) {
    const a = chirpAngle(j, q);
    c[j] = Math.cos(a);
    s[j] = Math.sin(a);
    if (j > 0) {
      c[m - j] = c[j];
      s[m - j] = s[j];
    }
  }
  const plan = createPlan(m);
  plan.transform(c, 1 / m);
  plan.transform(s, 1 / m);
  const table = new Float32Array(2 * m);
  for (let k = 0; k < m; k++) {
    table[2 * k] = c[k];
    table[2 * k + 1] = s[k];
  }
  return table;
}
