import { normalizationFactor } from './normalization';
import { cachedPlan } from './plan';
import type { DhtOptions, RealArray } from './types';
import { assertNonEmpty, assertRealArray, readNormalization } from './validate';

function transform1d<T extends RealArray>(fn: string, x: T, options: DhtOptions, inverse: boolean): T {
  assertRealArray(fn, 'x', x);
  assertNonEmpty(fn, 'x', x);
  const normalization = readNormalization(fn, options?.normalization);
  const out = (x instanceof Float32Array ? new Float32Array(x.length) : new Float64Array(x.length)) as T;
  cachedPlan(x.length).transformAt(x, 0, out, 0, normalizationFactor(x.length, normalization, inverse ? 'idht' : 'dht'));
  return out;
}

/**
 * Discrete Hartley transform of `x` (any length ≥ 1): H[k] = f·Σ_j x[j]·cas(2πkj/N),
 * cas θ = cos θ + sin θ, with f = 1 (`backward`, default), 1/√N (`ortho`) or 1/N (`forward`).
 * Returns a new array of the same type; computed in float64, O(N log N) for every N.
 * NaN/±Infinity propagate as IEEE 754 arithmetic does (one NaN generally reaches every output).
 *
 * @example
 * ```ts
 * import { dht, idht } from '@ssh-peft/hartley';
 * const H = dht(new Float64Array([1, 2, 3, 4, 5]));
 * const x = idht(H); // ≈ [1, 2, 3, 4, 5]
 * ```
 */
export function dht<T extends RealArray>(x: T, options: DhtOptions = {}): T {
  return transform1d('dht', x, options, false);
}

/**
 * Inverse DHT: the same sum as {@link dht} with the inverse factor of the normalisation
 * (1/N for `backward`, 1/√N for `ortho`, 1 for `forward`), so `idht(dht(x), o) ≈ x`.
 *
 * @example
 * ```ts
 * import { dht, idht } from '@ssh-peft/hartley';
 * const x = new Float32Array([0.5, -1, 2]);
 * idht(dht(x, { normalization: 'ortho' }), { normalization: 'ortho' }); // ≈ x
 * ```
 */
export function idht<T extends RealArray>(X: T, options: DhtOptions = {}): T {
  return transform1d('idht', X, options, true);
}
