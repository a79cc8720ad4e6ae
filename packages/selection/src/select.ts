import { SelectionInputError, SelectionOptionError } from './errors';
import { loadSimd } from '@ssh-peft/hartley';
import { GlobalSelector } from './global';
import { checkLayerShape } from './layer-check';
import { prepareLayer, type PreparedLayer } from './layer-pipeline';
import { observe, type SelectionObserver } from './observer';
import { resolveOptions } from './options';
import { PerLayerSelector } from './per-layer';
import { SpectrumWorkspace } from './spectrum-workspace';
import { openPool } from './worker-pool';
import { SELECTION_PLAN_VERSION, type LayerInput, type LayerSource, type ResolvedSelectionOptions, type SelectionOptions, type SelectionPlan } from './types';

export { phaseTimer, type PhaseTimes, type SelectionObserver } from './observer';

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

/** {@link selectSpectrum}, telling `observer` (if any) the time of each phase (the benchmark's entry). */
export async function runSelection(layers: LayerSource, options: SelectionOptions, observer?: SelectionObserver): Promise<SelectionPlan> {
  const resolved = resolveOptions(options);
  const workers = readWorkers(options);
  const isArray = Array.isArray(layers);
  if (isArray) precheckArray(layers as readonly LayerInput[], resolved);
  else if (layers === null || typeof layers !== 'object' || (!(Symbol.asyncIterator in layers) && !(Symbol.iterator in layers))) {
    throw new SelectionOptionError('layers', `layers must be an array or a (async) iterable of { name, rows, cols, weights }, got ${String(layers)}`);
  }
  const total = isArray ? (layers as readonly LayerInput[]).length : undefined;
  const global = resolved.strategy === 'global' ? new GlobalSelector(resolved) : null;
  const perLayer = resolved.strategy === 'per-layer' ? new PerLayerSelector(resolved) : null;
  let done = 0;
  const accept = (prepared: PreparedLayer, name: string): void => {
    observe(observer, 'rank', () => (prepared.kind === 'global' ? global!.accept(prepared.evidence) : perLayer!.accept(prepared.planned)));
    done++;
    options.onProgress?.(done, total, name);
  };
  // Float32 spectra are the same on every thread only if every thread takes the same path: the
  // WebAssembly SIMD module is compiled before the first transform (asynchronously, as browsers need).
  await loadSimd();
  const pool = await openPool(workers, resolved);
  const workspace = new SpectrumWorkspace(resolved.variant, resolved.normalization);
  const seen = new Set<string>();
  let read = 0;
  const take = async (layer: LayerInput): Promise<void> => {
    checkLayerShape(layer, read, seen);
    const { name } = layer;
    seen.add(name);
    const ordinal = read++;
    if (pool !== null && pool.takes(layer)) {
      // Large layers go to the worker threads, several at a time; results are accepted strictly
      // in input order, so the plan is the one-thread plan bit for bit.
      await pool.submit(layer, ordinal, global?.admissionFloor(ordinal), (prepared, times) => {
        observer?.phase('check', times.checkMs);
        observer?.phase('dht', times.dhtMs);
        observer?.phase('rank', times.rankMs);
        accept(prepared, name);
      });
    } else {
      if (pool !== null) await pool.drain();
      accept(prepareLayer(layer, ordinal, global?.admissionFloor(ordinal), resolved, workspace, observer, global?.poolDigits()), name);
    }
  };
  try {
    await forEachLayer(layers as Iterable<LayerInput> | AsyncIterable<LayerInput>, take);
    if (pool !== null) await pool.drain();
  } finally {
    if (pool !== null) await pool.close();
  }
  if (done === 0) throw new SelectionInputError('layers', 'no layers to select from (the layer list is empty)');
  const planned = observe(observer, 'rank', () => (global !== null ? global.finish() : perLayer!.finish()));
  return { version: SELECTION_PLAN_VERSION, options: resolved, layers: planned };
}

/**
 * `for await (const layer of source) await take(layer)`, except that no reference to a layer is
 * left in this frame once `take` has returned: a suspended loop keeps its variables, so with
 * `for await` the previous layer stays reachable while the stream produces the next one — two
 * weight matrices alive where one suffices. Like `for await`: values of a sync iterable are
 * awaited, and the iterator is closed (`return()`) when `take` throws.
 */
async function forEachLayer(source: Iterable<LayerInput> | AsyncIterable<LayerInput>, take: (layer: LayerInput) => Promise<void>): Promise<void> {
  const sync = !(Symbol.asyncIterator in source);
  const iterator = sync ? (source as Iterable<LayerInput>)[Symbol.iterator]() : (source as AsyncIterable<LayerInput>)[Symbol.asyncIterator]();
  let step: IteratorResult<LayerInput> | undefined;
  let layer: LayerInput | undefined;
  for (;;) {
    step = await iterator.next();
    if (step.done === true) return;
    layer = sync ? await step.value : step.value;
    step = undefined;
    try {
      await take(layer);
    } catch (error) {
      layer = undefined;
      await iterator.return?.();
      throw error;
    }
    layer = undefined;
  }
}

/** The `workers` option: undefined (default), or an integer ≥ 1. */
function readWorkers(options: SelectionOptions): number | undefined {
  const { workers } = options;
  if (workers !== undefined && (typeof workers !== 'number' || !Number.isSafeInteger(workers) || workers < 1)) {
    throw new SelectionOptionError('workers', `workers must be an integer ≥ 1, got ${String(workers)}`);
  }
  return workers;
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
