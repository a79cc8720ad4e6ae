import type { Normalization } from './types';

/** Which way a transform goes: the DHT or its inverse. */
export type TransformDirection = 'dht' | 'idht';

/**
 * The factor a transform of `size` points carries under a normalisation convention
 * (numpy/scipy naming): `backward` puts 1/size on the inverse, `forward` on the
 * forward transform, `ortho` 1/√size on both. For 2D transforms `size` is rows·cols.
 * Use it to pass the right `scale` to a plan; an unknown `direction` is a `TypeError`.
 *
 * @example
 * ```ts
 * import { createPlan, normalizationFactor } from '@ssh-peft/hartley';
 * const plan = createPlan(768);
 * const buf = new Float32Array(768).fill(1);
 * plan.transform(buf, normalizationFactor(768, 'ortho', 'dht')); // orthonormal DHT in place
 * ```
 */
export function normalizationFactor(size: number, normalization: Normalization, direction: TransformDirection): number {
  if (direction !== 'dht' && direction !== 'idht') throw new TypeError(`normalizationFactor: direction must be 'dht' or 'idht', got ${String(direction)}`);
  const inverse = direction === 'idht';
  if (normalization === 'ortho') return 1 / Math.sqrt(size);
  if (normalization === 'backward') return inverse ? 1 / size : 1;
  return inverse ? 1 : 1 / size;
}
