/**
 * Backend-independent schedule of the GPU Hartley transform, shared by the webgl and
 * webgpu kernels (it imports nothing from either backend).
 *
 * The transform is a decimation-in-time mixed-radix DHT in Stockham order: natural
 * order in, natural order out, one GPU program per pass, ping-pong buffers. After pass
 * s (radix p = radices[s], sub-transform length L = p·Lp, residue count R = N/L), the
 * buffer holds, at position j·L + k, the length-L DHT of the sub-sequence
 * x[j + R·m], m = 0..L−1. With A the previous buffer (sub-transforms of length Lp) the
 * pass computes, from cas(a+b) = cos b·cas a + sin b·cas(−a):
 *
 *     out[j·L + k] = Σ_{r<p} cos(2πkr/L)·A[(j+R·r)·Lp + k mod Lp]
 *                          + sin(2πkr/L)·A[(j+R·r)·Lp + (−k) mod Lp]
 *
 * Every output element depends only on reads of the previous buffer, so a pass is a
 * pure gather (one fragment or thread per output, or one thread per p outputs that
 * share the same 2p reads). A radix-p pass costs O(p) per element, so lengths whose
 * factors are small cost O(N log N); a radix-p pass for a large prime p would cost
 * O(N·p) (a prime length: the direct O(N²) transform), so the kernels send prime factors
 * from 11 up through the Bluestein stage of bluestein-stage.ts instead. The direct pass
 * remains what the plan uses on purpose for short lengths (one pass beats several there).
 */

/** One pass of the schedule. */
export interface HartleyPass {
  /** Radix p of the pass (number of sub-transforms combined). */
  readonly radix: number;
  /** Length Lp of the sub-transforms read by the pass. */
  readonly inLength: number;
  /** Length L = p·Lp of the sub-transforms written by the pass. */
  readonly outLength: number;
  /** Number R = N/L of sub-transforms of length L after the pass (= residue stride). */
  readonly stride: number;
}

/** The full schedule for one transform length. */
export interface HartleyPassPlan {
  /** Transform length N. */
  readonly n: number;
  /** Passes in execution order; the product of their radices is N (one copy-and-scale pass when N = 1). */
  readonly passes: readonly HartleyPass[];
}

/** Options of {@link planHartleyPasses}. */
export interface HartleyPlanOptions {
  /**
   * Lengths up to this value use a single direct pass (radix N). Measured per backend
   * (bench/browser): several passes cost more than one O(N²) pass for short rows.
   */
  readonly directMaxLength: number;
  /**
   * Radices tried in order while they divide the remaining length (composite ones
   * first, e.g. [4, 2, 3, 5, 7]); the leftover is split into its prime factors.
   */
  readonly radices: readonly number[];
}

/**
 * Splits `n` into pass radices: every radix of `preferred` as often as it divides,
 * in order, then the prime factors of what is left (ascending).
 */
export function factorRadices(n: number, preferred: readonly number[]): number[] {
  const out: number[] = [];
  let rest = n;
  for (const radix of preferred) {
    if (radix < 2) continue;
    while (rest % radix === 0) {
      out.push(radix);
      rest /= radix;
    }
  }
  for (let p = 2; p * p <= rest; p++) {
    while (rest % p === 0) {
      out.push(p);
      rest /= p;
    }
  }
  if (rest > 1) out.push(rest);
  return out;
}

/** Builds the pass schedule for length `n` (a positive integer; the kernel validates it). */
export function planHartleyPasses(n: number, options: HartleyPlanOptions): HartleyPassPlan {
  const radices = n === 1 ? [1] : n <= options.directMaxLength ? [n] : factorRadices(n, options.radices);
  const passes: HartleyPass[] = [];
  let inLength = 1;
  for (const radix of radices) {
    const outLength = inLength * radix;
    passes.push({ radix, inLength, outLength, stride: n / outLength });
    inLength = outLength;
  }
  return { n, passes };
}

/**
 * Interleaved table [cos 0, sin 0, cos θ, sin θ, …] with θ = 2πm/N, m = 0..N−1,
 * computed in float64 and rounded once to float32. Passes read entry m·R for the
 * angle 2πm/L, so one table per length serves every pass. Exact zeros and ±1 at the
 * quarter turns keep power-of-two transforms of integers exact.
 */
export function twiddleTable(n: number): Float32Array {
  const table = new Float32Array(2 * n);
  for (let m = 0; m < n; m++) {
    // Reduce the angle to the first octant-friendly range by exact integer steps so
    // quarter turns come out as exact 0/±1 rather than 6e-17.
    const fourM = 4 * m;
    if (fourM % n === 0) {
      const quarter = fourM / n; // 0,1,2,3
      table[2 * m] = quarter === 0 ? 1 : quarter === 2 ? -1 : 0;
      table[2 * m + 1] = quarter === 1 ? 1 : quarter === 3 ? -1 : 0;
    } else {
      const angle = (2 * Math.PI * m) / n;
      table[2 * m] = Math.cos(angle);
      table[2 * m + 1] = Math.sin(angle);
    }
  }
  return table;
}
