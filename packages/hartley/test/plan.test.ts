import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlan, referenceDht, MAX_DIRECT_RADIX } from '@ssh-peft/hartley';
import { arbFloatType, arbLength, randomData, relErr, tolerance } from './helpers';

describe('createPlan', () => {
  it('radix and Bluestein kernels both match the reference, in place, with a scale', () => {
    fc.assert(
      fc.property(arbLength, fc.integer(), arbFloatType, fc.constantFrom('radix' as const, 'bluestein' as const), (n, seed, type, algorithm) => {
        // A radix stage of a huge prime is O(n²): only force radix where it is meant to run.
        fc.pre(algorithm === 'bluestein' || n <= 1100);
        const x = randomData(n, seed, type);
        const buf = x.slice();
        const plan = createPlan(n, { algorithm });
        expect(plan.n).toBe(n);
        expect(plan.algorithm).toBe(algorithm);
        plan.transform(buf, 0.5);
        expect(relErr(buf, referenceDht(x).map((v) => v * 0.5))).toBeLessThanOrEqual(tolerance(x));
      }),
      { numRuns: 80 },
    );
  });

  it('chooses radix for lengths with small prime factors and Bluestein otherwise', () => {
    for (const n of [1, 2, 768, 3072, 4096, 11008, 14336, 3 * 5 * 7 * 11, MAX_DIRECT_RADIX * 4]) expect(createPlan(n).algorithm).toBe('radix');
    for (const n of [71, 2 * 4999, 4099, 128 * 101]) expect(createPlan(n).algorithm).toBe('bluestein');
  });

  it('transformer widths and large sizes: radix and Bluestein (independent algorithms) agree to 1e-12', () => {
    for (const n of [768, 3072, 11008, 14336, 1 << 16, 3 * 5 * 7 * 9 * 11 * 13]) {
      const x = randomData(n, n, 'f64');
      const a = x.slice();
      const b = x.slice();
      createPlan(n, { algorithm: 'radix' }).transform(a);
      createPlan(n, { algorithm: 'bluestein' }).transform(b);
      expect(relErr(a, b), `n = ${n}`).toBeLessThanOrEqual(1e-12);
      // and a round trip through the same plan restores x
      createPlan(n).transform(a, 1 / n);
      expect(relErr(a, x), `n = ${n}`).toBeLessThanOrEqual(1e-12);
    }
  });

  it('768 and 3072 match the naive reference directly', () => {
    for (const n of [768, 3072]) {
      for (const type of ['f32', 'f64'] as const) {
        const x = randomData(n, 11, type);
        const buf = x.slice();
        createPlan(n).transform(buf);
        expect(relErr(buf, referenceDht(x))).toBeLessThanOrEqual(tolerance(x));
      }
    }
  });

  it('transformRows transforms every row independently and matches transform()', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 6 }), fc.integer(), arbFloatType, (n, rows, seed, type) => {
        const m = randomData(rows * n, seed, type);
        const plan = createPlan(n);
        const buf = m.slice();
        plan.transformRows(buf, rows, 2);
        for (let r = 0; r < rows; r++) {
          const row = m.slice(r * n, (r + 1) * n);
          const expected = referenceDht(row).map((v) => v * 2);
          expect(relErr(buf.subarray(r * n, (r + 1) * n), expected)).toBeLessThanOrEqual(tolerance(m));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('transformAt reads and writes at offsets, across array types, leaving the rest untouched', () => {
    const n = 48;
    const plan = createPlan(n);
    const src = randomData(3 * n, 5, 'f32');
    const dst = new Float64Array(2 * n + 7).fill(-9);
    plan.transformAt(src, n, dst, 7, 1);
    expect(relErr(dst.subarray(7, 7 + n), referenceDht(src.subarray(n, 2 * n)))).toBeLessThan(1e-5);
    expect(dst.subarray(0, 7).every((v) => v === -9)).toBe(true);
    expect(dst.subarray(7 + n).every((v) => v === -9)).toBe(true);
  });

  it('is reusable: repeated calls give identical results (no state leaks between calls)', () => {
    for (const n of [1024, 768, 4099]) {
      const plan = createPlan(n);
      const x = randomData(n, 3, 'f64');
      const first = x.slice();
      plan.transform(first);
      const other = randomData(n, 4, 'f64');
      plan.transform(other);
      const second = x.slice();
      plan.transform(second);
      expect(Array.from(second)).toEqual(Array.from(first));
    }
  });
});
