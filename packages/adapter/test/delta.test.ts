import fc from 'fast-check';
import { idht2d } from '@ssh-peft/hartley';
import { describe, expect, it } from 'vitest';
import {
  AdapterMismatchError,
  AdapterValidationError,
  deltaWeight,
  deltaWeight64,
  mergeWeights,
  unmergeWeights,
  type SshAdapter,
} from '../src/index';
import { referenceDelta } from './reference-delta';

/** A one-layer adapter over [rows, cols] with random positions and coefficients. */
const oneLayerArb = (maxDim: number) =>
  fc
    .record({
      rows: fc.integer({ min: 1, max: maxDim }),
      cols: fc.integer({ min: 1, max: maxDim }),
      variant: fc.constantFrom('separable' as const, 'true' as const),
      normalization: fc.constantFrom('backward' as const, 'ortho' as const, 'forward' as const),
      alpha: fc.double({ min: -50, max: 50, noNaN: true }),
    })
    .chain((s) =>
      fc
        .uniqueArray(fc.integer({ min: 0, max: s.rows * s.cols - 1 }), { maxLength: Math.min(s.rows * s.cols, 24) })
        .chain((positions) =>
          fc.array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: positions.length, maxLength: positions.length }).map(
            (coefs): SshAdapter => ({
              format: 'ssh-peft-adapter',
              version: 2,
              config: { variant: s.variant, normalization: s.normalization, init: 'zeros', initStd: 0, seed: 0, selection: {}, metadata: {} },
              layers: [{ name: 'L', rows: s.rows, cols: s.cols, indices: Uint32Array.from(positions), coefficients: Float32Array.from(coefs), alpha: s.alpha, fingerprint: 'fp' }],
            }),
          ),
        ),
    );

const scaleOf = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
};

describe('deltaWeight: lightweight inverse vs references', () => {
  it('equals the O(n·rows·cols) kernel sum on random rectangular shapes (both variants, all normalisations)', () => {
    fc.assert(
      fc.property(oneLayerArb(17), (adapter) => {
        const fast = deltaWeight64(adapter, 'L');
        const slow = referenceDelta(adapter, 'L');
        const tol = 1e-9 * (1 + scaleOf(slow)) * (adapter.layers[0]!.rows + adapter.layers[0]!.cols);
        let worst = 0;
        for (let i = 0; i < slow.length; i++) worst = Math.max(worst, Math.abs(fast[i]! - slow[i]!));
        expect(worst).toBeLessThanOrEqual(tol);
      }),
      { numRuns: 300 },
    );
  });

  it('equals α · dense idht2d(S) of the sparse spectrum (hartley), float32 output rounded once', () => {
    fc.assert(
      fc.property(oneLayerArb(40), (adapter) => {
        const layer = adapter.layers[0]!;
        const S = new Float64Array(layer.rows * layer.cols);
        layer.indices.forEach((p, k) => (S[p] = layer.coefficients[k]!));
        const dense = idht2d(S, layer.rows, layer.cols, { variant: adapter.config.variant, normalization: adapter.config.normalization });
        const fast32 = deltaWeight(adapter, 'L');
        const fast64 = deltaWeight64(adapter, 'L');
        expect(fast32).toBeInstanceOf(Float32Array);
        const tol = 1e-10 * (1 + scaleOf(dense) * Math.abs(layer.alpha)) * (layer.rows + layer.cols);
        let worst = 0;
        let roundedOnce = true;
        for (let i = 0; i < dense.length; i++) {
          worst = Math.max(worst, Math.abs(fast64[i]! - layer.alpha * dense[i]!));
          roundedOnce &&= fast32[i] === Math.fround(fast64[i]!);
        }
        expect(worst).toBeLessThanOrEqual(tol);
        expect(roundedOnce).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('is zero for an all-zero (freshly created) adapter', () => {
    const a = fc.sample(oneLayerArb(9), { numRuns: 1, seed: 3 })[0]!;
    const zero = { ...a, layers: [{ ...a.layers[0]!, coefficients: new Float32Array(a.layers[0]!.indices.length) }] };
    expect(deltaWeight(zero, 'L').every((x) => x === 0)).toBe(true);
  });
});

describe('mergeWeights / unmergeWeights', () => {
  it('unmerge(merge(W0)) == W0 to float32 rounding; merge == W0 + ΔW rounded once (float32 and float64)', () => {
    fc.assert(
      fc.property(
        oneLayerArb(16).chain((a) =>
          fc.tuple(
            fc.constant(a),
            fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: a.layers[0]!.rows * a.layers[0]!.cols, maxLength: a.layers[0]!.rows * a.layers[0]!.cols }),
            fc.boolean(),
          ),
        ),
        ([adapter, values, use64]) => {
          const w0 = use64 ? Float64Array.from(values) : Float32Array.from(values);
          const before = w0.slice();
          const delta = deltaWeight64(adapter, 'L');
          const merged = mergeWeights(w0, adapter, 'L', { verify: false });
          expect(merged.constructor).toBe(w0.constructor);
          expect(w0).toEqual(before);
          const wrongMerge = [...merged].findIndex((m, i) => m !== (use64 ? w0[i]! + delta[i]! : Math.fround(w0[i]! + delta[i]!)));
          expect(wrongMerge).toBe(-1);
          const back = unmergeWeights(merged, adapter, 'L');
          const outside = [...back].findIndex((b, i) => {
            // Relative float32/float64 rounding plus one subnormal step (results near 0).
            const magnitude = Math.abs(w0[i]!) + Math.abs(delta[i]!);
            const bound = use64 ? 4 * 2 ** -52 * magnitude + 2 ** -1073 : 2 ** -23 * magnitude + 2 ** -149;
            return !(Math.abs(b - w0[i]!) <= bound);
          });
          expect(outside).toBe(-1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes into options.out (in place allowed)', () => {
    const a = fc.sample(oneLayerArb(6), { numRuns: 1, seed: 11 })[0]!;
    const { rows, cols } = a.layers[0]!;
    const w = new Float32Array(rows * cols).fill(1);
    const expected = mergeWeights(w, a, 'L', { verify: false });
    const same = mergeWeights(w, a, 'L', { verify: false, out: w });
    expect(same).toBe(w);
    expect(w).toEqual(expected);
    expect(() => mergeWeights(w, a, 'L', { verify: false, out: new Float64Array(rows * cols) as unknown as Float32Array })).toThrow(AdapterValidationError);
  });

  it('refuses a wrong-size weight, an unknown layer, and a sum that overflows float32', () => {
    const a: SshAdapter = {
      format: 'ssh-peft-adapter',
      version: 2,
      config: { variant: 'separable', normalization: 'forward', init: 'zeros', initStd: 0, seed: 0, selection: {}, metadata: {} },
      layers: [{ name: 'L', rows: 2, cols: 2, indices: new Uint32Array([0]), coefficients: new Float32Array([1]), alpha: 3e38, fingerprint: 'fp' }],
    };
    expect(() => mergeWeights(new Float32Array(3), a, 'L', { verify: false })).toThrow(AdapterMismatchError);
    expect(() => mergeWeights(new Float32Array(3), a, 'L', { verify: false })).toThrow(/w0.length 3 ≠ rows·cols = 2·2 = 4/);
    expect(() => deltaWeight(a, 'nope')).toThrow(/"nope" is not a layer of the adapter \(layers: "L"\)/);
    const w = new Float32Array(4).fill(3e38);
    expect(() => mergeWeights(w, a, 'L', { verify: false })).toThrow(/w0\[0\]: 3\.0000000\d*e\+38 \+ ΔW\[0\] \(3e\+38\) is not finite in Float32Array/);
    const nan = new Float64Array(4);
    nan[2] = NaN;
    expect(() => unmergeWeights(nan, a, 'L')).toThrow(/w\[2\]: NaN/);
  });
});
