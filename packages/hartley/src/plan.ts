import { BluesteinKernel } from './bluestein-plan';
import { factorize, nextPowerOfTwo } from './factorize';
import { RadixKernel } from './radix-plan';
import type { HartleyPlan, PlanOptions, RealArray } from './types';
import { assertRealArray, assertSize, describe, readScale } from './validate';
import { HartleyRangeError, HartleyTypeError } from './errors';
import { onSimdSwitch, simdRuntime } from './wasm/runtime';
import { bothFloat32, Simd1dKernel } from './wasm/simd-1d';
import { Simd1dKernel64 } from './wasm/simd-1d-f64';
import { SimdBluesteinKernel } from './wasm/simd-bluestein';
import type { SimdRuntime } from './wasm/runtime';

/**
 * Largest prime factor handled by a mixed-radix stage. A radix-R stage costs about
 * R/4 multiply-adds per element, a Bluestein transform about 4 FHTs of ≥ 2n points:
 * beyond this radix Bluestein is cheaper (and keeps every length O(n log n)).
 */
export const MAX_DIRECT_RADIX = 67;

interface Kernel {
  transform(src: RealArray, srcOffset: number, srcStride: number, dst: RealArray, dstOffset: number, dstStride: number, scale: number): void;
}

class Plan implements HartleyPlan {
  readonly n: number;
  readonly algorithm: 'radix' | 'bluestein';
  readonly backend: 'simd' | 'js';
  private readonly kernel: Kernel;
  /** The float32 WebAssembly SIMD kernel, when the runtime has one for this length. */
  private readonly simd: Simd1dKernel | SimdBluesteinKernel | null;
  /**
   * The runtime of the float64 WebAssembly SIMD kernel (f64x2) when this length has one (the
   * smooth lengths where it is faster); the kernel and its tables are built on the first
   * float64 call, so plans only ever used for float32 data do not hold them.
   */
  private readonly simd64Runtime: SimdRuntime | null;
  private simd64: Simd1dKernel64 | null = null;

  constructor(n: number, algorithm: 'radix' | 'bluestein', backend: 'auto' | 'simd' | 'js') {
    this.n = n;
    this.algorithm = algorithm;
    this.kernel = algorithm === 'radix' ? new RadixKernel(n) : new BluesteinKernel(n);
    const rt = backend === 'js' ? null : simdRuntime();
    if (backend === 'simd' && (rt === null || !SimdBluesteinKernel.supports(n))) {
      throw new HartleyTypeError(
        rt === null
          ? `createPlan: backend 'simd' requested but WebAssembly SIMD is unavailable (or switched off by setSimdEnabled(false))`
          : `createPlan: backend 'simd' needs n ≥ 64, got n = ${n}`,
      );
    }
    this.simd = rt === null ? null : float32SimdKernel(rt, n, algorithm, backend === 'simd');
    this.simd64Runtime = rt !== null && algorithm === 'radix' && Simd1dKernel64.supports(n) ? rt : null;
    this.backend = this.simd === null && this.simd64Runtime === null ? 'js' : 'simd';
  }

  transformAt(src: RealArray, srcOffset: number, dst: RealArray, dstOffset: number, scale: number): void {
    this.transformStrided(src, srcOffset, 1, dst, dstOffset, 1, scale);
  }

  transformStrided(src: RealArray, srcOffset: number, srcStride: number, dst: RealArray, dstOffset: number, dstStride: number, scale: number): void {
    if (this.simd !== null && bothFloat32(src, dst)) this.simd.transform(src, srcOffset, srcStride, dst as Float32Array, dstOffset, dstStride, scale);
    else if (this.simd64Runtime !== null && src instanceof Float64Array && dst instanceof Float64Array) {
      this.simd64 ??= Simd1dKernel64.of(this.simd64Runtime, this.n);
      this.simd64.transform(src, srcOffset, srcStride, dst, dstOffset, dstStride, scale);
    }
    else this.kernel.transform(src, srcOffset, srcStride, dst, dstOffset, dstStride, scale);
  }

  transform(buf: RealArray, scale?: number): void {
    assertRealArray('HartleyPlan.transform', 'buf', buf);
    if (buf.length !== this.n) {
      throw new HartleyRangeError(`HartleyPlan.transform: buf.length (${buf.length}) ≠ plan length n (${this.n})`);
    }
    this.transformAt(buf, 0, buf, 0, readScale('HartleyPlan.transform', 'scale', scale));
  }

  transformRows(buf: RealArray, rows: number, scale?: number): void {
    assertRealArray('HartleyPlan.transformRows', 'buf', buf);
    assertSize('HartleyPlan.transformRows', 'rows', rows, 0);
    if (rows * this.n !== buf.length) {
      throw new HartleyRangeError(
        `HartleyPlan.transformRows: rows·n (${rows}·${this.n} = ${rows * this.n}) ≠ buf.length (${buf.length})`,
      );
    }
    const s = readScale('HartleyPlan.transformRows', 'scale', scale);
    const n = this.n;
    for (let r = 0, off = 0; r < rows; r++, off += n) this.transformAt(buf, off, buf, off, s);
  }
}

/**
 * Smooth lengths the SIMD radix kernel cannot take (n not a multiple of 4) go to SIMD Bluestein
 * only while its convolution length m stays within this multiple of n: measured 0.7–0.8× the
 * JavaScript radix kernel at m = 2n (255, 4095), 1.3–1.7× at m ≥ 2.6n (99, 1155, 65).
 */
const SMOOTH_BLUESTEIN_MAX_PADDING = 2.5;

/**
 * The float32 SIMD kernel of length n: the radix kernel (n = 4·L, L's prime factors ≤ 67)
 * unless Bluestein is forced; else SIMD Bluestein for n ≥ 64 — 3.5–5× faster than the
 * JavaScript Bluestein kernel (4099, 8191, 16385, 40961), and for smooth lengths as bounded by
 * {@link SMOOTH_BLUESTEIN_MAX_PADDING} (or whenever `required`: backend 'simd'); null (the
 * JavaScript kernels) otherwise.
 */
function float32SimdKernel(rt: SimdRuntime, n: number, algorithm: 'radix' | 'bluestein', required: boolean): Simd1dKernel | SimdBluesteinKernel | null {
  if (algorithm === 'radix' && Simd1dKernel.supports(n)) return new Simd1dKernel(rt, n);
  if (!SimdBluesteinKernel.supports(n)) return null;
  if (!required && algorithm === 'radix' && nextPowerOfTwo(2 * n - 1) > SMOOTH_BLUESTEIN_MAX_PADDING * n) return null;
  return new SimdBluesteinKernel(rt, n);
}

function chooseAlgorithm(n: number, requested: PlanOptions['algorithm']): 'radix' | 'bluestein' {
  if (requested === 'radix' || requested === 'bluestein') return requested;
  if (requested !== undefined && requested !== 'auto') {
    throw new HartleyTypeError(`createPlan: options.algorithm must be 'auto' | 'radix' | 'bluestein', got ${describe(requested)}`);
  }
  const { oddPrimes } = factorize(n);
  const largest = oddPrimes.length ? oddPrimes[oddPrimes.length - 1]! : 2;
  return largest <= MAX_DIRECT_RADIX ? 'radix' : 'bluestein';
}

/** Bluestein squares indices: j² must stay exact in float64. */
const MAX_LENGTH = 2 ** 26;

/**
 * Creates a reusable DHT plan for length `n` (any integer 1 ≤ n ≤ 2^26). Costs
 * O(n) memory and time once; each transform is O(n log n) with no allocation.
 *
 * @example
 * ```ts
 * import { createPlan } from '@ssh-peft/hartley';
 * const plan = createPlan(768);
 * const acts = new Float32Array(4 * 768).map(() => Math.random());
 * plan.transformRows(acts, 4);          // DHT of each of the 4 rows, in place
 * plan.transformRows(acts, 4, 1 / 768); // and back: the DHT is its own inverse up to 1/n
 * ```
 */
export function createPlan(n: number, options: PlanOptions = {}): HartleyPlan {
  assertSize('createPlan', 'n', n);
  if (n > MAX_LENGTH) throw new HartleyRangeError(`createPlan: n must be ≤ 2^26 (${MAX_LENGTH}), got ${n}`);
  const backend = options.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'simd' && backend !== 'js') {
    throw new HartleyTypeError(`createPlan: options.backend must be 'auto' | 'simd' | 'js', got ${describe(backend)}`);
  }
  return new Plan(n, chooseAlgorithm(n, options.algorithm), backend);
}

const CACHE_CAPACITY = 16;
const cache = new Map<number, HartleyPlan>();
onSimdSwitch(() => cache.clear());

/** A plan for length n from a small LRU cache (the functional API's plans). */
export function cachedPlan(n: number): HartleyPlan {
  const hit = cache.get(n);
  if (hit) {
    cache.delete(n);
    cache.set(n, hit);
    return hit;
  }
  const plan = createPlan(n);
  cache.set(n, plan);
  if (cache.size > CACHE_CAPACITY) cache.delete(cache.keys().next().value!);
  return plan;
}
