import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { LayerInput, SelectionOptions } from '../src/index';
import { FIRST_DIGIT_BINS, scanEnergies } from '../src/energy-keys';
import { topEnergyPositions, type TopKMethod } from '../src/top-energy';
import { legacyTopEnergyPositions } from './legacy-top-energy';
import { arbSpectrum, type FloatType } from './spectra';

function expectSame(spectrum: Float32Array | Float64Array, k: number, method: TopKMethod, withDigits: boolean): void {
  let digits: Uint32Array | undefined;
  if (withDigits) {
    digits = new Uint32Array(FIRST_DIGIT_BINS);
    scanEnergies(spectrum, digits);
  }
  const got = topEnergyPositions(spectrum, k, method, digits);
  const expected = legacyTopEnergyPositions(spectrum, k, 'heap');
  expect(got.indices).toEqual(expected.indices);
  expect(got.energies).toEqual(expected.energies);
}

describe('topEnergyPositions (histogram selection) against the previous implementation', () => {
  it('same positions and energies on small spectra, k = 0 … n + 1, every method, both float types', () => {
    fc.assert(
      fc.property(arbSpectrum(300), fc.nat(), fc.constantFrom<TopKMethod>('auto', 'heap', 'histogram'), fc.boolean(), (spectrum, k0, method, withDigits) => {
        expectSame(spectrum, k0 % (spectrum.length + 2), method, withDigits);
      }),
      { numRuns: 300 },
    );
  });

  it('same on spectra of 65536 … 140000 positions (crowded bins refined, exact ties, k up to all)', () => {
    fc.assert(
      fc.property(
        arbSpectrum(140000).filter((s) => s.length >= 65536),
        fc.oneof(fc.integer({ min: 0, max: 300 }), fc.nat()),
        fc.boolean(),
        (spectrum, k0, withDigits) => {
          expectSame(spectrum, k0 % (spectrum.length + 1), 'auto', withDigits);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('same when the k-th energy sits in a bin of more than 65536 entries (refined to exact ties), both float types', () => {
    const n = 100000;
    for (const type of ['f32', 'f64'] as const) {
      // 70 % zeros, 30 % spread over a few values: a crowded first-digit bin at zero and at 1.
      const values = Array.from({ length: n }, (_, i) => ((i * 7919) % 10 < 7 ? 0 : 1 + ((i * 104729) % 7 === 0 ? 0.5 : 0)));
      const spectrum = type === 'f32' ? Float32Array.from(values) : Float64Array.from(values);
      for (const k of [29000, 65537, n]) expectSame(spectrum, k, 'auto', true);
      // 100000 entries in one first-digit bin, 5003 distinct values below it: the refinement's digit decides.
      const fine = Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 5003) * 2 ** -20);
      const narrow = type === 'f32' ? Float32Array.from(fine) : Float64Array.from(fine);
      for (const k of [5000, 65537]) expectSame(narrow, k, 'auto', true);
      const ones = type === 'f32' ? new Float32Array(n).fill(-1) : new Float64Array(n).fill(-1);
      for (const k of [1, 70000]) expectSame(ones, k, 'histogram', false);
    }
  });

  it('same on float64 energies that share their high word (refinement on the low word), k = all included', () => {
    const n = 70000;
    // Steps of 2^-40 differ in the low word's upper half, steps of 2^-50 only in its lower half.
    for (const step of [2 ** -40, 2 ** -50]) {
      const spectrum = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 5003) * step);
      for (const k of [65537, n]) expectSame(spectrum, k, 'auto', true);
    }
  });

  it('the sampled threshold of the previous implementation also agrees on these inputs (both paths of the reference)', () => {
    fc.assert(
      fc.property(arbSpectrum(300), fc.nat(), (spectrum, k0) => {
        const k = k0 % (spectrum.length + 1);
        expect(legacyTopEnergyPositions(spectrum, k, 'threshold')).toEqual(legacyTopEnergyPositions(spectrum, k, 'heap'));
      }),
      { numRuns: 100 },
    );
  });
});

/** Calls that went to the previous implementation (so the substitution is known to have happened). */
let previousCalls = 0;

/**
 * Plans from `selectSpectrum` with the module graph loaded fresh: either as it is, or as it was
 * before the ranking worked on unordered sets — the previous strategies (test/legacy-global.ts,
 * test/legacy-per-layer.ts: ranked candidate lists merged into a sorted pool), the previous top-k,
 * and no admission floor (every layer ranks all the candidates it could ever hold).
 */
async function planText(topK: 'current' | 'previous', layers: LayerInput[], options: SelectionOptions): Promise<string> {
  vi.resetModules();
  if (topK === 'previous') {
    vi.doMock('../src/top-energy', async (load) => ({
      ...(await load<typeof import('../src/top-energy')>()),
      topEnergyPositions: (spectrum: Float32Array | Float64Array, k: number) => {
        previousCalls++;
        return legacyTopEnergyPositions(spectrum, k);
      },
    }));
    vi.doMock('../src/global', async () => await import('./legacy-global'));
    vi.doMock('../src/per-layer', async () => await import('./legacy-per-layer'));
    // …and without the admission floor (the count bound above it is then every position).
    vi.doMock('../src/energy-keys', async (load) => ({
      ...(await load<typeof import('../src/energy-keys')>()),
      countEnergiesAtLeast: (spectrum: Float32Array | Float64Array) => spectrum.length,
    }));
  } else {
    vi.doUnmock('../src/top-energy');
    vi.doUnmock('../src/global');
    vi.doUnmock('../src/per-layer');
    vi.doUnmock('../src/energy-keys');
  }
  const { selectSpectrum, serializePlan } = await import('../src/index');
  return serializePlan(await selectSpectrum(layers, { ...options, workers: 1 }));
}

/** Layers of 256…320 × 256…320 (the histogram path), values continuous or integer (ties in the spectrum). */
const arbBigLayers = fc
  .array(
    fc.record({
      rows: fc.integer({ min: 256, max: 320 }),
      cols: fc.integer({ min: 256, max: 320 }),
      type: fc.constantFrom<FloatType>('f32', 'f64'),
      integer: fc.boolean(),
      seed: fc.integer(),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((specs) =>
    specs.map(({ rows, cols, type, integer, seed }, i): LayerInput => {
      let s = seed >>> 0 || 1;
      const values = Array.from({ length: rows * cols }, () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return integer ? (s >>> 29) - 4 : s / 2 ** 32 - 0.5;
      });
      return { name: `layer.${i}`, rows, cols, weights: type === 'f32' ? Float32Array.from(values) : Float64Array.from(values) };
    }),
  );

describe('plans are byte-identical with the previous implementation', () => {
  it("'global' (minPerLayer, maxPerLayer) and 'per-layer' (energyThreshold), budgets 1 … all, both float types, ties", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbBigLayers,
        fc.constantFrom<'global' | 'per-layer'>('global', 'per-layer'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom<'mean-relative-energy' | 'relative-energy' | 'energy'>('mean-relative-energy', 'relative-energy', 'energy'),
        fc.record({
          minShare: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
          cap: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
          threshold: fc.option(fc.double({ min: 0.01, max: 1, noNaN: true }), { nil: undefined }),
        }),
        async (layers, strategy, fraction, energyRatio, score, { minShare, cap, threshold }) => {
          const sizes = layers.map((l) => l.rows * l.cols);
          const smallest = Math.min(...sizes);
          let options: SelectionOptions;
          if (strategy === 'global') {
            const maxPerLayer = cap === undefined ? undefined : Math.max(1, Math.round(cap * smallest));
            const available = sizes.reduce((a, n) => a + Math.min(n, maxPerLayer ?? n), 0);
            const budget = Math.max(1, Math.round(fraction * available));
            const minPerLayer = Math.floor(minShare * Math.min(maxPerLayer ?? smallest, smallest, Math.floor(budget / layers.length)));
            options = { strategy, budget, energyRatio, seed: 5, score, minPerLayer, maxPerLayer };
          } else {
            options = { strategy, perLayer: Math.max(1, Math.round(fraction * smallest)), energyRatio, seed: 5, energyThreshold: threshold };
          }
          const calls = previousCalls;
          const previous = await planText('previous', layers, options);
          expect(previousCalls).toBe(calls + layers.length);
          expect(await planText('current', layers, options)).toBe(previous);
        },
      ),
      { numRuns: 16 },
    );
  }, 180_000);
});
