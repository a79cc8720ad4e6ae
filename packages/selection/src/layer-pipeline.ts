import { FIRST_DIGIT_BINS, scanEnergies } from './energy-keys';
import { SelectionInputError } from './errors';
import { fingerprintFiniteWeights } from './fingerprint';
import { GlobalSelector, type LayerEvidence } from './global';
import { observe, type SelectionObserver } from './observer';
import { PerLayerSelector } from './per-layer';
import type { ScoredLayer } from './scored-layer';
import type { SpectrumWorkspace } from './spectrum-workspace';
import type { LayerInput, PlannedLayer, ResolvedSelectionOptions } from './types';

/** A layer after all the work that needs its weights: what the strategy's sequential part takes. */
export type PreparedLayer = { readonly kind: 'global'; readonly evidence: LayerEvidence } | { readonly kind: 'per-layer'; readonly planned: PlannedLayer };

/**
 * Everything of one layer that depends on that layer alone — finiteness check and fingerprint (one
 * pass), 2D DHT, total energy and key histogram (one pass), top-k and random draws — so that it
 * can run on any thread; the result is a pure function of the layer, its ordinal, the options and
 * (global) the admission floor of the pool, which only trims candidates that could never be chosen
 * (and, on the thread that owns the pool, its score-digit counts, which trim more).
 * The layer's shape must have been checked.
 */
export function prepareLayer(layer: LayerInput, ordinal: number, floor: number | undefined, options: ResolvedSelectionOptions, workspace: SpectrumWorkspace, observer?: SelectionObserver, poolDigits?: Uint32Array): PreparedLayer {
  const { name, rows, cols, weights } = layer;
  const fingerprint = observe(observer, 'check', () => fingerprintFiniteWeights(name, weights, rows, cols));
  const scored = observe(observer, 'dht', (): ScoredLayer => {
    const spectrum = workspace.transform(weights, rows, cols);
    const firstDigits = new Uint32Array(FIRST_DIGIT_BINS);
    const totalEnergy = checkedTotal(name, spectrum, scanEnergies(spectrum, firstDigits));
    return { name, rows, cols, ordinal, fingerprint, spectrum, totalEnergy, firstDigits };
  });
  return observe(observer, 'rank', (): PreparedLayer =>
    options.strategy === 'per-layer'
      ? { kind: 'per-layer', planned: PerLayerSelector.prepare(scored, options) }
      : { kind: 'global', evidence: GlobalSelector.prepare(scored, options, floor, poolDigits) },
  );
}

/** The total energy Σ H² if finite; otherwise an error naming the first non-finite energy. */
function checkedTotal(name: string, spectrum: Float32Array | Float64Array, sum: number): number {
  if (Number.isFinite(sum)) return sum;
  for (let i = 0; i < spectrum.length; i++) {
    const h = spectrum[i]!;
    if (!Number.isFinite(h * h)) {
      throw new SelectionInputError(name, `layer '${name}': spectral energy at flat index ${i} is ${h * h} (H = ${h}); the weights are too large for ${spectrum instanceof Float32Array ? 'float32' : 'float64'}`, i);
    }
  }
  throw new SelectionInputError(name, `layer '${name}': total spectral energy overflows float64 (${sum})`);
}
