import { AdapterValidationError } from './errors';
import { describeValue } from './describe-value';
import { ADAPTER_FORMAT, ADAPTER_FORMAT_VERSION, type SshAdapter, type SshAdapterConfig, type SshAdapterLayer } from './types';
import { validateAdapter } from './validate';

/**
 * The adapter-wide settings of an adapter made without a selection plan and not initialised by
 * this package: the layers' coefficients are whatever they hold.
 */
function defaultConfig(): SshAdapterConfig {
  return { variant: 'separable', normalization: 'backward', init: 'zeros', initStd: 0, seed: 0, selection: {}, metadata: {} };
}

/**
 * Builds an adapter of the current format ({@link ADAPTER_FORMAT_VERSION}) from layers that already
 * hold their positions, coefficients, α and fingerprint — e.g. read back from a model whose layers
 * carry them. `config` sets the adapter-wide settings; each one left out is the default of an
 * adapter made without a selection: variant `'separable'`, normalisation `'backward'`, init
 * `'zeros'`, initStd 0, seed 0, `selection: {}`, `metadata: {}`. The layers and the objects of
 * `config` are held, not copied (the adapter is a plain object, see {@link SshAdapter}); the list
 * of layers itself is copied.
 * Every invariant is checked ({@link validateAdapter}) before the adapter is returned. To make an
 * adapter from a `SelectionPlan`, with initialised coefficients, use {@link createAdapter}.
 *
 * @throws {AdapterValidationError} naming the first bad value (`layers`, `layers[1].indices[3]`,
 * `config.variant`, …): layers not an array, a repeated name, positions out of range or
 * repeated, coefficients not finite or not one per position, α not finite, an empty fingerprint.
 * @example
 * ```ts
 * import { adapterFromLayers } from '@ssh-peft/adapter';
 * const adapter = adapterFromLayers(
 *   [{ name: 'dense', rows: 4, cols: 3, indices: new Uint32Array([0, 5]), coefficients: new Float32Array([0.5, -1]), alpha: 1, fingerprint }],
 *   { variant: 'true', metadata: { task: 'digits' } },
 * );
 * ```
 */
export function adapterFromLayers(layers: readonly SshAdapterLayer[], config: Partial<SshAdapterConfig> = {}): SshAdapter {
  if (!Array.isArray(layers)) throw new AdapterValidationError('layers', `is ${describeValue(layers)}, expected an array of adapter layers`);
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new AdapterValidationError('config', `is ${describeValue(config)}, expected an object of adapter settings`);
  }
  const defaults = defaultConfig();
  const known = Object.keys(defaults);
  const unknown = Object.keys(config).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new AdapterValidationError(`config.${unknown}`, `is not an adapter setting (settings: ${known.join(', ')})`);
  const given = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
  return validateAdapter({
    format: ADAPTER_FORMAT,
    version: ADAPTER_FORMAT_VERSION,
    config: { ...defaults, ...given },
    layers: [...layers],
  });
}
