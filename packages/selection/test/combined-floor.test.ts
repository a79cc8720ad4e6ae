/**
 * The tighter admission floor a layer gets on the pool's own thread (the pool's score-digit counts
 * together with the layer's own histogram): it must leave the plan exactly as the pool-only floor
 * does, and it must actually trim — a later layer like the earlier ones collects about its share.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIRST_DIGIT_BINS, scanEnergies } from '../src/energy-keys';
import { GlobalSelector } from '../src/global';
import { resolveOptions } from '../src/options';
import type { ScoredLayer } from '../src/scored-layer';
import { createRandom } from '../src/random';

/** A noise spectrum of rows × cols (both float types), scaled, with ties when `integer`. */
function scoredLayer(name: string, ordinal: number, rows: number, cols: number, seed: number, scale: number, float32: boolean, integer: boolean): ScoredLayer {
  const random = createRandom(seed);
  const n = rows * cols;
  const spectrum = float32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = random.nextDouble() - 0.5;
    spectrum[i] = integer ? Math.round(u * 16) * scale : u * scale;
  }
  const firstDigits = new Uint32Array(FIRST_DIGIT_BINS);
  const totalEnergy = scanEnergies(spectrum, firstDigits);
  return { name, rows, cols, ordinal, fingerprint: name, spectrum, totalEnergy, firstDigits };
}

describe('the combined admission floor', () => {
  it('gives the plan of the pool-only floor, and trims at least as much', () => {
    fc.assert(
      fc.property(
        fc.record({
          budget: fc.integer({ min: 150, max: 20000 }), // ≥ minPerLayer × layers
          minPerLayer: fc.constantFrom(0, 1, 50),
          maxPerLayer: fc.constantFrom(undefined, 12000), // × 2 layers ≥ the largest budget
          score: fc.constantFrom<'mean-relative-energy' | 'relative-energy' | 'energy'>('mean-relative-energy', 'relative-energy', 'energy'),
          energyRatio: fc.constantFrom(1, 0.5),
          float32: fc.boolean(),
          integer: fc.boolean(),
          scales: fc.array(fc.constantFrom(1, 0.5, 3, 0), { minLength: 2, maxLength: 3 }),
          seed: fc.integer(),
        }),
        ({ budget, minPerLayer, maxPerLayer, score, energyRatio, float32, integer, scales, seed }) => {
          const options = resolveOptions({ strategy: 'global', budget, minPerLayer, maxPerLayer, score, energyRatio, seed: 7 });
          const layers = scales.map((scale, l) => scoredLayer(`l${l}`, l, 256, 260 + l, seed + l, scale, float32, integer));
          const looser = new GlobalSelector(options);
          const tighter = new GlobalSelector(options);
          for (const layer of layers) {
            const a = GlobalSelector.prepare(layer, options, looser.admissionFloor(layer.ordinal));
            const b = GlobalSelector.prepare(layer, options, tighter.admissionFloor(layer.ordinal), tighter.poolDigits());
            expect(b.top.indices.length).toBeLessThanOrEqual(a.top.indices.length);
            looser.accept(a);
            tighter.accept(b);
          }
          expect(tighter.finish()).toStrictEqual(looser.finish());
        },
      ),
      { numRuns: 12 },
    );
  });

  it('a second layer like the first collects about its share, not the whole budget', () => {
    const options = resolveOptions({ strategy: 'global', budget: 6000, energyRatio: 1, score: 'energy', seed: 1 });
    const first = scoredLayer('a', 0, 256, 256, 1, 1, true, false);
    const second = scoredLayer('b', 1, 256, 256, 2, 1, true, false);
    const selector = new GlobalSelector(options);
    selector.accept(GlobalSelector.prepare(first, options));
    const poolOnly = GlobalSelector.prepare(second, options, selector.admissionFloor(1));
    const combined = GlobalSelector.prepare(second, options, selector.admissionFloor(1), selector.poolDigits());
    expect(poolOnly.top.indices.length).toBeGreaterThan(5000);
    expect(combined.top.indices.length).toBeLessThan(4000);
    expect(combined.top.indices.length).toBeGreaterThan(2500);
  });
});
