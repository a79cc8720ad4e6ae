import { describe, expect, it } from 'vitest';
import { selectSpectrum, serializePlan, SelectionInputError, SelectionOptionError, type LayerInput, type SelectionOptions } from '@ssh-peft/selection';
import { MIN_WORKER_POSITIONS } from '@ssh-peft/selection/node';

/** Layers big enough to go to worker threads (≥ 2^20 positions), plus small ones that stay. */
function model(): LayerInput[] {
  const shapes: [number, number][] = [
    [1024, 1024],
    [96, 80],
    [512, 2304],
    [1024, 1152],
  ];
  return shapes.map(([rows, cols], i) => {
    const weights = new Float32Array(rows * cols);
    let s = 12345 + i;
    for (let k = 0; k < weights.length; k++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      weights[k] = (s / 2 ** 32 - 0.5) * 0.04 + 0.01 * Math.sin((k % cols) * 0.37) * Math.cos(Math.floor(k / cols) * 0.11);
    }
    return { name: `layer${i}`, rows, cols, weights };
  });
}

describe('selectSpectrum on worker threads (Node)', () => {
  const layers = model();
  const cases: [string, SelectionOptions][] = [
    ['global, relative-energy, δ = 0.7', { strategy: 'global', budget: 5000, energyRatio: 0.7, seed: 3, score: 'relative-energy' }],
    ['global, energy, large budget, δ = 1', { strategy: 'global', budget: 60_000, energyRatio: 1, seed: 3, score: 'energy', minPerLayer: 10 }],
    ['per-layer, δ = 0.5', { strategy: 'per-layer', perLayer: 700, energyRatio: 0.5, seed: 9 }],
  ];

  it('the large layers really are worker layers', () => {
    expect(layers.filter((l) => l.rows * l.cols >= MIN_WORKER_POSITIONS).length).toBe(3);
  });

  for (const [label, options] of cases) {
    it(`${label}: 2 workers (and 3) give the one-thread plan byte for byte`, async () => {
      const one = serializePlan(await selectSpectrum(layers, { ...options, workers: 1 }));
      const progress: string[] = [];
      const two = serializePlan(await selectSpectrum(layers, { ...options, workers: 2, onProgress: (_d, _t, name) => progress.push(name) }));
      expect(two).toBe(one);
      if (options.strategy === 'global' && options.energyRatio < 1) expect(serializePlan(await selectSpectrum(layers, { ...options, workers: 3 }))).toBe(one);
      expect(progress).toEqual(layers.map((l) => l.name));
      expect(layers[0]!.weights.length).toBe(1024 * 1024); // the caller's arrays are copied, never detached
    }, 300_000);
  }

  it('an error in a worker layer reaches the caller with its class, layer and index', async () => {
    const bad = model();
    bad[2]!.weights[777] = Number.NaN;
    const error = await selectSpectrum(bad, { strategy: 'per-layer', perLayer: 10, energyRatio: 1, seed: 0, workers: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SelectionInputError);
    expect((error as SelectionInputError).layer).toBe('layer2');
    expect((error as SelectionInputError).index).toBe(777);
  }, 300_000);

  it('rejects a bad workers count before reading any layer', async () => {
    for (const workers of [0, 1.5, -2, Number.NaN]) {
      await expect(selectSpectrum([], { strategy: 'per-layer', perLayer: 1, energyRatio: 1, seed: 0, workers })).rejects.toBeInstanceOf(SelectionOptionError);
    }
  });
});
