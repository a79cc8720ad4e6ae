import { SelectionInputError } from './errors';
import { fingerprintWeights } from './fingerprint';
import { GlobalSelector, type LayerEvidence } from './global';
import { checkFiniteWeights } from './layer-check';
import { PerLayerSelector } from './per-layer';
import type { SpectrumWorkspace } from './spectrum-workspace';
import type { LayerInput, PlannedLayer, ResolvedSelectionOptions } from './types';

/** Wall-clock milliseconds per phase, accumulated when asked (benchmarks). */
export interface PhaseTimes {
  /** Shape and finiteness checks and the fingerprint. */
  checkMs: number;
  /** The 2D DHT and the total-energy pass over the spectrum. */
  dhtMs: number;
  /** Top-k scoring, cross-layer ranking, random draws, assembling the plan. */
  rankMs: number;
}

/** A layer after all the work that needs its weights: what the strategy's sequential part takes. */
export type PreparedLayer = { readonly kind: 'global'; readonly evidence: LayerEvidence } | { readonly kind: 'per-layer'; readonly planned: PlannedLayer };

/**
 * Everything of one layer that depends on that layer alone — finiteness check, fingerprint, 2D DHT,
 * total energy, top-k and random draws — so that it can run on any thread; the result is a pure
 * function of the layer, its ordinal and the options. The layer's shape must have been checked.
 */
export function prepareLayer(layer: LayerInput, ordinal: number, options: ResolvedSelectionOptions, workspace: SpectrumWorkspace, times?: PhaseTimes): PreparedLayer {
  let t0 = performance.now();
  checkFiniteWeights(layer.name, layer.weights, layer.cols);
  const fingerprint = fingerprintWeights(layer.weights, layer.rows, layer.cols);
  let t1 = performance.now();
  if (times) times.checkMs += t1 - t0;
  const spectrum = workspace.transform(layer.weights, layer.rows, layer.cols);
  const totalEnergy = spectralEnergy(layer.name, spectrum);
  t0 = performance.now();
  if (times) times.dhtMs += t0 - t1;
  const scored = { name: layer.name, rows: layer.rows, cols: layer.cols, ordinal, fingerprint, spectrum, totalEnergy };
  const prepared: PreparedLayer =
    options.strategy === 'per-layer'
      ? { kind: 'per-layer', planned: PerLayerSelector.prepare(scored, options) }
      : { kind: 'global', evidence: GlobalSelector.prepare(scored, options) };
  t1 = performance.now();
  if (times) times.rankMs += t1 - t0;
  return prepared;
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
