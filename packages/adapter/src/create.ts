import type { Normalization, Variant2D } from '@ssh-peft/hartley';
import { createRandom, layerInitSeed, type SelectionPlan } from '@ssh-peft/selection';
import { AdapterValidationError } from './errors';
import { findIndexProblem, findNameProblem, findShapeProblem } from './invariants';
import { describeValue } from './describe-value';
import { ADAPTER_FORMAT, ADAPTER_FORMAT_VERSION, type AdapterInit, type JsonValue, type SshAdapter, type SshAdapterLayer } from './types';
import { validateAdapter } from './validate';

/** Options of {@link createAdapter}. */
export interface CreateAdapterOptions {
  /** Scale α of ΔW = α · IDHT2(S), the same for every layer (edit `layers[i].alpha` for per-layer values). */
  alpha: number;
  /**
   * Coefficient initialisation, default `'zeros'`: ΔW = 0 at step 0, so the adapted model starts
   * exactly at the base model (like LoRA), merging an untrained adapter is the identity, and
   * training still moves (∂L/∂c does not depend on c). `'normal'` reproduces the reference
   * code's `torch.randn` start: N(0, std²), seeded.
   */
  init?: AdapterInit;
  /** Standard deviation of `'normal'` (default 1, as the reference code). */
  std?: number;
  /** Seed of `'normal'` (default: the plan's selection seed, else 0). */
  seed?: number;
  /** 2D transform variant of ΔW (default: the one the plan selected with, else `'separable'`). */
  variant?: Variant2D;
  /** Normalisation of the inverse (default: the plan's, else `'backward'`). */
  normalization?: Normalization;
  /** Free-form user metadata stored in the file. */
  metadata?: Record<string, string>;
}

/**
 * Builds an adapter from a `SelectionPlan` of `@ssh-peft/selection`: one layer per planned layer
 * with its positions (copied), fingerprint and shape, coefficients initialised per
 * `options.init`, and the serialisable selection options recorded in `config.selection`.
 * With `'normal'`, layer `name` draws from `createRandom(layerInitSeed(seed, name))` — the project's
 * seeded PRNG on a per-layer stream — so a layer's start values do not depend on which other
 * layers are adapted.
 *
 * @example
 * ```ts
 * import { selectSpectrum } from '@ssh-peft/selection';
 * import { createAdapter } from '@ssh-peft/adapter';
 * const plan = await selectSpectrum([{ name: 'dense', rows: 64, cols: 32, weights }], { strategy: 'per-layer', perLayer: 100, energyRatio: 0.2, seed: 7 });
 * const adapter = createAdapter(plan, { alpha: 300 });            // zeros: ΔW = 0 at start
 * const noisy = createAdapter(plan, { alpha: 300, init: 'normal' }); // reference-code start
 * ```
 */
export function createAdapter(plan: SelectionPlan, options: CreateAdapterOptions): SshAdapter {
  if (plan === null || typeof plan !== 'object' || !Array.isArray(plan.layers)) {
    throw new AdapterValidationError('plan', `is ${describeValue(plan)}, expected a SelectionPlan with a layers array`);
  }
  if (options === null || typeof options !== 'object') throw new AdapterValidationError('options', `is ${describeValue(options)}, expected { alpha, … }`);
  const { alpha } = options;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new AdapterValidationError('options.alpha', `${describeValue(alpha)} is not a finite number`);
  const init = options.init ?? 'zeros';
  if (init !== 'zeros' && init !== 'normal') throw new AdapterValidationError('options.init', `${describeValue(init)} is not 'zeros' or 'normal'`);
  const std = init === 'normal' ? (options.std ?? 1) : 0;
  if (typeof std !== 'number' || !Number.isFinite(std) || std < 0) throw new AdapterValidationError('options.std', `${describeValue(std)} is not a finite number ≥ 0`);
  const planOptions = (plan.options ?? {}) as unknown as Record<string, unknown>;
  const seed = options.seed ?? (typeof planOptions.seed === 'number' ? planOptions.seed : 0);
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new AdapterValidationError('options.seed', `${describeValue(seed)} is not an integer`);
  const variant = options.variant ?? (planOptions.variant as Variant2D | undefined) ?? 'separable';
  const normalization = options.normalization ?? (planOptions.normalization as Normalization | undefined) ?? 'backward';

  const layers: SshAdapterLayer[] = plan.layers.map((planned, i) => {
    const path = `plan.layers[${i}]`;
    const nameProblem = findNameProblem(planned.name);
    if (nameProblem) throw new AdapterValidationError(`${path}.name`, nameProblem);
    const shapeProblem = findShapeProblem(planned.rows, planned.cols);
    if (shapeProblem) throw new AdapterValidationError(path, shapeProblem);
    if (!(planned.indices instanceof Uint32Array)) throw new AdapterValidationError(`${path}.indices`, `is ${describeValue(planned.indices)}, expected a Uint32Array`);
    const indexProblem = findIndexProblem(planned.indices, planned.rows, planned.cols);
    if (indexProblem) throw new AdapterValidationError(`${path}.indices[${indexProblem.index}]`, indexProblem.problem);
    const n = planned.indices.length;
    const coefficients = new Float32Array(n);
    if (init === 'normal') {
      const random = createRandom(layerInitSeed(seed, planned.name));
      for (let k = 0; k < n; k++) coefficients[k] = std * random.nextNormal();
    }
    return {
      name: planned.name,
      rows: planned.rows,
      cols: planned.cols,
      indices: Uint32Array.from(planned.indices),
      coefficients,
      alpha,
      fingerprint: planned.fingerprint,
    };
  });

  return validateAdapter({
    format: ADAPTER_FORMAT,
    version: ADAPTER_FORMAT_VERSION,
    config: {
      variant,
      normalization,
      init,
      initStd: std,
      seed,
      selection: serializableOptions(planOptions),
      metadata: { ...(options.metadata ?? {}) },
    },
    layers,
  });
}

/** The JSON-representable part of the selection options (callbacks and undefined fields dropped). */
function serializableOptions(options: Record<string, unknown>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || typeof value === 'function') continue;
    out[key] = JSON.parse(JSON.stringify(value)) as JsonValue;
  }
  return out;
}
