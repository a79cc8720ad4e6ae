import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { referenceDht, referenceDht2d } from '@ssh-peft/hartley';
import { dhtViaComplexDft, relErr, randomData } from './helpers';

describe('referenceDht (the oracle itself)', () => {
  it('matches hand-computed transforms', () => {
    expect(Array.from(referenceDht([1, 0, 0, 0]))).toEqual([1, 1, 1, 1]);
    // N = 4: cas(πkn/2) rows are [1,1,1,1], [1,1,−1,−1], [1,−1,1,−1], [1,−1,−1,1].
    const h = referenceDht([1, 2, 3, 4]);
    [10, -4, -2, 0].forEach((v, i) => expect(h[i]).toBeCloseTo(v, 12));
    expect(Array.from(referenceDht([5]))).toEqual([5]);
  });

  it('agrees with a naive complex DFT through H = Re F − Im F', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer(), (n, seed) => {
        const x = randomData(n, seed, 'f64');
        expect(relErr(referenceDht(x), dhtViaComplexDft(x))).toBeLessThan(1e-12);
      }),
      { numRuns: 40 },
    );
  });

  it('2D: separable is row DHTs then column DHTs; true obeys the reflection relation', () => {
    const small = referenceDht2d([1, 2, 3, 4], 2, 2, 'true');
    [10, -2, -4, 0].forEach((v, i) => expect(small[i]).toBeCloseTo(v, 12));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer(), (rows, cols, seed) => {
        const w = randomData(rows * cols, seed, 'f64');
        const s = referenceDht2d(w, rows, cols, 'separable');
        const t = referenceDht2d(w, rows, cols, 'true');
        for (let u = 0; u < rows; u++) {
          for (let v = 0; v < cols; v++) {
            const um = (rows - u) % rows;
            const vm = (cols - v) % cols;
            const expected = 0.5 * (s[u * cols + v]! + s[um * cols + v]! + s[u * cols + vm]! - s[um * cols + vm]!);
            expect(t[u * cols + v]).toBeCloseTo(expected, 10);
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});
