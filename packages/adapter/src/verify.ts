import { fingerprintWeights } from '@ssh-peft/selection';
import { AdapterMismatchError } from './errors';
import type { SshAdapter } from './types';
import { getLayer } from './validate';

/** A base weight: a row-major array, optionally with its declared shape. */
export type BaseWeight = Float32Array | Float64Array | { weights: Float32Array | Float64Array; rows: number; cols: number };

/**
 * Checks that `w0` is the base weight the adapter layer was made for: its shape (when given, or
 * its length against rows·cols) and its fingerprint — `fingerprintWeights` of
 * `@ssh-peft/selection`, a hash of the float32 little-endian bytes of the row-major matrix plus
 * its shape, so a different base model or a transposed weight of the same size is caught.
 * Throws {@link AdapterMismatchError} with `expected`/`actual`.
 *
 * @example
 * ```ts
 * import { verifyBase } from '@ssh-peft/adapter';
 * verifyBase(adapter, 'dense', kernelValues);                 // throws if not the right base
 * verifyBase(adapter, 'dense', kernelValues, [768, 3072]);    // also compares a declared shape
 * ```
 */
export function verifyBase(adapter: SshAdapter, layerName: string, w0: Float32Array | Float64Array, shape?: readonly [number, number]): void {
  const layer = getLayer(adapter, layerName);
  const expectedShape = `[${layer.rows}, ${layer.cols}]`;
  if (!(w0 instanceof Float32Array) && !(w0 instanceof Float64Array)) {
    throw new AdapterMismatchError(layer.name, `base weight is ${Object.prototype.toString.call(w0).slice(8, -1)}, expected a Float32Array or Float64Array`);
  }
  if (shape !== undefined && (shape[0] !== layer.rows || shape[1] !== layer.cols)) {
    const transposed = shape[0] === layer.cols && shape[1] === layer.rows;
    throw new AdapterMismatchError(
      layer.name,
      `base weight has shape [${shape[0]}, ${shape[1]}], the adapter expects ${expectedShape}` +
        (transposed ? ' (transposed: this project stores weights as [d_in, d_out])' : ''),
      expectedShape,
      `[${shape[0]}, ${shape[1]}]`,
    );
  }
  if (w0.length !== layer.rows * layer.cols) {
    throw new AdapterMismatchError(
      layer.name,
      `base weight has ${w0.length} elements, the adapter expects ${expectedShape} = ${layer.rows * layer.cols}`,
      expectedShape,
      `${w0.length} elements`,
    );
  }
  const actual = fingerprintWeights(w0, layer.rows, layer.cols);
  if (actual !== layer.fingerprint) {
    throw new AdapterMismatchError(
      layer.name,
      `base weight fingerprint ${actual} ≠ the adapter's ${layer.fingerprint} (a different base model, or a transposed/modified weight)`,
      layer.fingerprint,
      actual,
    );
  }
}

/**
 * Verifies every layer of the adapter against a base model given as a map (or record) from layer
 * name to weight: a layer of the adapter absent from the base is an {@link AdapterMismatchError}
 * listing the base's layer names; every present one goes through {@link verifyBase}.
 *
 * @example
 * ```ts
 * import { verifyBaseModel } from '@ssh-peft/adapter';
 * verifyBaseModel(adapter, { 'encoder.0.query': { weights: q, rows: 64, cols: 64 } });
 * ```
 */
export function verifyBaseModel(adapter: SshAdapter, base: ReadonlyMap<string, BaseWeight> | Readonly<Record<string, BaseWeight>>): void {
  const lookup = base instanceof Map ? (name: string) => base.get(name) : (name: string) => (Object.prototype.hasOwnProperty.call(base, name) ? (base as Record<string, BaseWeight>)[name] : undefined);
  const names = base instanceof Map ? [...base.keys()] : Object.keys(base);
  for (const layer of adapter.layers) {
    const entry = lookup(layer.name);
    if (entry === undefined) {
      const shown = names.length > 10 ? `${names.slice(0, 10).join(', ')}, … (${names.length} in all)` : names.join(', ');
      throw new AdapterMismatchError(layer.name, `absent from the base model (base layers: ${shown || 'none'})`);
    }
    if (entry instanceof Float32Array || entry instanceof Float64Array) verifyBase(adapter, layer.name, entry);
    else verifyBase(adapter, layer.name, entry.weights, [entry.rows, entry.cols]);
  }
}
