import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  idht2d,
  referenceDht2d,
  normalizationFactor,
  sparseIdht2d,
  sparseSpectrumGradient,
  sparseSpectrumProduct,
  type Normalization,
  type Variant2D,
} from '@ssh-peft/hartley';
import { arbFloatType, arbNormalization, matmul, randomData, relErr, tolerance, transpose } from './helpers';

const arbVariant = fc.constantFrom<Variant2D>('separable', 'true');

/** A sparse problem: shape, distinct positions, values, tokens. */
const arbProblem = fc
  .record({
    rows: fc.integer({ min: 1, max: 24 }),
    cols: fc.integer({ min: 1, max: 24 }),
    tokens: fc.integer({ min: 0, max: 5 }),
    seed: fc.integer(),
    variant: arbVariant,
    normalization: arbNormalization,
    scale: fc.double({ min: -50, max: 50, noNaN: true }),
    type: arbFloatType,
  })
  .chain((p) =>
    fc
      .uniqueArray(fc.integer({ min: 0, max: p.rows * p.cols - 1 }), { minLength: 0, maxLength: Math.min(40, p.rows * p.cols) })
      .map((positions) => ({ ...p, indices: Uint32Array.from(positions) })),
  );

/** The dense route: S scattered, naive 2D reference, inverse normalisation, scale. */
function denseDeltaW(rows: number, cols: number, indices: Uint32Array, values: ArrayLike<number>, variant: Variant2D, normalization: Normalization, scale: number): Float64Array {
  const s = new Float64Array(rows * cols);
  indices.forEach((p, k) => (s[p] = values[k]!));
  const f = scale * normalizationFactor(rows * cols, normalization, 'idht');
  return referenceDht2d(s, rows, cols, variant).map((v) => v * f);
}

/** Compare with an absolute floor: many results are legitimately all-zero (no positions, scale 0). */
function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  expect(a.length).toBe(b.length);
  expect(Math.sqrt(num)).toBeLessThanOrEqual(tol * Math.max(Math.sqrt(den), 1e-9));
}

describe('sparseIdht2d', () => {
  it('equals scale · idht2d(S) by the dense route', () => {
    fc.assert(
      fc.property(arbProblem, ({ rows, cols, indices, seed, variant, normalization, scale, type }) => {
        const values = randomData(indices.length, seed, type);
        const got = sparseIdht2d(indices, values, rows, cols, { variant, normalization, scale });
        expect(got).toBeInstanceOf(Float64Array);
        close(got, denseDeltaW(rows, cols, indices, values, variant, normalization, scale), 1e-12);
      }),
      { numRuns: 120 },
    );
  });

  it('agrees with idht2d of the scattered spectrum on a 96 × 80 matrix', () => {
    const rows = 96;
    const cols = 80;
    const indices = Uint32Array.from([0, 1, 81, 500, 4000, rows * cols - 1, 7 * cols + 3]);
    const values = randomData(indices.length, 9, 'f64');
    const s = new Float64Array(rows * cols);
    indices.forEach((p, k) => (s[p] = values[k]!));
    for (const variant of ['separable', 'true'] as const) {
      const dense = idht2d(s, rows, cols, { variant, normalization: 'ortho' });
      expect(relErr(sparseIdht2d(indices, values, rows, cols, { variant, normalization: 'ortho', scale: 3 }), dense.map((v) => 3 * v))).toBeLessThan(1e-13);
    }
  });
});

describe('sparseSpectrumProduct', () => {
  it('x · ΔW equals the dense product', () => {
    fc.assert(
      fc.property(arbProblem, ({ rows, cols, tokens, indices, seed, variant, normalization, scale, type }) => {
        const values = randomData(indices.length, seed, 'f64');
        const x = randomData(tokens * rows, seed + 1, type);
        const y = sparseSpectrumProduct(x, tokens, rows, cols, indices, values, { variant, normalization, scale });
        expect(y).toBeInstanceOf(x.constructor);
        const dw = denseDeltaW(rows, cols, indices, values, variant, normalization, scale);
        close(y, matmul(x, dw, tokens, rows, cols), tolerance(x));
      }),
      { numRuns: 120 },
    );
  });

  it('transpose: g · ΔWᵀ equals the dense product, into a caller-owned out', () => {
    fc.assert(
      fc.property(arbProblem, ({ rows, cols, tokens, indices, seed, variant, normalization, scale, type }) => {
        const values = randomData(indices.length, seed, 'f32');
        const g = randomData(tokens * cols, seed + 2, type);
        const out = new Float64Array(tokens * rows).fill(123);
        const y = sparseSpectrumProduct(g, tokens, rows, cols, indices, values, { variant, normalization, scale, transpose: true, out });
        expect(y).toBe(out);
        const dwT = transpose(denseDeltaW(rows, cols, indices, values, variant, normalization, scale), rows, cols);
        close(y, matmul(g, dwT, tokens, cols, rows), tolerance(g));
      }),
      { numRuns: 120 },
    );
  });

  it('works at transformer-like widths (768 → 3072 is too slow densely; 96 → 192 here)', () => {
    const rows = 96;
    const cols = 192;
    const tokens = 3;
    const indices = Uint32Array.from({ length: 50 }, (_, k) => (k * 3677) % (rows * cols));
    const values = randomData(50, 4, 'f64');
    const x = randomData(tokens * rows, 5, 'f32');
    for (const variant of ['separable', 'true'] as const) {
      const dw = sparseIdht2d(indices, values, rows, cols, { variant, scale: 49 });
      const y = sparseSpectrumProduct(x, tokens, rows, cols, indices, values, { variant, scale: 49 });
      expect(relErr(y, matmul(x, dw, tokens, rows, cols))).toBeLessThan(1e-5);
    }
  });
});

describe('sparseSpectrumGradient', () => {
  it('equals Σ_t x_t · ∂ΔW/∂c_k · g_tᵀ by the dense route', () => {
    fc.assert(
      fc.property(arbProblem, ({ rows, cols, tokens, indices, seed, variant, normalization, scale, type }) => {
        const x = randomData(tokens * rows, seed, type);
        const g = randomData(tokens * cols, seed + 3, type);
        const grad = sparseSpectrumGradient(x, g, tokens, rows, cols, indices, { variant, normalization, scale });
        expect(grad.length).toBe(indices.length);
        const xg = matmul(transpose(x, tokens, rows), g, rows, tokens, cols); // xᵀ·g, rows × cols
        const expected = new Float64Array(indices.length);
        for (let k = 0; k < indices.length; k++) {
          const unit = new Float64Array(1).fill(1);
          const dk = denseDeltaW(rows, cols, Uint32Array.of(indices[k]!), unit, variant, normalization, scale);
          let s = 0;
          for (let i = 0; i < rows * cols; i++) s += dk[i]! * xg[i]!;
          expected[k] = s;
        }
        close(grad, expected, 1e-10);
      }),
      { numRuns: 80 },
    );
  });

  it('is the gradient of L = Σ y ⊙ g (finite differences on one coefficient)', () => {
    const rows = 12;
    const cols = 9;
    const tokens = 4;
    const indices = Uint32Array.from([3, 17, 50, 107]);
    const values = randomData(4, 1, 'f64');
    const x = randomData(tokens * rows, 2, 'f64');
    const g = randomData(tokens * cols, 3, 'f64');
    for (const variant of ['separable', 'true'] as const) {
      const o = { variant, scale: 2.5 };
      const grad = sparseSpectrumGradient(x, g, tokens, rows, cols, indices, o);
      const loss = (v: Float64Array) => Float64Array.from(sparseSpectrumProduct(x, tokens, rows, cols, indices, v, o)).reduce((s, y, i) => s + y * g[i]!, 0);
      for (let k = 0; k < 4; k++) {
        const h = 1e-6;
        const plus = Float64Array.from(values);
        const minus = Float64Array.from(values);
        plus[k]! += h;
        minus[k]! -= h;
        expect(grad[k]).toBeCloseTo((loss(plus) - loss(minus)) / (2 * h), 6);
      }
    }
  });
});

describe('sparseSpectrumProduct in place', () => {
  it('out === x (square ΔW) gives the same result as a separate output', () => {
    for (const variant of ['separable', 'true'] as const) {
      const x = randomData(5 * 12, 8, 'f64');
      const indices = Uint32Array.from([0, 13, 77, 143]);
      const values = randomData(4, 9, 'f64');
      const expected = sparseSpectrumProduct(x, 5, 12, 12, indices, values, { variant, scale: 3 });
      const buf = x.slice();
      sparseSpectrumProduct(buf, 5, 12, 12, indices, values, { variant, scale: 3, out: buf });
      expect(relErr(buf, expected)).toBeLessThan(1e-15);
    }
  });
});
