/**
 * The cross-layer pool on its own, fed prepared layers directly: against the previous pool
 * (test/legacy-global.ts: ranked candidates merged into a sorted pool), on scores that tie often —
 * equal energies, and different energies whose scores round to the same double (energies one ulp
 * apart just below 2, divided by a total of 1.9999) — so that every branch of the cut is taken:
 * ties at the cut score across layers and, within a layer, across different energies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GlobalSelector, type LayerEvidence } from '../src/global';
import { resolveOptions } from '../src/options';
import { GlobalSelector as LegacySelector, type LayerEvidence as LegacyEvidence } from './legacy-global';

const ULP_BELOW_TWO = 2 ** -52;

/** One synthetic layer: every position's energy, a total energy (the score's divisor), a random order of its positions. */
interface SyntheticLayer {
  energies: number[];
  totalEnergy: number;
  order: number[];
}

/** Energies one ulp apart just below 2: divided by 1.9999 or 2 − 8 ulp, neighbours round to the same score. */
const arbCollidingEnergy = fc.integer({ min: 1, max: 4 }).map((j) => 2 - j * ULP_BELOW_TWO);

const arbLayer = (energy: fc.Arbitrary<number>): fc.Arbitrary<SyntheticLayer> => fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    energies: fc.array(energy, { minLength: n, maxLength: n }),
    totalEnergy: fc.constantFrom(1.9999, 2 - 8 * ULP_BELOW_TWO, 1.5, 3, 1, 0),
    order: fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
  }),
);

/** The layer's best `kept` positions (energy descending, lower index first). */
function ranked(layer: SyntheticLayer, kept: number): number[] {
  return layer.energies
    .map((_, i) => i)
    .sort((a, b) => layer.energies[b]! - layer.energies[a]! || a - b)
    .slice(0, kept);
}

const arbMixedEnergy = fc.oneof(
  { arbitrary: arbCollidingEnergy, weight: 4 },
  { arbitrary: fc.constantFrom(0, 1, 0.5, 3), weight: 2 },
  { arbitrary: fc.double({ min: 0, max: 4, noNaN: true }), weight: 1 },
);

type Options = ReturnType<typeof resolveOptions>;

/**
 * Both pools fed the same layers (each layer's best `kept` positions, the whole random permutation
 * as draws); the current one with the given slack and, if `useFloor`, only the candidates its
 * admission floor leaves. Their plans must be equal.
 */
function expectSamePlans(layers: SyntheticLayer[], options: Options, slack: number, useFloor: boolean): void {
  const { budget, score } = options as Required<Pick<Options, 'budget' | 'score'>>;
  const minPerLayer = options.minPerLayer ?? 0;
  const maxPerLayer = options.maxPerLayer;
  const current = new GlobalSelector(options, slack);
  const previous = new LegacySelector(options);
  layers.forEach((layer, ordinal) => {
    const n = layer.energies.length;
    const kept = Math.min(n, maxPerLayer ?? n, minPerLayer + budget - minPerLayer * (ordinal + 1));
    const top = ranked(layer, kept);
    // The current pool may be given fewer candidates: those the admission floor leaves (at
    // least every position scoring above it), as prepare() does; the previous one gets all.
    const floor = useFloor ? current.admissionFloor(ordinal) : undefined;
    const divisor = score === 'energy' ? 1 : layer.totalEnergy > 0 ? (score === 'relative-energy' ? layer.totalEnergy : layer.totalEnergy / n) : 0;
    const above = floor === undefined ? n : layer.energies.filter((e) => (divisor === 0 ? 0 : e / divisor) > floor).length;
    const admitted = top.slice(0, Math.max(Math.min(kept, minPerLayer), Math.min(kept, minPerLayer + above)));
    // The whole random permutation as draws: every prefix the pools keep is a prefix of it.
    const draws = { positions: Uint32Array.from(layer.order), energies: Float64Array.from(layer.order, (p) => layer.energies[p]!) };
    const base = { name: `layer${ordinal}`, rows: 1, cols: n, ordinal, fingerprint: 'fp', totalEnergy: layer.totalEnergy };
    const byIndex = [...admitted].sort((a, b) => a - b);
    const worst = admitted.length > 0 ? admitted[admitted.length - 1]! : undefined;
    const evidence: LayerEvidence = {
      ...base,
      top: {
        indices: Uint32Array.from(byIndex),
        energies: Float64Array.from(byIndex, (p) => layer.energies[p]!),
        boundary: worst === undefined ? undefined : { energy: layer.energies[worst]!, index: worst },
      },
      draws: { positions: draws.positions.slice(), energies: draws.energies.slice() },
    };
    const legacy: LegacyEvidence = {
      ...base,
      top: { indices: Uint32Array.from(top), energies: Float64Array.from(top, (p) => layer.energies[p]!) },
      draws,
    };
    current.accept(evidence);
    previous.accept(legacy);
  });
  expect(current.finish()).toEqual(previous.finish());
}

describe('the cross-layer pool against the previous one', () => {
  for (const [label, energy] of [
    ['with score ties of equal and of different energies', arbMixedEnergy],
    ["when the cut falls inside a layer's tied scores of different energies", arbCollidingEnergy],
  ] as const) {
    it(`same plan for any budget, minPerLayer, maxPerLayer, score and ratio, ${label}`, () => {
      fc.assert(
        fc.property(
          fc.array(arbLayer(energy), { minLength: 1, maxLength: 5 }),
          fc.oneof(fc.double({ min: 0, max: 0.3, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
          fc.constantFrom<'mean-relative-energy' | 'relative-energy' | 'energy'>('mean-relative-energy', 'relative-energy', 'energy'),
          fc.constantFrom(1, 0.5, 0),
          fc.constantFrom(0, 3, 65536),
          fc.boolean(),
          (layers, fraction, minShare, cap, score, energyRatio, slack, useFloor) => {
            const sizes = layers.map((l) => l.energies.length);
            const smallest = Math.min(...sizes);
            const maxPerLayer = cap === undefined ? undefined : Math.max(1, Math.round(cap * smallest));
            const available = sizes.reduce((a, n) => a + Math.min(n, maxPerLayer ?? n), 0);
            const budget = Math.max(1, Math.round(fraction * available));
            const minPerLayer = Math.floor(minShare * Math.min(maxPerLayer ?? smallest, smallest, Math.floor(budget / layers.length)));
            expectSamePlans(layers, resolveOptions({ strategy: 'global', budget, energyRatio, seed: 1, score, minPerLayer, maxPerLayer }), slack, useFloor);
          },
        ),
        { numRuns: 300 },
      );
    });
  }

  it('the cut inside one layer\'s ties: of equal energies, and of different energies whose scores round alike', () => {
    const order = [3, 0, 2, 1];
    // Layer 1's higher scores push the cut into layer 0's four tied entries: two of them stay.
    const equal: SyntheticLayer[] = [
      { energies: [1, 1, 1, 1], totalEnergy: 1, order },
      { energies: [5, 5, 0.1, 0.1], totalEnergy: 1, order },
    ];
    for (const slack of [0, 65536]) expectSamePlans(equal, resolveOptions({ strategy: 'global', budget: 4, energyRatio: 1, seed: 1, score: 'energy' }), slack, false);
    // Two different energies in layer 0, one score: the two entries of the higher energy stay.
    const total = 1.9999;
    const colliding = [2 - 2 * ULP_BELOW_TWO, 2 - ULP_BELOW_TWO, 2 - 2 * ULP_BELOW_TWO, 2 - ULP_BELOW_TWO];
    expect(new Set(colliding).size).toBe(2);
    expect(new Set(colliding.map((e) => e / total)).size).toBe(1);
    const mixed: SyntheticLayer[] = [
      { energies: colliding, totalEnergy: total, order },
      { energies: [5, 5, 0.1, 0.1], totalEnergy: total, order },
    ];
    for (const energyRatio of [1, 0.5]) {
      expectSamePlans(mixed, resolveOptions({ strategy: 'global', budget: 4, energyRatio, seed: 1, score: 'relative-energy' }), 0, false);
    }
  });
});
