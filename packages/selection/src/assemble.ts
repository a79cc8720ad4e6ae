import { orderByPosition } from './radix-order';
import type { PlannedLayer } from './types';

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
  /** Whether `energyIndices` are already ascending (a top-k set); otherwise they are sorted here. */
  readonly energyAscending?: boolean;
  /** Positions of the random share and their H² (any order; disjoint from the energy positions). */
  readonly randomIndices: Uint32Array;
  readonly randomEnergies: Float64Array;
}

/** Positions ascending with their energies: the same arrays when already ascending, else sorted copies. */
function ascending(indices: Uint32Array, energies: Float64Array, sorted: boolean): [Uint32Array, Float64Array] {
  if (sorted || indices.length < 2) return [indices, energies];
  const order = orderByPosition(indices);
  const m = indices.length;
  const outIndices = new Uint32Array(m);
  const outEnergies = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    outIndices[i] = indices[order[i]!]!;
    outEnergies[i] = energies[order[i]!]!;
  }
  return [outIndices, outEnergies];
}

/**
 * Turns a choice into a plan layer: positions sorted ascending (the energy and the random
 * positions each ordered, then merged), captured energy summed in that (ascending index) order so
 * that it does not depend on how the positions were found, and clamped to [0, 1] against
 * rounding; 0 for an all-zero spectrum.
 */
export function assembleLayer(choice: LayerChoice): PlannedLayer {
  const [eIndices, eEnergies] = ascending(choice.energyIndices, choice.energyEnergies, choice.energyAscending === true);
  const [rIndices, rEnergies] = ascending(choice.randomIndices, choice.randomEnergies, false);
  const e = eIndices.length;
  const r = rIndices.length;
  const indices = new Uint32Array(e + r);
  let captured = 0;
  let i = 0;
  let j = 0;
  let w = 0;
  while (i < e && j < r) {
    if (eIndices[i]! < rIndices[j]!) {
      indices[w++] = eIndices[i]!;
      captured += eEnergies[i++]!;
    } else {
      indices[w++] = rIndices[j]!;
      captured += rEnergies[j++]!;
    }
  }
  for (; i < e; i++) {
    indices[w++] = eIndices[i]!;
    captured += eEnergies[i]!;
  }
  for (; j < r; j++) {
    indices[w++] = rIndices[j]!;
    captured += rEnergies[j]!;
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
