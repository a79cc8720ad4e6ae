import { assembleLayer } from './assemble';
import { SelectionInputError } from './errors';
import { createRandom, layerStreamSeed } from './random';
import { drawOutside, PermutationStream, takeOutside, type RankBoundary } from './random-positions';
import { referenceEnergyCount } from './reference-count';
import type { PositionSelector, ScoredLayer } from './scored-layer';
import { topEnergyPositions } from './top-energy';
import { topEnergySet } from './top-energy-set';
import type { PlannedLayer, ResolvedSelectionOptions } from './types';

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
    const threshold = options.energyThreshold;
    let energyIndices: Uint32Array;
    let energyEnergies: Float64Array;
    let boundary: RankBoundary | undefined;
    if (threshold === undefined) {
      // Exactly the top `cap`: their set is all the plan needs (its positions are listed ascending).
      const top = topEnergySet(layer.spectrum, cap, layer.firstDigits);
      energyIndices = top.indices;
      energyEnergies = top.energies;
      boundary = top.boundary;
    } else {
      // The reference rule's count comes from cumulative sums in rank order.
      const top = topEnergyPositions(layer.spectrum, cap, 'auto', layer.firstDigits);
      const energyCount = referenceEnergyCount(top.energies, layer.totalEnergy, threshold, cap);
      energyIndices = top.indices.subarray(0, energyCount);
      energyEnergies = top.energies.subarray(0, energyCount);
      boundary = energyCount > 0 ? { energy: top.energies[energyCount - 1]!, index: top.indices[energyCount - 1]! } : undefined;
    }
    const randomCount = count - energyIndices.length;
    const stream = new PermutationStream(createRandom(layerStreamSeed(options.seed, layer.name)), positions);
    const draws = drawOutside(stream, layer.spectrum, boundary, randomCount);
    const random = takeOutside(draws, boundary, randomCount);
    return assembleLayer({
      name: layer.name,
      rows: layer.rows,
      cols: layer.cols,
      fingerprint: layer.fingerprint,
      totalEnergy: layer.totalEnergy,
      energyIndices,
      energyEnergies,
      energyAscending: threshold === undefined,
      randomIndices: random.indices,
      randomEnergies: random.energies,
    });
  }

  finish(): PlannedLayer[] {
    return this.planned;
  }
}
