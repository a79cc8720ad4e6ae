// Plan assembly as it was before the energy positions could arrive already in index order, kept verbatim
// (imports aside) as the reference plans are compared with byte for byte (test/top-energy.test.ts,
// test/global-pool.test.ts).
import { orderByPosition } from '../src/radix-order';
import type { PlannedLayer } from '../src/types';

/** What a strategy has decided for one layer, before the positions are sorted. */
export interface LayerChoice {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly fingerprint: string;
  /** Σ H² over the whole layer (summed in flat index order). */
  readonly totalEnergy: number;
  /** Positions chosen by energy and their H². */
  readonly energyIndices: Uint32Array;
  readonly energyEnergies: Float64Array;
  /** Positions of the random share and their H². */
  readonly randomIndices: Uint32Array;
  readonly randomEnergies: Float64Array;
}

/**
 * Turns a choice into a plan layer: positions sorted ascending, captured energy summed in that
 * (ascending index) order so that it does not depend on how the positions were found, and
 * clamped to [0, 1] against rounding; 0 for an all-zero spectrum.
 */
export function assembleLayer(choice: LayerChoice): PlannedLayer {
  const e = choice.energyIndices.length;
  const m = e + choice.randomIndices.length;
  const positions = new Uint32Array(m);
  const energies = new Float64Array(m);
  positions.set(choice.energyIndices, 0);
  positions.set(choice.randomIndices, e);
  energies.set(choice.energyEnergies, 0);
  energies.set(choice.randomEnergies, e);
  const order = orderByPosition(positions);
  const indices = new Uint32Array(m);
  let captured = 0;
  for (let i = 0; i < m; i++) {
    indices[i] = positions[order[i]!]!;
    captured += energies[order[i]!]!;
  }
  const share = choice.totalEnergy > 0 ? Math.min(1, captured / choice.totalEnergy) : 0;
  return {
    name: choice.name,
    rows: choice.rows,
    cols: choice.cols,
    indices,
    energyChosen: e,
    capturedEnergy: share,
    fingerprint: choice.fingerprint,
  };
}
