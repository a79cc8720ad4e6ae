/**
 * `applySSH`: select spectral positions from a LayersModel's target Dense kernels,
 * wrap those layers as {@link SshDense}, freeze everything else, return a handle.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { fingerprintWeights, resolveSelectionOptions, SELECTION_OPTION_KEYS, selectSpectrum, type SelectionOptions } from '@ssh-peft/selection';
import { adapterFromLayers, createAdapter, type SshAdapter } from '@ssh-peft/adapter';
import { SshAdapterMismatchError, SshBudgetError, SshOptionError, SshTargetError, SshTfjsError } from './errors';
import { SshDense } from './layers/ssh-dense';
import type { SshPath } from './ops/ssh-linear';
import { SshHandle } from './ssh-handle';
import { useLazyLinearDenseGradients } from './surgery/lazy-linear-dense';
import type { LayerSelector } from './surgery/targets';
import { readDenseTargets, wrapDenseLayers } from './surgery/wrap';

/** Default α: the scaling HF PEFT's FourierFT uses for ViT/LLaMA (ΔW carries the 1/(rows·cols) of the `backward` inverse). */
export const DEFAULT_SSH_ALPHA = 300;
/** Default share of positions chosen by spectral energy (the value the reference README intends). */
export const DEFAULT_ENERGY_RATIO = 0.7;

/**
 * The options of {@link applySSH} that are this package's: which layers, and how they are wrapped
 * and their adapter made. Every other option is `@ssh-peft/selection`'s (see {@link ApplySshOptions}).
 */
export interface SshWrapOptions {
  /** Dense layers to adapt: names, a RegExp on names, or a predicate. */
  targets: LayerSelector;
  /** Scale α of ΔW (default {@link DEFAULT_SSH_ALPHA}). */
  alpha?: number;
  /** `'zeros'` (default: the adapted model starts exactly at the base model) or `'normal'` (reference code, seeded by `seed`). */
  init?: 'zeros' | 'normal';
  /** Layers that stay trainable besides the SSH coefficients (e.g. a new task head). */
  trainable?: LayerSelector;
  /** Name of the first adapter (default `'default'`). */
  adapterName?: string;
  /** Route of x·ΔW (default `'auto'`, see `chooseSshPath`). */
  path?: SshPath;
  /** Check coefficients for NaN/±Infinity on every training-mode call (default true; asynchronous on GPU backends: thrown at the next training call). */
  checkFinite?: boolean;
  /** Free-form metadata stored in the adapter. */
  metadata?: Record<string, string>;
}

/**
 * Options of {@link applySSH}: its own ({@link SshWrapOptions}) and, side by side, every option of
 * `selectSpectrum` (`SelectionOptions` of `@ssh-peft/selection`: `perLayer`/`budget`, `score`,
 * `minPerLayer`, `maxPerLayer`, `energyThreshold`, `workers`, `onProgress`, …), documented there. An
 * option added to the selection is accepted here as it is. Defaults that differ from the selection's
 * required fields: `strategy` is `'global'` when only `budget` is given, else `'per-layer'`;
 * `energyRatio` is {@link DEFAULT_ENERGY_RATIO}; `seed` is 0. `seed`, `variant` and
 * `normalization` also set the adapter's `'normal'` initialisation and the layers' transform.
 */
export type ApplySshOptions = SshWrapOptions & Partial<SelectionOptions>;

/** Every key of {@link SshWrapOptions}. */
const WRAP_OPTION_KEYS = ['targets', 'alpha', 'init', 'trainable', 'adapterName', 'path', 'checkFinite', 'metadata'] as const satisfies ReadonlyArray<keyof SshWrapOptions>;
// A key added to SshWrapOptions but not to the list, or one that is also the selection's, fails to compile here.
type UnlistedWrapKeys = Exclude<keyof SshWrapOptions, (typeof WRAP_OPTION_KEYS)[number]>;
type SharedKeys = keyof SshWrapOptions & keyof SelectionOptions;
const wrapKeysChecked: [UnlistedWrapKeys | SharedKeys] extends [never] ? true : UnlistedWrapKeys | SharedKeys = true;
void wrapKeysChecked;

/** Every key {@link ApplySshOptions} has: anything else is a misspelling, refused with the nearest valid key. */
const OPTION_KEYS: readonly string[] = [...WRAP_OPTION_KEYS, ...SELECTION_OPTION_KEYS];

/** Edit distance with adjacent transpositions (optimal string alignment): `alhpa` is 1 from `alpha`. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The valid option key closest to `key` (case-insensitive edit distance). */
export function nearestOptionKey(key: string): string {
  let best: string = OPTION_KEYS[0];
  let bestDistance = Infinity;
  for (const candidate of OPTION_KEYS) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function checkOptionTypes(options: ApplySshOptions): void {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new SshOptionError(`applySSH: unknown option ${JSON.stringify(key)} (did you mean ${JSON.stringify(nearestOptionKey(key))}?)`);
    }
  }
  const { path, checkFinite, adapterName, metadata } = options;
  if (path !== undefined && !['auto', 'factored', 'dense'].includes(path)) {
    throw new SshOptionError(`applySSH: path must be 'auto', 'factored', 'dense', got ${describeOption(path)}`);
  }
  if (checkFinite !== undefined && typeof checkFinite !== 'boolean') throw new SshOptionError(`applySSH: checkFinite must be a boolean, got ${describeOption(checkFinite)}`);
  if (adapterName !== undefined && (typeof adapterName !== 'string' || adapterName === '')) {
    throw new SshOptionError(`applySSH: adapterName must be a non-empty string, got ${describeOption(adapterName)}`);
  }
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) throw new SshOptionError(`applySSH: metadata must be an object of strings, got ${describeOption(metadata)}`);
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new SshOptionError(`applySSH: metadata[${JSON.stringify(k)}] must be a string, got ${describeOption(v)}`);
    }
  }
}

function describeOption(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** Wraps an error of another package (selection, adapter, tfjs itself) as an SshTfjsError with the original as `cause`. */
function asSshTfjsError(e: unknown): SshTfjsError {
  if (e instanceof SshTfjsError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const name = e instanceof Error ? e.name : '';
  if (/Option|Validation/.test(name)) return new SshOptionError(`applySSH: ${message}`, { cause: e });
  return new SshTfjsError(`applySSH: ${name ? `${name}: ` : ''}${message}`, { cause: e });
}

/**
 * Adapts `model` with SSH. Returns a handle whose `model` trains only the SSH
 * coefficients (plus the layers listed in `trainable`) with the usual `compile`/`fit`.
 * The returned model shares every non-adapted layer object with `model`.
 *
 * Every error it throws is an {@link SshTfjsError} (an error of another package, e.g. the
 * selection's, is wrapped with the original as `cause`); unknown option keys are refused with
 * the nearest valid one (`alhpa` → did you mean `alpha`?), and every option is checked before
 * any work.
 *
 * @throws {SshOptionError} for an unknown option key or a wrong option value or type.
 * @throws {SshTargetError} when `targets` matches nothing (the message lists the Dense layers) or a non-Dense layer.
 * @throws {SshBudgetError} when more positions are asked than the targets hold.
 * @example
 * ```ts
 * const ssh = await applySSH(model, { targets: /_(q|v)$/, perLayer: 64, trainable: ['head'] });
 * ssh.model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
 * await ssh.model.fit(x, y, { epochs: 5 });
 * ```
 */
export async function applySSH(model: tfl.LayersModel, options: ApplySshOptions): Promise<SshHandle> {
  try {
    return await applySshChecked(model, options);
  } catch (e) {
    throw asSshTfjsError(e);
  }
}

async function applySshChecked(model: tfl.LayersModel, options: ApplySshOptions): Promise<SshHandle> {
  if (!(model instanceof tfl.LayersModel)) throw new SshOptionError('applySSH: model must be a tf.LayersModel');
  if (options === null || typeof options !== 'object') throw new SshOptionError('applySSH: options are required ({ targets, perLayer | budget, … })');
  checkOptionTypes(options);
  const { targets: targetSelector, alpha = DEFAULT_SSH_ALPHA, init = 'zeros', trainable, adapterName = 'default', path, checkFinite, metadata, ...given } = options;
  const strategy = given.strategy ?? (given.budget !== undefined && given.perLayer === undefined ? 'global' : 'per-layer');
  if (strategy === 'per-layer' && given.perLayer === undefined) throw new SshOptionError("applySSH: strategy 'per-layer' needs perLayer");
  if (strategy === 'global' && given.budget === undefined) throw new SshOptionError("applySSH: strategy 'global' needs budget");
  const selection: SelectionOptions = { ...given, strategy, energyRatio: given.energyRatio ?? DEFAULT_ENERGY_RATIO, seed: given.seed ?? 0 };
  // Every selection option is checked here, before the kernels are read.
  const { perLayer, budget, seed, variant, normalization } = resolveSelectionOptions(selection);
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new SshOptionError(`applySSH: alpha must be a finite number, got ${String(alpha)}`);
  if (init !== 'zeros' && init !== 'normal') throw new SshOptionError(`applySSH: init must be 'zeros' or 'normal', got ${String(init)}`);

  const targets = readDenseTargets(model, targetSelector);
  const sizes = targets.map((t) => t.args.inputDim * t.args.units);
  if (perLayer !== undefined) {
    const smallest = targets[sizes.indexOf(Math.min(...sizes))];
    if (perLayer > smallest.args.inputDim * smallest.args.units) {
      throw new SshBudgetError(
        `applySSH: perLayer ${perLayer} exceeds the ${smallest.args.inputDim * smallest.args.units} positions of layer '${smallest.layer.name}' [${smallest.args.inputDim}, ${smallest.args.units}]`,
      );
    }
  }
  if (budget !== undefined) {
    const available = sizes.reduce((a, b) => a + b, 0);
    if (budget > available) throw new SshBudgetError(`applySSH: budget ${budget} exceeds the ${available} positions of the ${targets.length} target layer(s)`);
  }

  const plan = await selectSpectrum(
    targets.map((t) => ({ name: t.layer.name, rows: t.args.inputDim, cols: t.args.units, weights: t.kernelValues })),
    selection,
  );
  const adapter: SshAdapter = createAdapter(plan, { alpha, init, seed, variant, normalization, metadata });
  const byName = new Map(adapter.layers.map((l) => [l.name, l]));
  const { model: adapted, layers } = wrapDenseLayers(
    model,
    targets,
    (t) => {
      const entry = byName.get(t.layer.name);
      if (entry === undefined) throw new SshBudgetError(`applySSH: the selection gave no positions to layer '${t.layer.name}'`);
      return new SshDense({
        ...t.args,
        indices: entry.indices,
        alpha,
        variant,
        normalization,
        path,
        checkFinite,
        adapterName,
      });
    },
    trainable,
  );
  return new SshHandle(adapted, layers, adapter, adapterName);
}

/**
 * A handle over a model that already contains {@link SshDense} layers — typically one
 * reloaded with `tf.loadLayersModel` after `handle.model.save(...)`. The adapter it starts
 * with is read from the layers (positions, coefficients, α) with fingerprints of their W0.
 *
 * @throws {SshTargetError} when the model has no SshDense layer.
 * @throws {SshAdapterMismatchError} when the layers disagree on variant or normalisation.
 * @throws {SshNonFiniteError} naming the first layer with a NaN/±Infinity coefficient.
 * @example
 * ```ts
 * const ssh = attachSSH(await tf.loadLayersModel('file://model/model.json'));
 * ```
 */
export function attachSSH(model: tfl.LayersModel): SshHandle {
  const layers = new Map(model.layers.filter((l): l is SshDense => l instanceof SshDense).map((l) => [l.name, l]));
  const list = [...layers.values()];
  if (list.length === 0) throw new SshTargetError(`attachSSH: model '${model.name}' has no SshDense layer`);
  const { variant, normalization } = list[0];
  const odd = list.find((l) => l.variant !== variant || l.normalization !== normalization);
  if (odd !== undefined) {
    throw new SshAdapterMismatchError(`attachSSH: layer '${odd.name}' uses ${odd.variant}/${odd.normalization}, layer '${list[0].name}' ${variant}/${normalization}`);
  }
  // A diverged layer is named as such, not as an invalid adapter.
  for (const l of list) l.assertFinite();
  const adapter = adapterFromLayers(
    list.map((l) => ({
      name: l.name,
      rows: l.inputDim,
      cols: l.units,
      indices: l.indices,
      coefficients: l.readCoefficients(),
      alpha: l.alpha,
      fingerprint: fingerprintWeights(l.baseKernelValues(), l.inputDim, l.units),
    })),
    { variant, normalization },
  );
  useLazyLinearDenseGradients(model);
  return new SshHandle(model, layers, adapter, list[0].adapterName);
}
