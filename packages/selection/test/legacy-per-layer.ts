// The 'per-layer' strategy as it was before it used the top-k set (ranked top-k, positions sorted at assembly), kept verbatim
// (imports aside) as the reference plans are compared with byte for byte (test/top-energy.test.ts,
// test/global-pool.test.ts).
import { assembleLayer } from './legacy-assemble';
import { SelectionInputError } from '../src/errors';
import { createRandom, layerStreamSeed } from '../src/random';
import { drawOutside, firstOutside, PermutationStream, type RankBoundary } from '../src/random-positions';
import { referenceEnergyCount } from '../src/reference-count';
import type { PositionSelector, ScoredLayer } from '../src/scored-layer';
import { topEnergyPositions } from '../src/top-energy';
import type { PlannedLayer, ResolvedSelectionOptions } from '../src/types';

/**
 * `'per-layer'`: each layer gets `perLayer` = n positions, ⌊δ·n⌋ of them (or the reference rule's
 * count) the top positions by H², the rest the first entries of the layer's seeded random
 * permutation that are not already chosen. Finishes each layer as it arrives, so only its
 * spectrum and its n positions are held.
 */
export class PerLayerSelector implements PositionSelector {
  private readonly planned: PlannedLayer[] = [];

  constructor(private readonly options: ResolvedSelectionOptions) {}

  add(layer: ScoredLayer): void {
    this.accept(PerLayerSelector.prepare(layer, this.options));
  }

  /** Takes a finished layer (layers must arrive in input order). */
  accept(layer: PlannedLayer): void {
    this.planned.push(layer);
  }

  /** Everything of one layer: needs only its spectrum, so it can run on another thread. */
  static prepare(layer: ScoredLayer, options: ResolvedSelectionOptions): PlannedLayer {
    const count = options.perLayer!;
    const positions = layer.rows * layer.cols;
    if (count > positions) {
      throw new SelectionInputError(layer.name, `perLayer ${count} exceeds the ${positions} positions available in layer '${layer.name}' (${layer.rows}×${layer.cols})`);
    }
    const cap = Math.floor(options.energyRatio * count);
    const top = topEnergyPositions(layer.spectrum, cap, 'auto', layer.firstDigits);
    const threshold = options.energyThreshold;
    const energyCount = threshold === undefined ? cap : referenceEnergyCount(top.energies, layer.totalEnergy, threshold, cap);
    const boundary: RankBoundary | undefined = energyCount > 0 ? { energy: top.energies[energyCount - 1]!, index: top.indices[energyCount - 1]! } : undefined;
    const stream = new PermutationStream(createRandom(layerStreamSeed(options.seed, layer.name)), positions);
    const draws = drawOutside(stream, layer.spectrum, boundary, count - energyCount);
    const slots = firstOutside(draws, boundary, count - energyCount);
    return assembleLayer({
        name: layer.name,
        rows: layer.rows,
        cols: layer.cols,
        fingerprint: layer.fingerprint,
        totalEnergy: layer.totalEnergy,
        energyIndices: top.indices.subarray(0, energyCount),
        energyEnergies: top.energies.subarray(0, energyCount),
        randomIndices: slots.map((s) => draws.positions[s]!),
        randomEnergies: Float64Array.from(slots, (s) => draws.energies[s]!),
    });
  }

  finish(): PlannedLayer[] {
    return this.planned;
  }
}
