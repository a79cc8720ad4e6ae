import { describe, expect, it } from 'vitest';
import { resolveSelectionOptions, SELECTION_OPTION_KEYS, selectSpectrum, SelectionOptionError, type SelectionOptions } from '../src/index';

const layer = { name: 'w', rows: 6, cols: 5, weights: Float64Array.from({ length: 30 }, (_, i) => Math.sin(i * 1.7)) };

describe('resolveSelectionOptions and SELECTION_OPTION_KEYS', () => {
  it('resolve the options as selectSpectrum records them in the plan', async () => {
    const cases: SelectionOptions[] = [
      { strategy: 'global', budget: 7, energyRatio: 0.5, seed: 3 },
      { strategy: 'per-layer', perLayer: 4, energyRatio: 1, seed: 0, energyThreshold: 0.5, variant: 'true', normalization: 'ortho' },
      { strategy: 'global', budget: 9, energyRatio: 0, seed: 1, score: 'energy', minPerLayer: 2, maxPerLayer: 9 },
    ];
    for (const options of cases) {
      const plan = await selectSpectrum([layer], { ...options, workers: 1 });
      expect(resolveSelectionOptions(options)).toEqual(plan.options);
    }
  });

  it('refuse a bad option with the SelectionOptionError selectSpectrum throws', async () => {
    const bad = { strategy: 'global', budget: 5, energyRatio: 0.5, seed: 0, perLayer: 3 } as SelectionOptions;
    expect(() => resolveSelectionOptions(bad)).toThrow(SelectionOptionError);
    expect(() => resolveSelectionOptions(bad)).toThrow(/perLayer does not apply to strategy 'global'/);
    await expect(selectSpectrum([layer], bad)).rejects.toThrow(/perLayer does not apply to strategy 'global'/);
  });

  it('list every option key once, including the ones not stored in a plan', () => {
    expect(new Set(SELECTION_OPTION_KEYS).size).toBe(SELECTION_OPTION_KEYS.length);
    const recorded = Object.keys(resolveSelectionOptions({ strategy: 'global', budget: 3, energyRatio: 1, seed: 0, maxPerLayer: 3 }));
    for (const key of recorded) expect(SELECTION_OPTION_KEYS).toContain(key);
    expect(SELECTION_OPTION_KEYS).toEqual(expect.arrayContaining(['onProgress', 'workers', 'perLayer', 'energyThreshold']));
  });
});
