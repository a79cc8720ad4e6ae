import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accuracyOf, argmaxRows, maxAbsDifference } from '../src/train/evaluate';
import { CliNumericError } from '../src/errors';

describe('evaluation helpers', () => {
  it('argmaxRows and accuracyOf agree with an obvious reference (first maximum wins)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 12 }), fc.integer(), (rows, width, seed) => {
        const values = Float32Array.from({ length: rows * width }, (_, i) => Math.round(Math.sin(seed + i * 7.3) * 3));
        const labels = Uint8Array.from({ length: rows }, (_, i) => (seed + i) % width >>> 0);
        const reference = Array.from({ length: rows }, (_, r) => {
          const row = Array.from(values.subarray(r * width, (r + 1) * width));
          return row.indexOf(Math.max(...row));
        });
        expect(Array.from(argmaxRows(values, rows, width))).toEqual(reference);
        expect(accuracyOf(values, labels, width)).toBe(reference.filter((p, i) => p === labels[i]).length / rows);
      }),
    );
  });

  it('maxAbsDifference is the largest absolute difference and refuses NaN or length mismatch', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 }))), (pairs) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        expect(maxAbsDifference(a, b)).toBe(pairs.reduce((m, [x, y]) => Math.max(m, Math.abs(x - y)), 0));
      }),
    );
    expect(() => maxAbsDifference([1, NaN], [1, 2])).toThrow(/NaN at index 1/);
    expect(() => maxAbsDifference([1], [1, 2])).toThrow(/lengths differ/);
    expect(() => argmaxRows([0, NaN], 1, 2)).toThrow(CliNumericError);
    expect(() => accuracyOf([], new Uint8Array(0), 10)).toThrow(/empty split/);
  });
});
