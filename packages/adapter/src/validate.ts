import { AdapterValidationError } from './errors';
import { findCoefficientProblem, findIndexProblem, findNameProblem, findShapeProblem } from './invariants';
import { describeValue } from './describe-value';
import { ADAPTER_FORMAT, SUPPORTED_ADAPTER_VERSIONS, type SshAdapter, type SshAdapterConfig, type SshAdapterLayer } from './types';

const VARIANTS = ['separable', 'true'] as const;
/** Deepest nesting accepted in `config.selection` (real selection options are 1–2 levels deep). */
const MAX_JSON_DEPTH = 32;
const NORMALIZATIONS = ['backward', 'ortho', 'forward'] as const;
const INITS = ['zeros', 'normal'] as const;

/**
 * Checks every invariant of an in-memory adapter and throws {@link AdapterValidationError}
 * naming the first bad value (`layers[i].indices[k]`, `config.variant`, …). Returns the adapter
 * so it can be used inline. {@link encodeAdapter} and {@link saveAdapter} call it first.
 *
 * @example
 * ```ts
 * import { validateAdapter } from '@ssh-peft/adapter';
 * validateAdapter(adapter); // throws on NaN coefficients, duplicate positions, …
 * ```
 */
export function validateAdapter(adapter: SshAdapter): SshAdapter {
  if (adapter === null || typeof adapter !== 'object') throw new AdapterValidationError('adapter', `is ${describeValue(adapter)}, expected an object`);
  if (adapter.format !== ADAPTER_FORMAT) throw new AdapterValidationError('adapter.format', `is ${describeValue(adapter.format)}, expected "${ADAPTER_FORMAT}"`);
  if (!SUPPORTED_ADAPTER_VERSIONS.includes(adapter.version)) {
    throw new AdapterValidationError('adapter.version', `is ${describeValue(adapter.version)}, this package supports versions ${SUPPORTED_ADAPTER_VERSIONS.join(' and ')}`);
  }
  validateConfig(adapter.config);
  if (!Array.isArray(adapter.layers)) throw new AdapterValidationError('adapter.layers', `is ${describeValue(adapter.layers)}, expected an array`);
  const names = new Map<string, number>();
  adapter.layers.forEach((layer, i) => {
    validateLayer(layer, `layers[${i}]`);
    const first = names.get(layer.name);
    if (first !== undefined) throw new AdapterValidationError(`layers[${i}].name`, `${JSON.stringify(layer.name)} repeats layers[${first}].name`);
    names.set(layer.name, i);
  });
  return adapter;
}

/** Validates one layer; `path` prefixes error paths (e.g. `layers[3]`). */
export function validateLayer(layer: SshAdapterLayer, path: string): void {
  if (layer === null || typeof layer !== 'object') throw new AdapterValidationError(path, `is ${describeValue(layer)}, expected a layer object`);
  const nameProblem = findNameProblem(layer.name);
  if (nameProblem) throw new AdapterValidationError(`${path}.name`, nameProblem);
  const shapeProblem = findShapeProblem(layer.rows, layer.cols);
  if (shapeProblem) throw new AdapterValidationError(`${path} (${JSON.stringify(layer.name)})`, shapeProblem);
  if (!(layer.indices instanceof Uint32Array)) throw new AdapterValidationError(`${path}.indices`, `is ${describeValue(layer.indices)}, expected a Uint32Array`);
  if (!(layer.coefficients instanceof Float32Array)) {
    throw new AdapterValidationError(`${path}.coefficients`, `is ${describeValue(layer.coefficients)}, expected a Float32Array`);
  }
  if (layer.coefficients.length !== layer.indices.length) {
    throw new AdapterValidationError(`${path}.coefficients`, `length ${layer.coefficients.length} ≠ indices length ${layer.indices.length}`);
  }
  const indexProblem = findIndexProblem(layer.indices, layer.rows, layer.cols);
  if (indexProblem) throw new AdapterValidationError(`${path}.indices[${indexProblem.index}]`, indexProblem.problem);
  const coefficientProblem = findCoefficientProblem(layer.coefficients);
  if (coefficientProblem) throw new AdapterValidationError(`${path}.coefficients[${coefficientProblem.index}]`, coefficientProblem.problem);
  if (typeof layer.alpha !== 'number' || !Number.isFinite(layer.alpha)) throw new AdapterValidationError(`${path}.alpha`, `${describeValue(layer.alpha)} is not a finite number`);
  if (typeof layer.fingerprint !== 'string' || layer.fingerprint.length === 0) {
    throw new AdapterValidationError(`${path}.fingerprint`, `${describeValue(layer.fingerprint)} is not a non-empty string`);
  }
}

/** Validates the adapter-wide config. */
export function validateConfig(config: SshAdapterConfig): void {
  if (config === null || typeof config !== 'object') throw new AdapterValidationError('adapter.config', `is ${describeValue(config)}, expected an object`);
  if (!VARIANTS.includes(config.variant)) throw new AdapterValidationError('config.variant', `${describeValue(config.variant)} is not one of ${VARIANTS.join(', ')}`);
  if (!NORMALIZATIONS.includes(config.normalization)) {
    throw new AdapterValidationError('config.normalization', `${describeValue(config.normalization)} is not one of ${NORMALIZATIONS.join(', ')}`);
  }
  if (!INITS.includes(config.init)) throw new AdapterValidationError('config.init', `${describeValue(config.init)} is not one of ${INITS.join(', ')}`);
  if (typeof config.initStd !== 'number' || !Number.isFinite(config.initStd) || config.initStd < 0) {
    throw new AdapterValidationError('config.initStd', `${describeValue(config.initStd)} is not a finite number ≥ 0`);
  }
  if (typeof config.seed !== 'number' || !Number.isSafeInteger(config.seed)) throw new AdapterValidationError('config.seed', `${describeValue(config.seed)} is not an integer`);
  if (config.selection === null || typeof config.selection !== 'object' || Array.isArray(config.selection)) {
    throw new AdapterValidationError('config.selection', `is ${describeValue(config.selection)}, expected an object`);
  }
  const jsonProblem = findJsonProblem(config.selection, 'config.selection');
  if (jsonProblem) throw new AdapterValidationError(jsonProblem.path, jsonProblem.problem);
  if (config.metadata === null || typeof config.metadata !== 'object' || Array.isArray(config.metadata)) {
    throw new AdapterValidationError('config.metadata', `is ${describeValue(config.metadata)}, expected an object of strings`);
  }
  for (const [key, value] of Object.entries(config.metadata)) {
    if (typeof value !== 'string') throw new AdapterValidationError(`config.metadata[${JSON.stringify(key)}]`, `${describeValue(value)} is not a string`);
  }
}

/**
 * Looks a layer up by name; throws {@link AdapterValidationError} listing the adapter's layers
 * when it is absent.
 *
 * @example
 * ```ts
 * import { getLayer } from '@ssh-peft/adapter';
 * const { rows, cols, indices } = getLayer(adapter, 'encoder.0.query');
 * ```
 */
export function getLayer(adapter: SshAdapter, layerName: string): SshAdapterLayer {
  const layer = adapter.layers.find((l) => l.name === layerName);
  if (layer === undefined) {
    const names = adapter.layers.map((l) => JSON.stringify(l.name));
    const shown = names.length > 10 ? `${names.slice(0, 10).join(', ')}, … (${names.length} in all)` : names.join(', ');
    throw new AdapterValidationError('layerName', `${JSON.stringify(layerName)} is not a layer of the adapter (layers: ${shown || 'none'})`);
  }
  return layer;
}

/** JSON.stringify would silently turn NaN/Infinity into null and drop functions/undefined: refuse them instead. */
function findJsonProblem(value: unknown, path: string, depth = 0): { path: string; problem: string } | null {
  // A depth cap keeps a crafted file from overflowing the stack of this recursion (and of JSON.stringify).
  if (depth > MAX_JSON_DEPTH) return { path, problem: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path, problem: `${value} is not a finite number (not representable in JSON)` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findJsonProblem(value[i], `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    for (const [k, v] of Object.entries(value)) {
      const p = findJsonProblem(v, `${path}.${k}`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  return { path, problem: `${describeValue(value)} is not a JSON value` };
}
