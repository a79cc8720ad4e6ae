import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlan2d, dht2d, idht2d, referenceDht, referenceDht2d, normalizationFactor, type Variant2D } from '@ssh-peft/hartley';
import { createColumnTransform } from '../src/columns';
import { arbFloatType, arbNormalization, randomData, relErr, tolerance } from './helpers';

const arbVariant = fc.constantFrom<Variant2D>('separable', 'true');
/** Shapes crossing the panel width (16) and odd/prime sizes; true-variant reference is O((MN)²). */
const arbSmallShape = fc.record({ rows: fc.integer({ min: 1, max: 13 }), cols: fc.integer({ min: 1, max: 37 }) });
const arbShape = fc.record({ rows: fc.integer({ min: 1, max: 70 }), cols: fc.integer({ min: 1, max: 70 }) });

describe('dht2d / idht2d', () => {
  it('match the naive 2D reference (both variants, all normalisations, f32/f64)', () => {
    fc.assert(
      fc.property(arbSmallShape, arbVariant, arbNormalization, arbFloatType, fc.integer(), ({ rows, cols }, variant, normalization, type, seed) => {
        const w = randomData(rows * cols, seed, type);
        const ref = referenceDht2d(w, rows, cols, variant);
        const f = normalizationFactor(rows * cols, normalization, 'dht');
        const fi = normalizationFactor(rows * cols, normalization, 'idht');
        const h = dht2d(w, rows, cols, { variant, normalization });
        expect(h).toBeInstanceOf(w.constructor);
        expect(relErr(h, ref.map((v) => v * f))).toBeLessThanOrEqual(tolerance(w));
        expect(relErr(idht2d(w, rows, cols, { variant, normalization }), ref.map((v) => v * fi))).toBeLessThanOrEqual(tolerance(w));
      }),
      { numRuns: 80 },
    );
  });

  it('separable matches the reference on larger rectangular shapes', () => {
    fc.assert(
      fc.property(arbShape, arbFloatType, fc.integer(), ({ rows, cols }, type, seed) => {
        const w = randomData(rows * cols, seed, type);
        expect(relErr(dht2d(w, rows, cols), referenceDht2d(w, rows, cols))).toBeLessThanOrEqual(tolerance(w));
      }),
      { numRuns: 30 },
    );
  });

  it('invertibility idht2d(dht2d(W)) ≈ W, both variants, all normalisations', () => {
    fc.assert(
      fc.property(arbShape, arbVariant, arbNormalization, arbFloatType, fc.integer(), ({ rows, cols }, variant, normalization, type, seed) => {
        const w = randomData(rows * cols, seed, type);
        const o = { variant, normalization };
        expect(relErr(idht2d(dht2d(w, rows, cols, o), rows, cols, o), w)).toBeLessThanOrEqual(tolerance(w));
      }),
      { numRuns: 50 },
    );
  });

  it('ortho is an involution for both variants', () => {
    fc.assert(
      fc.property(arbShape, arbVariant, fc.integer(), ({ rows, cols }, variant, seed) => {
        const w = randomData(rows * cols, seed, 'f64');
        const o = { variant, normalization: 'ortho' as const };
        expect(relErr(dht2d(dht2d(w, rows, cols, o), rows, cols, o), w)).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 30 },
    );
  });

  it('true = ½(S[u,v] + S[−u,v] + S[u,−v] − S[−u,−v]) of the separable result (docs/method.md, the transform)', () => {
    fc.assert(
      fc.property(arbShape, fc.integer(), ({ rows, cols }, seed) => {
        const w = randomData(rows * cols, seed, 'f64');
        const s = dht2d(w, rows, cols, { variant: 'separable' });
        const t = dht2d(w, rows, cols, { variant: 'true' });
        const expected = new Float64Array(rows * cols);
        for (let u = 0; u < rows; u++) {
          for (let v = 0; v < cols; v++) {
            const um = (rows - u) % rows;
            const vm = (cols - v) % cols;
            expected[u * cols + v] = 0.5 * (s[u * cols + v]! + s[um * cols + v]! + s[u * cols + vm]! - s[um * cols + vm]!);
          }
        }
        expect(relErr(t, expected)).toBeLessThanOrEqual(1e-13);
      }),
      { numRuns: 30 },
    );
  });

  it('a 768 × 64 float32 weight matches the separable reference', () => {
    const w = randomData(768 * 64, 1, 'f32');
    expect(relErr(dht2d(w, 768, 64), referenceDht2d(w, 768, 64))).toBeLessThanOrEqual(1e-5);
  });

  it('does not modify its input', () => {
    const w = randomData(35, 2, 'f64');
    const copy = w.slice();
    dht2d(w, 5, 7, { variant: 'true' });
    expect(Array.from(w)).toEqual(Array.from(copy));
  });
});

describe('column pass', () => {
  it('vectorised route (rows = 2^m·3^j) matches per-column reference DHTs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 3, 4, 6, 9, 27, 32, 48, 64, 96, 128, 243, 256, 384, 512, 768),
        fc.integer({ min: 1, max: 80 }),
        arbFloatType,
        fc.integer(),
        (rows, cols, type, seed) => {
          const w = randomData(rows * cols, seed, type);
          const cols1 = new Float64Array(rows * cols);
          for (let c = 0; c < cols; c++) {
            const col = new Float64Array(rows);
            for (let r = 0; r < rows; r++) col[r] = w[r * cols + c]!;
            const h = referenceDht(col);
            for (let r = 0; r < rows; r++) cols1[r * cols + c] = h[r]! * 0.5;
          }
          const got = w.slice();
          createColumnTransform(rows, cols).apply(got, 0.5);
          expect(relErr(got, cols1)).toBeLessThanOrEqual(tolerance(w));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('createPlan2d transforms in place and matches dht2d for both variants', () => {
    for (const [rows, cols] of [[96, 40], [128, 7], [50, 33], [7, 128]] as const) {
      for (const variant of ['separable', 'true'] as const) {
        const w = randomData(rows * cols, rows + cols, 'f32');
        const buf = w.slice();
        createPlan2d(rows, cols, { variant }).transform(buf, 2);
        expect(relErr(buf, dht2d(w, rows, cols, { variant }).map((v) => 2 * v))).toBeLessThanOrEqual(1e-6);
      }
    }
  });
});
