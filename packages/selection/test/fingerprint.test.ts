import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprintWeights, SelectionInputError } from '../src/index';
import { referenceFingerprint } from './reference';

const arbMatrix = fc
  .record({ rows: fc.integer({ min: 1, max: 40 }), cols: fc.integer({ min: 1, max: 400 }) })
  .chain(({ rows, cols }) =>
    fc.record({
      rows: fc.constant(rows),
      cols: fc.constant(cols),
      values: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: rows * cols, maxLength: rows * cols }),
    }),
  );

describe('fingerprintWeights', () => {
  it('equals the byte-wise reference of the documented algorithm, float32 and float64 (chunked path included)', () => {
    fc.assert(
      fc.property(arbMatrix, ({ rows, cols, values }) => {
        const f32 = Float32Array.from(values);
        const f64 = Float64Array.from(values);
        const expected = referenceFingerprint(f32, rows, cols);
        expect(fingerprintWeights(f32, rows, cols)).toBe(expected);
        expect(fingerprintWeights(f64, rows, cols)).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('float64 input longer than one conversion chunk (16384) hashes like its float32 copy and the reference', () => {
    const values = Float64Array.from({ length: 17 * 3001 }, (_, i) => Math.sin(i * 0.731) * 1e3 + 1e-9 * i);
    const f32 = Float32Array.from(values);
    expect(fingerprintWeights(values, 17, values.length / 17)).toBe(referenceFingerprint(f32, 17, values.length / 17));
    expect(fingerprintWeights(values, 17, values.length / 17)).toBe(fingerprintWeights(f32, 17, values.length / 17));
  });

  it('changes when one value changes by one float32 ulp, when transposed, and when reshaped', () => {
    fc.assert(
      fc.property(arbMatrix, fc.nat(), ({ rows, cols, values }, at) => {
        const w = Float32Array.from(values);
        const fp = fingerprintWeights(w, rows, cols);
        const bumped = w.slice();
        const bits = new Uint32Array(bumped.buffer);
        bits[at % w.length]! ^= 1;
        expect(fingerprintWeights(bumped, rows, cols)).not.toBe(fp);
        if (rows !== cols) expect(fingerprintWeights(w, cols, rows)).not.toBe(fp); // square transposes: see the next test
      }),
      { numRuns: 60 },
    );
  });

  it('catches a transposed square matrix (same shape text, different element order)', () => {
    const n = 64;
    const w = Float32Array.from({ length: n * n }, (_, i) => Math.sin(i) + (i % n));
    const t = new Float32Array(n * n);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) t[c * n + r] = w[r * n + c]!;
    expect(fingerprintWeights(t, n, n)).not.toBe(fingerprintWeights(w, n, n));
  });

  it('has a stable, documented format (this exact value must not change between versions)', () => {
    const w = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(fingerprintWeights(w, 2, 3)).toMatch(/^ssh-fp1:2x3:[0-9a-f]{16}$/);
    expect(fingerprintWeights(w, 2, 3)).toBe(referenceFingerprint([1, 2, 3, 4, 5, 6], 2, 3));
    expect(fingerprintWeights(w, 2, 3)).toBe('ssh-fp1:2x3:ce35a75855d02bb7');
  });

  it('rejects bad shapes and types with the values in the message', () => {
    expect(() => fingerprintWeights(new Float32Array(6), 4, 2)).toThrow(/rows·cols \(4·2 = 8\) ≠ weights.length \(6\)/);
    expect(() => fingerprintWeights(new Float32Array(6), 0, 6)).toThrow(SelectionInputError);
    expect(() => fingerprintWeights([1, 2] as unknown as Float32Array, 1, 2)).toThrow(/Array, expected a Float32Array or Float64Array/);
  });
});
