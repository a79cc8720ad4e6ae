import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectSpectrum, serializePlan, type LayerInput } from '../src/index';
import { arbLayer, arbLayers, fullSortByEnergy, plainLayers, referenceGlobal, referencePerLayer, spectrumOf, streamOf } from './reference';

const arbRatio = fc.oneof(fc.constantFrom(0, 1, 0.5), fc.double({ min: 0, max: 1, noNaN: true }));
const arbSeed = fc.integer({ min: -(2 ** 40), max: 2 ** 40 });

/** A layer set plus a per-layer count that fits every layer. */
const arbPerLayerCase = arbLayers().chain((layers) => {
  const smallest = Math.min(...layers.map((l) => l.rows * l.cols));
  return fc.record({ layers: fc.constant(layers), perLayer: fc.integer({ min: 1, max: smallest }), energyRatio: arbRatio, seed: arbSeed });
});

/** A layer set plus a consistent global budget with min/max. */
const arbGlobalCase = arbLayers().chain((layers) => {
  const sizes = layers.map((l) => l.rows * l.cols);
  const smallest = Math.min(...sizes);
  return fc
    .record({ minPerLayer: fc.integer({ min: 0, max: smallest }), maxExtra: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }) })
    .chain(({ minPerLayer, maxExtra }) => {
      const maxPerLayer = maxExtra === undefined ? undefined : Math.max(1, minPerLayer + maxExtra);
      const available = sizes.reduce((s, n) => s + Math.min(n, maxPerLayer ?? n), 0);
      const low = Math.max(1, minPerLayer * layers.length);
      return fc.record({
        layers: fc.constant(layers),
        budget: fc.integer({ min: low, max: Math.max(low, available) }),
        minPerLayer: fc.constant(minPerLayer),
        maxPerLayer: fc.constant(maxPerLayer),
        energyRatio: arbRatio,
        seed: arbSeed,
        score: fc.constantFrom<'mean-relative-energy' | 'relative-energy' | 'energy'>('mean-relative-energy', 'relative-energy', 'energy'),
      });
    })
    .filter((c) => c.budget <= c.layers.reduce((s, l) => s + Math.min(l.rows * l.cols, c.maxPerLayer ?? Infinity), 0));
});

describe("selectSpectrum 'per-layer' against the brute-force reference", () => {
  it('equals the full-sort + dense-shuffle reference for any ratio, shapes and float type', async () => {
    await fc.assert(
      fc.asyncProperty(arbPerLayerCase, async ({ layers, perLayer, energyRatio, seed }) => {
        const plan = await selectSpectrum(layers, { strategy: 'per-layer', perLayer, energyRatio, seed });
        expect(plainLayers(plan.layers)).toEqual(referencePerLayer(layers, perLayer, energyRatio, seed));
      }),
      { numRuns: 150 },
    );
  });

  it('energyRatio = 1: exactly the top positions by H², ties to the lower flat index', async () => {
    await fc.assert(
      fc.asyncProperty(arbLayer('w'), fc.nat(), async (layer, k) => {
        const perLayer = 1 + (k % (layer.rows * layer.cols));
        const plan = await selectSpectrum([layer], { strategy: 'per-layer', perLayer, energyRatio: 1, seed: 3 });
        const expected = fullSortByEnergy(spectrumOf(layer))
          .slice(0, perLayer)
          .map((x) => x.index)
          .sort((a, b) => a - b);
        expect(Array.from(plan.layers[0]!.indices)).toEqual(expected);
        expect(plan.layers[0]!.energyChosen).toBe(perLayer);
      }),
      { numRuns: 150 },
    );
  });

  it('energyRatio = 0: n distinct uniform positions inside the layer, none chosen by energy', async () => {
    await fc.assert(
      fc.asyncProperty(arbPerLayerCase, async ({ layers, perLayer, seed }) => {
        const plan = await selectSpectrum(layers, { strategy: 'per-layer', perLayer, energyRatio: 0, seed });
        for (const [i, layer] of plan.layers.entries()) {
          expect(layer.energyChosen).toBe(0);
          expect(layer.indices.length).toBe(perLayer);
          expect(new Set(layer.indices).size).toBe(perLayer);
          for (let k = 1; k < layer.indices.length; k++) expect(layer.indices[k]!).toBeGreaterThan(layer.indices[k - 1]!);
          expect(layer.indices[perLayer - 1]!).toBeLessThan(layers[i]!.rows * layers[i]!.cols);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('the reference-code rule min(j, ⌊δ·n⌋) matches its brute-force form', async () => {
    await fc.assert(
      fc.asyncProperty(arbPerLayerCase, fc.double({ min: 0.01, max: 1, noNaN: true }), async ({ layers, perLayer, energyRatio, seed }, energyThreshold) => {
        const plan = await selectSpectrum(layers, { strategy: 'per-layer', perLayer, energyRatio, seed, energyThreshold });
        expect(plainLayers(plan.layers)).toEqual(referencePerLayer(layers, perLayer, energyRatio, seed, energyThreshold));
      }),
      { numRuns: 80 },
    );
  });

  it('a uniform spectrum (all-zero weights) ties everywhere: the lowest flat indices win, captured energy 0', async () => {
    const plan = await selectSpectrum([{ name: 'z', rows: 4, cols: 5, weights: new Float32Array(20) }], { strategy: 'per-layer', perLayer: 6, energyRatio: 1, seed: 0 });
    expect(Array.from(plan.layers[0]!.indices)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(plan.layers[0]!.capturedEnergy).toBe(0);
  });
});

describe("selectSpectrum 'global' against the brute-force reference", () => {
  it('equals one fully sorted list over all layers with a greedy min/max fill, for every score', async () => {
    await fc.assert(
      fc.asyncProperty(arbGlobalCase, async (c) => {
        const plan = await selectSpectrum(c.layers, {
          strategy: 'global',
          budget: c.budget,
          energyRatio: c.energyRatio,
          seed: c.seed,
          score: c.score,
          minPerLayer: c.minPerLayer,
          ...(c.maxPerLayer !== undefined ? { maxPerLayer: c.maxPerLayer } : {}),
        });
        expect(plainLayers(plan.layers)).toEqual(referenceGlobal(c.layers, c));
        const counts = plan.layers.map((l) => l.indices.length);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(c.budget);
        for (const n of counts) {
          expect(n).toBeGreaterThanOrEqual(c.minPerLayer);
          if (c.maxPerLayer !== undefined) expect(n).toBeLessThanOrEqual(c.maxPerLayer);
        }
        expect(plan.layers.reduce((s, l) => s + l.energyChosen, 0)).toBe(Math.floor(c.energyRatio * c.budget));
      }),
      { numRuns: 200 },
    );
  });

  it("energyRatio = 1 with score 'energy': the chosen positions are the top-B of all layers' H² together", async () => {
    await fc.assert(
      fc.asyncProperty(arbLayers(), fc.nat(), async (layers, k) => {
        const total = layers.reduce((s, l) => s + l.rows * l.cols, 0);
        const budget = 1 + (k % total);
        const plan = await selectSpectrum(layers, { strategy: 'global', budget, energyRatio: 1, seed: 1, score: 'energy' });
        const all = layers.flatMap((layer, li) => fullSortByEnergy(spectrumOf(layer)).map((x) => ({ ...x, li })));
        all.sort((a, b) => b.energy - a.energy || a.li - b.li || a.index - b.index);
        const expected = layers.map((_, li) =>
          all
            .slice(0, budget)
            .filter((x) => x.li === li)
            .map((x) => x.index)
            .sort((a, b) => a - b),
        );
        expect(plan.layers.map((l) => Array.from(l.indices))).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it("one layer: 'global' with budget B equals 'per-layer' with perLayer B (any ratio, seed, score)", async () => {
    await fc.assert(
      fc.asyncProperty(arbLayer('only'), fc.nat(), arbRatio, arbSeed, fc.constantFrom<'mean-relative-energy' | 'relative-energy' | 'energy'>('mean-relative-energy', 'relative-energy', 'energy'), async (layer, k, energyRatio, seed, score) => {
        const count = 1 + (k % (layer.rows * layer.cols));
        const global = await selectSpectrum([layer], { strategy: 'global', budget: count, energyRatio, seed, score });
        const perLayer = await selectSpectrum([layer], { strategy: 'per-layer', perLayer: count, energyRatio, seed });
        expect(plainLayers(global.layers)).toEqual(plainLayers(perLayer.layers));
      }),
      { numRuns: 100 },
    );
  });

  it('the streaming pool stays exact when many layers compete for a small budget', async () => {
    // Small budgets against many layers exercise evictions and trimming of stored candidates.
    await fc.assert(
      fc.asyncProperty(arbLayers(8, 12), fc.integer({ min: 1, max: 6 }), arbRatio, async (layers, wanted, energyRatio) => {
        const budget = Math.min(wanted, layers.reduce((s, l) => s + l.rows * l.cols, 0));
        const options = { budget, energyRatio, seed: 9, score: 'mean-relative-energy' as const, minPerLayer: 0 };
        const plan = await selectSpectrum(streamOf(layers), { strategy: 'global', ...options });
        expect(plainLayers(plan.layers)).toEqual(referenceGlobal(layers, options));
      }),
      { numRuns: 60 },
    );
  });

  it('stays exact when later layers shrink the share of earlier ones (candidate and random-draw trimming)', async () => {
    // 8 layers of 480 positions, budget 300, δ small: the first layer stores ~200 random draws, later
    // evictions shrink its share to ~40, which makes the selector trim its stored draws and candidates.
    await fc.assert(
      fc.asyncProperty(fc.array(arbLayer('x', 24).filter((l) => l.rows * l.cols >= 300), { minLength: 6, maxLength: 8 }), fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.4, noNaN: true })), fc.integer(), async (raw, energyRatio, seed) => {
        const layers = raw.map((l, i) => ({ ...l, name: `block.${i}` }));
        const options = { budget: 300, energyRatio, seed, score: 'mean-relative-energy' as const, minPerLayer: 2 };
        const plan = await selectSpectrum(streamOf(layers), { strategy: 'global', ...options });
        expect(plainLayers(plan.layers)).toEqual(referenceGlobal(layers, options));
      }),
      { numRuns: 12 },
    );
  });
});

describe('determinism and streaming', () => {
  it('array and async stream give byte-identical plans, for both strategies', async () => {
    await fc.assert(
      fc.asyncProperty(arbGlobalCase, async (c) => {
        const global = { strategy: 'global' as const, budget: c.budget, energyRatio: c.energyRatio, seed: c.seed, minPerLayer: c.minPerLayer, ...(c.maxPerLayer !== undefined ? { maxPerLayer: c.maxPerLayer } : {}) };
        expect(serializePlan(await selectSpectrum(streamOf(c.layers), global))).toBe(serializePlan(await selectSpectrum(c.layers, global)));
        const perLayer = { strategy: 'per-layer' as const, perLayer: Math.max(1, c.minPerLayer), energyRatio: c.energyRatio, seed: c.seed };
        expect(serializePlan(await selectSpectrum(streamOf(c.layers), perLayer))).toBe(serializePlan(await selectSpectrum(c.layers, perLayer)));
        // A synchronous generator is a stream too.
        expect(serializePlan(await selectSpectrum(c.layers.values(), perLayer))).toBe(serializePlan(await selectSpectrum(c.layers, perLayer)));
      }),
      { numRuns: 60 },
    );
  });

  it("a layer's positions depend on its name and values, not on its place among the layers", async () => {
    await fc.assert(
      fc.asyncProperty(arbLayers(4, 6), arbSeed, async (layers, seed) => {
        const options = { strategy: 'per-layer' as const, perLayer: 1, energyRatio: 0, seed };
        const forward = await selectSpectrum(layers, options);
        const backward = await selectSpectrum([...layers].reverse(), options);
        expect(plainLayers(backward.layers).reverse()).toEqual(plainLayers(forward.layers));
      }),
      { numRuns: 40 },
    );
  });

  it('different seeds give different random shares; the energy share does not move', async () => {
    const weights = Float64Array.from({ length: 48 * 40 }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 7)));
    const layer: LayerInput = { name: 'proj', rows: 48, cols: 40, weights };
    const plans = await Promise.all([1, 2, 3, 2 ** 33 + 1].map((seed) => selectSpectrum([layer], { strategy: 'per-layer', perLayer: 60, energyRatio: 0.5, seed })));
    const texts = plans.map((p) => Array.from(p.layers[0]!.indices).join(','));
    expect(new Set(texts).size).toBe(4);
    const top = fullSortByEnergy(spectrumOf(layer)).slice(0, 30).map((x) => x.index);
    for (const p of plans) for (const position of top) expect(p.layers[0]!.indices).toContain(position);
  });

  it('reports progress per layer (total known for arrays, undefined for streams) and never modifies the input', async () => {
    const layers: LayerInput[] = [
      { name: 'a', rows: 3, cols: 4, weights: Float32Array.from({ length: 12 }, (_, i) => i - 5) },
      { name: 'b', rows: 2, cols: 5, weights: Float64Array.from({ length: 10 }, (_, i) => i * 0.25) },
    ];
    const copies = layers.map((l) => l.weights.slice());
    const calls: unknown[][] = [];
    await selectSpectrum(layers, { strategy: 'global', budget: 7, energyRatio: 0.5, seed: 4, onProgress: (...args) => calls.push(args) });
    await selectSpectrum(streamOf(layers), { strategy: 'per-layer', perLayer: 3, energyRatio: 0.5, seed: 4, onProgress: (...args) => calls.push(args) });
    expect(calls).toEqual([
      [1, 2, 'a'],
      [2, 2, 'b'],
      [1, undefined, 'a'],
      [2, undefined, 'b'],
    ]);
    layers.forEach((l, i) => expect(l.weights).toEqual(copies[i]));
  });

  it('capturedEnergy is the share of Σ H² at the chosen positions', async () => {
    await fc.assert(
      fc.asyncProperty(arbPerLayerCase, async ({ layers, perLayer, energyRatio, seed }) => {
        const plan = await selectSpectrum(layers, { strategy: 'per-layer', perLayer, energyRatio, seed, variant: 'true', normalization: 'ortho' });
        plan.layers.forEach((planned, i) => {
          const spectrum = spectrumOf(layers[i]!, 'true', 'ortho');
          let total = 0;
          for (const h of spectrum) total += h * h;
          let captured = 0;
          for (const p of planned.indices) captured += spectrum[p]! ** 2;
          expect(planned.capturedEnergy).toBeCloseTo(total > 0 ? captured / total : 0, 12);
        });
      }),
      { numRuns: 50 },
    );
  });
});
