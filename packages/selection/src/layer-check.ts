import { SelectionInputError } from './errors';
import type { LayerInput } from './types';

/** Positions are stored as Uint32 flat indices. */
const MAX_POSITIONS = 4294967296;

/**
 * Checks one layer's shape and identity (not its values): a non-empty name not seen before,
 * positive integer rows/cols, a Float32Array/Float64Array of length rows·cols, at most 2^32
 * positions. `ordinal` is its place in the input, for messages about unnamed layers.
 */
export function checkLayerShape(layer: LayerInput, ordinal: number, seen: Set<string>): void {
  const where = `layers[${ordinal}]`;
  if (layer === null || typeof layer !== 'object') {
    throw new SelectionInputError(where, `${where} is ${String(layer)}, expected { name, rows, cols, weights }`);
  }
  const { name, rows, cols, weights } = layer;
  if (typeof name !== 'string' || name.length === 0) {
    throw new SelectionInputError(where, `${where}.name must be a non-empty string, got ${typeof name === 'string' ? "''" : String(name)}`);
  }
  if (seen.has(name)) throw new SelectionInputError(name, `duplicate layer name '${name}' (${where})`);
  if (!Number.isSafeInteger(rows) || rows < 1 || !Number.isSafeInteger(cols) || cols < 1) {
    throw new SelectionInputError(name, `layer '${name}': rows (${String(rows)}) and cols (${String(cols)}) must be integers ≥ 1`);
  }
  if (!(weights instanceof Float32Array) && !(weights instanceof Float64Array)) {
    throw new SelectionInputError(name, `layer '${name}': weights is ${Object.prototype.toString.call(weights).slice(8, -1)}, expected a Float32Array or Float64Array`);
  }
  if (rows * cols !== weights.length) {
    throw new SelectionInputError(name, `layer '${name}': rows·cols (${rows}·${cols} = ${rows * cols}) ≠ weights.length (${weights.length})`);
  }
  if (rows * cols > MAX_POSITIONS) {
    throw new SelectionInputError(name, `layer '${name}': ${rows * cols} positions exceed the 2^32 that Uint32 indices can address`);
  }
}
