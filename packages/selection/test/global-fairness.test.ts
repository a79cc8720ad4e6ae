/**
 * Fairness of the default 'global' score ('mean-relative-energy', H²·N/ΣH²) across layers of
 * different sizes and scales:
 * 1. layers of i.i.d. noise share the budget in proportion to their sizes;
 * 2. scaling a layer by a constant changes nothing;
 * 3. a layer with a concentrated spectrum (low rank, or smooth) gets more than its size share.
 *
 * Why (1) holds: the separable 2D DHT is √N times an orthogonal transform, so the spectrum of
 * i.i.d. N(0, σ²) weights is i.i.d. N(0, N·σ²), and H²/mean(H²) has the same χ²₁-like law in every
 * layer: the top-B of the pooled scores falls on each layer in proportion to its N. The count of
 * a layer behaves like (in fact with less spread than) a binomial(B, p) with p = N/ΣN; the
 * tolerance is 4 binomial standard deviations, |c − B·p| ≤ 4·√(B·p·(1 − p)) — at B = 1000,
 * p = 0.3 that is ±58 positions. (Measured over 200 random cases: largest deviation 1.5 σ;
 * with 'relative-energy' instead, 38 σ.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom, selectSpectrum, type LayerInput, type SelectionPlan } from '../src/index';

function gaussian(seed: number, count: number): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from({ length: count }, () => random.nextNormal());
}

function noiseLayer(name: string, rows: number, cols: number, seed: number, scale = 1): LayerInput {
  const weights = gaussian(seed, rows * cols);
  for (let i = 0; i < weights.length; i++) weights[i]! *= scale;
  return { name, rows, cols, weights };
}

/** A rank-`rank` matrix U·Vᵀ (Gaussian factors) plus a little noise: a concentrated spectrum. */
function lowRankLayer(name: string, rows: number, cols: number, rank: number, seed: number): LayerInput {
  const u = gaussian(seed, rows * rank);
  const v = gaussian(seed + 1, cols * rank);
  const e = gaussian(seed + 2, rows * cols);
  const weights = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let k = 0; k < rank; k++) s += u[i * rank + k]! * v[j * rank + k]!;
      weights[i * cols + j] = s + 0.1 * e[i * cols + j]!;
    }
  }
  return { name, rows, cols, weights };
}

/** Smooth weights: Gaussian noise averaged over a circular `width`×`width` window (a low-pass field). */
function smoothLayer(name: string, rows: number, cols: number, seed: number, width = 3): LayerInput {
  const e = gaussian(seed, rows * cols);
  const weights = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let a = 0; a < width; a++) for (let b = 0; b < width; b++) s += e[((i + a) % rows) * cols + ((j + b) % cols)]!;
      weights[i * cols + j] = s;
    }
  }
  return { name, rows, cols, weights };
}

const counts = (plan: SelectionPlan) => plan.layers.map((l) => l.indices.length);
const side = fc.integer({ min: 16, max: 96 });
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

describe("'global' default score: fair to layers of every size and scale", () => {
  it('records mean-relative-energy as the default score', async () => {
    const plan = await selectSpectrum([noiseLayer('a', 4, 4, 1)], { strategy: 'global', budget: 3, energyRatio: 0.5, seed: 0 });
    expect(plan.options.score).toBe('mean-relative-energy');
  });

  it('i.i.d. noise layers of different shapes receive positions in proportion to their size (±4 binomial σ, budgets 1000–3000)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(side, side), { minLength: 2, maxLength: 4 }),
        seed,
        fc.integer({ min: 1000, max: 3000 }),
        fc.constantFrom(0, 0.5, 1),
        async (shapes, base, wanted, energyRatio) => {
          const layers = shapes.map(([rows, cols], i) => noiseLayer(`noise.${i}`, rows, cols, base + 7 * i));
          const total = layers.reduce((s, l) => s + l.rows * l.cols, 0);
          fc.pre(total >= 2 * 1000);
          const budget = Math.min(wanted, Math.floor(total / 2));
          const plan = await selectSpectrum(layers, { strategy: 'global', budget, energyRatio, seed: base });
          counts(plan).forEach((count, i) => {
            const p = (layers[i]!.rows * layers[i]!.cols) / total;
            const tolerance = 4 * Math.sqrt(budget * p * (1 - p));
            expect(Math.abs(count - budget * p), `layer ${i} (${layers[i]!.rows}×${layers[i]!.cols}): ${count} positions, size share ${(budget * p).toFixed(1)} ± ${tolerance.toFixed(1)}`).toBeLessThanOrEqual(tolerance);
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('scaling any layer by a power of two leaves the plan unchanged (bit-exact spectra)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(side, side, fc.boolean()), { minLength: 2, maxLength: 3 }),
        seed,
        fc.integer({ min: -30, max: 30 }),
        fc.nat(),
        fc.integer({ min: 100, max: 1500 }),
        async (specs, base, exponent, which, wanted) => {
          const layers = specs.map(([rows, cols, concentrated], i) => (concentrated ? lowRankLayer(`l.${i}`, rows, cols, 2, base + 11 * i) : noiseLayer(`l.${i}`, rows, cols, base + 11 * i)));
          const budget = Math.min(wanted, layers.reduce((s, l) => s + l.rows * l.cols, 0));
          const target = which % layers.length;
          const scaled = layers.map((l, i) => (i === target ? { ...l, weights: l.weights.map((w) => w * 2 ** exponent) } : l));
          const options = { strategy: 'global' as const, budget, energyRatio: 0.7, seed: base };
          const a = await selectSpectrum(layers, options);
          const b = await selectSpectrum(scaled, options);
          expect(b.layers.map((l) => [Array.from(l.indices), l.energyChosen, l.capturedEnergy])).toEqual(a.layers.map((l) => [Array.from(l.indices), l.energyChosen, l.capturedEnergy]));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('scaling a layer by any constant leaves the allocation and positions unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(side, side), { minLength: 2, maxLength: 3 }),
        seed,
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.nat(),
        fc.integer({ min: 100, max: 1500 }),
        async (shapes, base, factor, which, wanted) => {
          // Gaussian values: no exact ties between positions, so rounding of the scaled spectrum
          // (≈ 1e-16 relative) cannot reorder them.
          const layers = shapes.map(([rows, cols], i) => noiseLayer(`l.${i}`, rows, cols, base + 13 * i));
          const budget = Math.min(wanted, layers.reduce((s, l) => s + l.rows * l.cols, 0));
          const target = which % layers.length;
          const scaled = layers.map((l, i) => (i === target ? noiseLayer(l.name, l.rows, l.cols, base + 13 * i, factor) : l));
          const options = { strategy: 'global' as const, budget, energyRatio: 0.7, seed: base };
          const a = await selectSpectrum(layers, options);
          const b = await selectSpectrum(scaled, options);
          expect(b.layers.map((l) => Array.from(l.indices))).toEqual(a.layers.map((l) => Array.from(l.indices)));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('a layer with a concentrated spectrum (rank 1–2, or smooth) among noise layers receives more than its size share (budgets ≥ 1000, ≤ 5 % of the positions)', async () => {
    // At small budgets a concentrated spectrum holds more positions above the cut than noise does;
    // (a budget near all positions would take the concentrated layer's flat tail too, and a layer
    // holding nearly all positions has a share near 1, hence the two bounds).
    const big = fc.integer({ min: 64, max: 160 });
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.integer({ min: 32, max: 160 }), fc.integer({ min: 32, max: 160 })),
        fc.array(fc.tuple(big, big), { minLength: 2, maxLength: 3 }),
        fc.constantFrom('rank-1', 'rank-2', 'smooth'),
        seed,
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        async ([rows, cols], noiseShapes, kind, base, fraction) => {
          const concentrated = kind === 'smooth' ? smoothLayer('concentrated', rows, cols, base) : lowRankLayer('concentrated', rows, cols, kind === 'rank-1' ? 1 : 2, base);
          const layers = [...noiseShapes.map(([r, c], i) => noiseLayer(`noise.${i}`, r, c, base + 17 * (i + 1))), concentrated];
          const total = layers.reduce((s, l) => s + l.rows * l.cols, 0);
          const budget = Math.max(1000, Math.floor(fraction * total));
          fc.pre(budget <= 0.05 * total && rows * cols <= 0.6 * total);
          const plan = await selectSpectrum(layers, { strategy: 'global', budget, energyRatio: 0.7, seed: base });
          const share = (budget * rows * cols) / total;
          expect(plan.layers[layers.length - 1]!.indices.length, `${kind} ${rows}×${cols}: size share ${share.toFixed(1)} of ${budget}`).toBeGreaterThan(share);
        },
      ),
      { numRuns: 20 },
    );
  });

  it("the PyTorch-classifier shape of the motivating case: the 32×2400 layer is not starved (it was under 'relative-energy')", async () => {
    const big = lowRankLayer('fc1', 2400, 32, 2, 5);
    const mid = noiseLayer('fc2', 32, 32, 6);
    const out = noiseLayer('fc3', 32, 1, 7);
    const plan = await selectSpectrum([big, mid, out], { strategy: 'global', budget: 200, energyRatio: 0.7, seed: 0 });
    const old = await selectSpectrum([big, mid, out], { strategy: 'global', budget: 200, energyRatio: 0.7, seed: 0, score: 'relative-energy' });
    expect(counts(old)[0]).toBeLessThan(counts(old)[1]!);
    expect(counts(plan)[0]).toBeGreaterThan((200 * big.rows * big.cols) / (big.rows * big.cols + 32 * 32 + 32));
  });
});
