import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePlan, PlanFormatError, selectSpectrum, serializePlan, type SelectionPlan } from '../src/index';
import { arbLayers } from './reference';

async function samplePlan(): Promise<SelectionPlan> {
  const weights = Float64Array.from({ length: 6 * 5 }, (_, i) => Math.sin(i) * 3);
  return selectSpectrum(
    [
      { name: 'a', rows: 6, cols: 5, weights },
      { name: 'b', rows: 5, cols: 6, weights: Float32Array.from(weights) },
    ],
    { strategy: 'global', budget: 9, energyRatio: 0.6, seed: 12, maxPerLayer: 6 },
  );
}

describe('serializePlan / parsePlan', () => {
  it('round-trip exactly (plan and text) for random plans of both strategies', async () => {
    await fc.assert(
      fc.asyncProperty(arbLayers(3, 6), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), fc.boolean(), async (layers, energyRatio, seed, isGlobal) => {
        const plan = isGlobal
          ? await selectSpectrum(layers, { strategy: 'global', budget: layers.length, energyRatio, seed, minPerLayer: 1 })
          : await selectSpectrum(layers, { strategy: 'per-layer', perLayer: 1, energyRatio, seed, energyThreshold: 0.5, variant: 'true' });
        const text = serializePlan(plan);
        const back = parsePlan(text);
        expect(back).toEqual(plan);
        expect(back.layers[0]!.indices).toBeInstanceOf(Uint32Array);
        expect(serializePlan(back)).toBe(text);
      }),
      { numRuns: 60 },
    );
  });

  it('drops the onProgress callback and records the defaults', async () => {
    const plan = await selectSpectrum([{ name: 'x', rows: 2, cols: 2, weights: new Float32Array([1, 2, 3, 4]) }], {
      strategy: 'global',
      budget: 2,
      energyRatio: 1,
      seed: 0,
      onProgress: () => undefined,
    });
    expect(JSON.parse(serializePlan(plan)).options).toEqual({
      strategy: 'global',
      budget: 2,
      energyRatio: 1,
      seed: 0,
      score: 'mean-relative-energy',
      minPerLayer: 0,
      variant: 'separable',
      normalization: 'backward',
    });
  });

  const corruptions: [string, (p: Record<string, any>) => void, RegExp][] = [
    ['wrong format', (p) => (p.format = 'x'), /^format: is "x", expected "ssh-peft-selection-plan"/],
    ['future version', (p) => (p.version = 2), /^version: is 2, this library reads version 1/],
    ['unsorted indices', (p) => (p.layers[0].indices = [...p.layers[0].indices].reverse()), /^layers\[0\].indices\[1\]: \d+ does not follow \d+ in strictly ascending order/],
    ['index out of range', (p) => (p.layers[1].indices[p.layers[1].indices.length - 1] = 30), /^layers\[1\].indices\[\d+\]: is 30, expected an integer in \[0, 30\) for 5×6/],
    ['count ≠ budget', (p) => p.layers[0].indices.pop(), /^layers: hold 8 positions in all, options.budget is 9/],
    ['duplicate name', (p) => (p.layers[1].name = 'a'), /^layers\[1\].name: duplicate layer name "a"/],
    ['fingerprint of another shape', (p) => (p.layers[0].fingerprint = p.layers[1].fingerprint), /^layers\[0\].fingerprint: is for 5×6, but the layer is 6×5/],
    ['energyChosen too big', (p) => (p.layers[0].energyChosen = 99), /^layers\[0\].energyChosen: 99 exceeds the \d+ indices/],
    ['capturedEnergy NaN', (p) => (p.layers[0].capturedEnergy = null), /^layers\[0\].capturedEnergy: is null, expected a number in \[0, 1\]/],
    ['bad options', (p) => (p.options.energyRatio = 3), /^options: energyRatio must be a number in \[0, 1\], got 3/],
    ['unknown field', (p) => (p.layers[0].extra = 1), /^layers\[0\].extra: unknown field/],
    ['missing variant', (p) => delete p.options.variant, /^options.variant: is missing/],
  ];
  for (const [what, corrupt, message] of corruptions) {
    it(`rejects ${what} with the field path`, async () => {
      const raw = JSON.parse(serializePlan(await samplePlan()));
      corrupt(raw);
      let error: unknown;
      try {
        parsePlan(JSON.stringify(raw));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PlanFormatError);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('rejects text that is not JSON', () => {
    expect(() => parsePlan('{"format":')).toThrow(/not valid JSON/);
  });
});
