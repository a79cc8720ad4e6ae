/**
 * @packageDocumentation
 * `@ssh-peft/hartley` — the Discrete Hartley Transform (DHT) for any length,
 * 1D and 2D, with zero runtime dependencies.
 *
 * INTERIM: the public API below is fixed; the implementations are the naive
 * reference until the fast transforms land (issue 2).
 */
export type { RealArray, Normalization, Variant2D, DhtOptions, Dht2dOptions } from './types';
export { referenceDht, referenceDht2d } from './reference';
import type { RealArray, DhtOptions, Dht2dOptions, Normalization } from './types';
import { referenceDht, referenceDht2d, like } from './reference';

function scaleFor(n: number, normalization: Normalization, inverse: boolean): number {
  if (normalization === 'ortho') return 1 / Math.sqrt(n);
  if (normalization === 'backward') return inverse ? 1 / n : 1;
  return inverse ? 1 : 1 / n;
}

export function dht<T extends RealArray>(x: T, options: DhtOptions = {}): T {
  const s = scaleFor(x.length, options.normalization ?? 'backward', false);
  const h = referenceDht(x);
  for (let i = 0; i < h.length; i++) h[i] *= s;
  return like(x, h);
}

export function idht<T extends RealArray>(x: T, options: DhtOptions = {}): T {
  const s = scaleFor(x.length, options.normalization ?? 'backward', true);
  const h = referenceDht(x);
  for (let i = 0; i < h.length; i++) h[i] *= s;
  return like(x, h);
}

export function dht2d<T extends RealArray>(data: T, rows: number, cols: number, options: Dht2dOptions = {}): T {
  const s = scaleFor(rows * cols, options.normalization ?? 'backward', false);
  const h = referenceDht2d(data, rows, cols, options.variant ?? 'separable');
  for (let i = 0; i < h.length; i++) h[i] *= s;
  return like(data, h);
}

export function idht2d<T extends RealArray>(data: T, rows: number, cols: number, options: Dht2dOptions = {}): T {
  const s = scaleFor(rows * cols, options.normalization ?? 'backward', true);
  const h = referenceDht2d(data, rows, cols, options.variant ?? 'separable');
  for (let i = 0; i < h.length; i++) h[i] *= s;
  return like(data, h);
}
