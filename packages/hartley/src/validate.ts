import { HartleyRangeError, HartleyTypeError } from './errors';
import type { Normalization, RealArray, Variant2D } from './types';

/** Describes a value for an error message without dumping large arrays. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length ?? '?'})`;
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return String(value);
}

export function isRealArray(x: unknown): x is RealArray {
  return x instanceof Float64Array || x instanceof Float32Array;
}

export function assertRealArray(fn: string, arg: string, x: unknown): asserts x is RealArray {
  if (!isRealArray(x)) {
    throw new HartleyTypeError(`${fn}: ${arg} must be a Float32Array or Float64Array, got ${describe(x)}`);
  }
}

/** A size that must be an integer ≥ `min` (a safe integer, so index arithmetic stays exact). */
export function assertSize(fn: string, arg: string, value: unknown, min = 1): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new HartleyRangeError(`${fn}: ${arg} must be an integer ≥ ${min}, got ${describe(value)}`);
  }
}

export function assertNonEmpty(fn: string, arg: string, x: RealArray): void {
  if (x.length === 0) throw new HartleyRangeError(`${fn}: ${arg}.length must be ≥ 1, got 0`);
}

export function assertMatrix(fn: string, arg: string, data: RealArray, rows: number, cols: number): void {
  assertSize(fn, 'rows', rows);
  assertSize(fn, 'cols', cols);
  if (rows * cols !== data.length) {
    throw new HartleyRangeError(`${fn}: rows·cols (${rows}·${cols} = ${rows * cols}) ≠ ${arg}.length (${data.length})`);
  }
}

const NORMALIZATIONS: readonly Normalization[] = ['backward', 'ortho', 'forward'];
const VARIANTS: readonly Variant2D[] = ['separable', 'true'];

export function readNormalization(fn: string, value: unknown): Normalization {
  if (value === undefined) return 'backward';
  if (!NORMALIZATIONS.includes(value as Normalization)) {
    throw new HartleyTypeError(`${fn}: options.normalization must be one of 'backward' | 'ortho' | 'forward', got ${describe(value)}`);
  }
  return value as Normalization;
}

export function readVariant(fn: string, value: unknown): Variant2D {
  if (value === undefined) return 'separable';
  if (!VARIANTS.includes(value as Variant2D)) {
    throw new HartleyTypeError(`${fn}: options.variant must be 'separable' | 'true', got ${describe(value)}`);
  }
  return value as Variant2D;
}

/** A finite scale factor (NaN/∞ would silently poison every output). */
export function readScale(fn: string, arg: string, value: unknown, fallback = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new HartleyRangeError(`${fn}: ${arg} must be a finite number, got ${describe(value)}`);
  }
  return value;
}
