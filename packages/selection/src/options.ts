import type { Normalization, Variant2D } from '@ssh-peft/hartley';
import { SelectionOptionError } from './errors';
import type { GlobalScore, ResolvedSelectionOptions, SelectionOptions } from './types';

const VARIANTS: readonly Variant2D[] = ['separable', 'true'];
const NORMALIZATIONS: readonly Normalization[] = ['backward', 'ortho', 'forward'];
const SCORES: readonly GlobalScore[] = ['mean-relative-energy', 'relative-energy', 'energy'];
const PER_LAYER_ONLY = ['perLayer', 'energyThreshold'] as const;
const GLOBAL_ONLY = ['budget', 'score', 'minPerLayer', 'maxPerLayer'] as const;

/** Default `'global'` score: positions compete by their energy relative to their layer's mean energy, fair to layers of every size and scale. */
export const DEFAULT_GLOBAL_SCORE: GlobalScore = 'mean-relative-energy';

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new SelectionOptionError(name, `${name} must be an integer ≥ 1, got ${show(value)}`);
  }
  return value;
}

/**
 * Validates `options` before any layer is read and returns them with defaults filled in, in a
 * fixed key order (the plan's `options`, so that serialised plans are byte-identical).
 * Exported as `resolveSelectionOptions`, for a package that takes these options inside its own
 * and checks them before its own work.
 *
 * @throws {SelectionOptionError} naming the first bad option.
 * @example
 * ```ts
 * import { resolveSelectionOptions } from '@ssh-peft/selection';
 * resolveSelectionOptions({ strategy: 'global', budget: 2000, energyRatio: 0.7, seed: 0 }).score; // 'mean-relative-energy'
 * ```
 */
export function resolveOptions(options: SelectionOptions): ResolvedSelectionOptions {
  if (options === null || typeof options !== 'object') {
    throw new SelectionOptionError('options', `options must be an object, got ${show(options)}`);
  }
  const { strategy } = options;
  if (strategy !== 'per-layer' && strategy !== 'global') {
    throw new SelectionOptionError('strategy', `strategy must be 'per-layer' or 'global', got ${show(strategy)}`);
  }
  const { energyRatio, seed } = options;
  if (typeof energyRatio !== 'number' || !(energyRatio >= 0 && energyRatio <= 1)) {
    throw new SelectionOptionError('energyRatio', `energyRatio must be a number in [0, 1], got ${show(energyRatio)}`);
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new SelectionOptionError('seed', `seed must be a safe integer, got ${show(seed)}`);
  }
  const variant = options.variant ?? 'separable';
  if (!VARIANTS.includes(variant)) throw new SelectionOptionError('variant', `variant must be 'separable' or 'true', got ${show(variant)}`);
  const normalization = options.normalization ?? 'backward';
  if (!NORMALIZATIONS.includes(normalization)) {
    throw new SelectionOptionError('normalization', `normalization must be 'backward', 'ortho' or 'forward', got ${show(normalization)}`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new SelectionOptionError('onProgress', `onProgress must be a function, got ${show(options.onProgress)}`);
  }
  const misplaced = (strategy === 'per-layer' ? GLOBAL_ONLY : PER_LAYER_ONLY).find((key) => options[key] !== undefined);
  if (misplaced !== undefined) {
    throw new SelectionOptionError(misplaced, `${misplaced} does not apply to strategy '${strategy}' (got ${show(options[misplaced])})`);
  }

  if (strategy === 'per-layer') {
    const perLayer = positiveInteger('perLayer', options.perLayer);
    const { energyThreshold } = options;
    if (energyThreshold !== undefined && (typeof energyThreshold !== 'number' || !(energyThreshold > 0 && energyThreshold <= 1))) {
      throw new SelectionOptionError('energyThreshold', `energyThreshold must be a number in (0, 1], got ${show(energyThreshold)}`);
    }
    return {
      strategy,
      perLayer,
      energyRatio,
      seed,
      ...(energyThreshold !== undefined ? { energyThreshold } : {}),
      variant,
      normalization,
    };
  }

  const budget = positiveInteger('budget', options.budget);
  const score = options.score ?? DEFAULT_GLOBAL_SCORE;
  if (!SCORES.includes(score)) throw new SelectionOptionError('score', `score must be 'mean-relative-energy', 'relative-energy' or 'energy', got ${show(score)}`);
  const minPerLayer = options.minPerLayer ?? 0;
  if (typeof minPerLayer !== 'number' || !Number.isSafeInteger(minPerLayer) || minPerLayer < 0) {
    throw new SelectionOptionError('minPerLayer', `minPerLayer must be an integer ≥ 0, got ${show(minPerLayer)}`);
  }
  if (minPerLayer > budget) {
    throw new SelectionOptionError('minPerLayer', `minPerLayer ${minPerLayer} exceeds the budget ${budget}`);
  }
  const maxPerLayer = options.maxPerLayer === undefined ? undefined : positiveInteger('maxPerLayer', options.maxPerLayer);
  if (maxPerLayer !== undefined && maxPerLayer < minPerLayer) {
    throw new SelectionOptionError('maxPerLayer', `maxPerLayer ${maxPerLayer} is below minPerLayer ${minPerLayer}`);
  }
  return {
    strategy,
    budget,
    energyRatio,
    seed,
    score,
    minPerLayer,
    ...(maxPerLayer !== undefined ? { maxPerLayer } : {}),
    variant,
    normalization,
  };
}
