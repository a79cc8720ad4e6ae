import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCoefficientProblem, findIndexProblem } from '../src/invariants';

/** Obvious reference: the first element that is out of range or equal to an earlier one. */
function referenceIndexProblem(indices: number[], size: number): number | null {
  for (let k = 0; k < indices.length; k++) {
    const p = indices[k]!;
    if (!(Number.isInteger(p) && p >= 0 && p < size)) return k;
    if (indices.slice(0, k).includes(p)) return k;
  }
  return null;
}

describe('index and coefficient checks (fast paths vs references)', () => {
  it('findIndexProblem reports the same first bad element as the quadratic reference', () => {
    const caseArb = fc
      .record({ rows: fc.integer({ min: 1, max: 6 }), cols: fc.integer({ min: 1, max: 6 }) })
      .chain(({ rows, cols }) =>
        fc.record({
          rows: fc.constant(rows),
          cols: fc.constant(cols),
          // Values slightly beyond the range, with repeats likely; sorted half of the time (the O(n) path).
          indices: fc.array(fc.integer({ min: 0, max: rows * cols }), { maxLength: 12 }),
          sort: fc.boolean(),
        }),
      );
    fc.assert(
      fc.property(caseArb, ({ rows, cols, indices, sort }) => {
        const list = sort ? [...indices].sort((a, b) => a - b) : indices;
        const expected = referenceIndexProblem(list, rows * cols);
        const got = findIndexProblem(Uint32Array.from(list), rows, cols);
        expect(got?.index ?? null).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('findCoefficientProblem finds the first non-finite value, float32 and float64', () => {
    const valueArb = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e-45));
    fc.assert(
      fc.property(fc.array(valueArb, { maxLength: 10 }), fc.boolean(), (values, f32) => {
        const arr = f32 ? Float32Array.from(values) : Float64Array.from(values);
        const expected = [...arr].findIndex((x) => Number.isNaN(x) || x === Infinity || x === -Infinity);
        expect(findCoefficientProblem(arr)?.index ?? -1).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
