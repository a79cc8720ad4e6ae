/**
 * @packageDocumentation
 * `@ssh-peft/hartley` — the Discrete Hartley Transform (DHT) for any length, 1D and 2D,
 * reusable plans, and the sparse-spectrum operations of SSH, with zero runtime dependencies.
 *
 * Power-of-two lengths use a radix-2 fast Hartley transform (real arithmetic only);
 * lengths with small odd prime factors add mixed-radix stages; lengths with a large prime
 * factor use Bluestein's algorithm with FHT-based convolution. Everything is O(N log N).
 */
export type {
  RealArray,
  Normalization,
  Variant2D,
  DhtOptions,
  Dht2dOptions,
  HartleyPlan,
  PlanOptions,
  SparseSpectrumOptions,
} from './types';
export { HartleyRangeError, HartleyTypeError } from './errors';
export { referenceDht, referenceDht2d } from './reference';
export { createPlan, MAX_DIRECT_RADIX } from './plan';
export { dht, idht } from './transform1d';
export { dht2d, idht2d } from './transform2d';
export { sparseIdht2d, sparseSpectrumProduct, sparseSpectrumGradient, type SparseProductOptions } from './sparse';
export { normalizationFactor, type TransformDirection } from './normalization';
export { createPlan2d, type HartleyPlan2D } from './plan2d';
export { simdAvailable, loadSimd, setSimdEnabled } from './wasm/runtime';
