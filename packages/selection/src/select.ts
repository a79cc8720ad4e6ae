import { SelectionInputError, SelectionOptionError } from './errors';
import { fingerprintWeights } from './fingerprint';
import { GlobalSelector } from './global';
import { checkFiniteWeights, checkLayerShape } from './layer-check';
import { resolveOptions } from './options';
import { PerLayerSelector } from './per-layer';
import type { LayerSelector, ScoredLayer } from './scored-layer';
import { SpectrumWorkspace } from './spectrum-workspace';
import { SELECTION_PLAN_VERSION, type LayerInput, type LayerSource, type ResolvedSelectionOptions, type SelectionOptions, type SelectionPlan } from './types';

/** Wall-clock milliseconds per phase, accumulated by {@link runSelection} when asked (benchmarks). */
export interface PhaseTimes {
  /** Shape and finiteness checks and the fingerprint. */
  checkMs: number;
  /** The 2D DHT and the total-energy pass over the spectrum. */
  dhtMs: number;
  /** Top-k scoring, cross-layer ranking, random draws, assembling the plan. */
  rankMs: number;
}

/**
 * Chooses the spectral positions SSH trains, for every layer of a model (docs/method.md, "The adapter", step 2).
 *
 * Each layer's 2D DHT H is computed once (variant/normalisation as given); its energy is H².
 * `'per-layer'` gives every layer `perLayer` positions; `'global'` distributes `budget` positions
 * over all layers by ranking their scores together (exact rules, with `minPerLayer`/`maxPerLayer`,
 * in the package README). In both, ⌊energyRatio·n⌋ positions are the top ones by
 * energy — ties broken by the lower flat index, then (global) the earlier layer — and the rest are
 * drawn uniformly without repetition from the layer's other positions by a sparse Fisher–Yates
 * shuffle on `createRandom(layerStreamSeed(seed, layer.name))`: the plan is a pure function of the
 * layers' names, shapes and values, the options and the seed — byte-identical for array and stream
 * input, on any machine.
 *
 * `layers` may be an array or a (async) iterable: a stream is consumed one layer at a time, no
 * reference to a layer's weights is kept after it is scored, and every spectrum is computed into
 * one reused buffer, so peak memory is about one weight matrix, one spectrum and O(budget)
 * candidates. Options are validated before any layer
 * is read; an array's shapes, names and counts are checked before any transform. Errors are
 * {@link SelectionOptionError} / {@link SelectionInputError}; no partial plan is ever returned.
 *
 * @example
 * ```ts
 * import { selectSpectrum, serializePlan } from '@ssh-peft/selection';
 * const weights = Float32Array.from({ length: 64 * 32 }, (_, i) => Math.sin(i));
 * const plan = await selectSpectrum([{ name: 'dense', rows: 64, cols: 32, weights }], {
 *   strategy: 'per-layer', perLayer: 100, energyRatio: 0.7, seed: 1,
 * });
 * plan.layers[0].indices;        // Uint32Array(100), flat positions u·cols + v, ascending
 * plan.layers[0].energyChosen;   // 70
 * const text = serializePlan(plan);
 * ```
 */
export function selectSpectrum(layers: LayerSource, options: SelectionOptions): Promise<SelectionPlan> {
  return runSelection(layers, options);
}

/** {@link selectSpectrum} with optional phase timing (for the benchmark). */
export async function runSelection(layers: LayerSource, options: SelectionOptions, times?: PhaseTimes): Promise<SelectionPlan> {
  const resolved = resolveOptions(options);
  const isArray = Array.isArray(layers);
  if (isArray) precheckArray(layers as readonly LayerInput[], resolved);
  else if (layers === null || typeof layers !== 'object' || (!(Symbol.asyncIterator in layers) && !(Symbol.iterator in layers))) {
    throw new SelectionOptionError('layers', `layers must be an array or a (async) iterable of { name, rows, cols, weights }, got ${String(layers)}`);
  }
  const total = isArray ? (layers as readonly LayerInput[]).length : undefined;
  const selector: LayerSelector = resolved.strategy === 'per-layer' ? new PerLayerSelector(resolved) : new GlobalSelector(resolved);
  const workspace = new SpectrumWorkspace(resolved.variant, resolved.normalization);
  const seen = new Set<string>();
  let done = 0;
  for await (const layer of layers as AsyncIterable<LayerInput>) {
    let t0 = performance.now();
    checkLayerShape(layer, done, seen);
    seen.add(layer.name);
    checkFiniteWeights(layer.name, layer.weights, layer.cols);
    const fingerprint = fingerprintWeights(layer.weights, layer.rows, layer.cols);
    let t1 = performance.now();
    if (times) times.checkMs += t1 - t0;
    const spectrum = workspace.transform(layer.weights, layer.rows, layer.cols);
    const totalEnergy = spectralEnergy(layer.name, spectrum);
    t0 = performance.now();
    if (times) times.dhtMs += t0 - t1;
    const scored: ScoredLayer = { name: layer.name, rows: layer.rows, cols: layer.cols, ordinal: done, fingerprint, spectrum, totalEnergy };
    selector.add(scored);
    t1 = performance.now();
    if (times) times.rankMs += t1 - t0;
    done++;
    options.onProgress?.(done, total, layer.name);
  }
  if (done === 0) throw new SelectionInputError('layers', 'no layers to select from (the layer list is empty)');
  const t0 = performance.now();
  const planned = selector.finish();
  if (times) times.rankMs += performance.now() - t0;
  return { version: SELECTION_PLAN_VERSION, options: resolved, layers: planned };
}

/** Σ H² in flat index order; a non-finite sum (overflow) names the first non-finite energy. */
function spectralEnergy(name: string, spectrum: Float32Array | Float64Array): number {
  let sum = 0;
  for (let i = 0; i < spectrum.length; i++) {
    const h = spectrum[i]!;
    sum += h * h;
  }
  if (Number.isFinite(sum)) return sum;
  for (let i = 0; i < spectrum.length; i++) {
    const h = spectrum[i]!;
    if (!Number.isFinite(h * h)) {
      throw new SelectionInputError(name, `layer '${name}': spectral energy at flat index ${i} is ${h * h} (H = ${h}); the weights are too large for ${spectrum instanceof Float32Array ? 'float32' : 'float64'}`, i);
    }
  }
  throw new SelectionInputError(name, `layer '${name}': total spectral energy overflows float64 (${sum})`);
}

/** An array's problems that need no transform are reported before any work. */
function precheckArray(layers: readonly LayerInput[], options: ResolvedSelectionOptions): void {
  if (layers.length === 0) throw new SelectionInputError('layers', 'no layers to select from (the layer list is empty)');
  const seen = new Set<string>();
  layers.forEach((layer, i) => {
    checkLayerShape(layer, i, seen);
    seen.add(layer.name);
  });
  if (options.strategy === 'per-layer') {
    for (const layer of layers) {
      const positions = layer.rows * layer.cols;
      if (options.perLayer! > positions) {
        throw new SelectionInputError(layer.name, `perLayer ${options.perLayer} exceeds the ${positions} positions available in layer '${layer.name}' (${layer.rows}×${layer.cols})`);
      }
    }
    return;
  }
  const budget = options.budget!;
  const minPerLayer = options.minPerLayer ?? 0;
  let available = 0;
  for (const layer of layers) {
    const positions = layer.rows * layer.cols;
    if (minPerLayer > positions) {
      throw new SelectionInputError(layer.name, `minPerLayer ${minPerLayer} exceeds the ${positions} positions available in layer '${layer.name}' (${layer.rows}×${layer.cols})`);
    }
    available += Math.min(positions, options.maxPerLayer ?? positions);
  }
  if (minPerLayer * layers.length > budget) {
    throw new SelectionOptionError('minPerLayer', `minPerLayer ${minPerLayer} × ${layers.length} layers = ${minPerLayer * layers.length} exceeds the budget ${budget}`);
  }
  if (available < budget) {
    const cap = options.maxPerLayer === undefined ? 'rows·cols' : `min(rows·cols, maxPerLayer ${options.maxPerLayer})`;
    throw new SelectionOptionError('budget', `budget ${budget} exceeds the ${available} positions available (Σ ${cap} over ${layers.length} layers)`);
  }
}
