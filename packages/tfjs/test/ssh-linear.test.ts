import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { normalizationFactor, sparseIdht2d } from '@ssh-peft/hartley';
import { compileSpectralTerms } from '../src/ops/spectral-terms';
import { sshDeltaWeight, sshLinear, chooseSshPath, type SshLayerState } from '../src/ops/ssh-linear';
import { SshShapeError } from '../src/errors';
import { matMul64, randomArray, randomPositions, referenceDeltaWeight, relativeError, useCpu } from './helpers';

beforeAll(useCpu);

const variants = ['separable', 'true'] as const;
const normalizations = ['backward', 'ortho', 'forward'] as const;

interface Case {
  tokens: number;
  rows: number;
  cols: number;
  n: number;
  seed: number;
  variant: 'separable' | 'true';
  normalization: 'backward' | 'ortho' | 'forward';
  alpha: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    tokens: fc.integer({ min: 1, max: 6 }),
    rows: fc.integer({ min: 1, max: 13 }),
    cols: fc.integer({ min: 1, max: 13 }),
    fill: fc.double({ min: 0.05, max: 1, noNaN: true }),
    seed: fc.integer({ min: 1, max: 1e6 }),
    variant: fc.constantFrom(...variants),
    normalization: fc.constantFrom(...normalizations),
    alpha: fc.double({ min: 0.1, max: 20, noNaN: true }),
  })
  .map(({ fill, ...c }) => ({ ...c, n: Math.max(1, Math.floor(fill * c.rows * c.cols)) }));

function setup(c: Case) {
  const indices = randomPositions(c.rows * c.cols, c.n, c.seed);
  const coef = randomArray(c.n, c.seed + 1);
  const x = randomArray(c.tokens * c.rows, c.seed + 2);
  const w0 = randomArray(c.rows * c.cols, c.seed + 3);
  const bias = randomArray(c.cols, c.seed + 4);
  const factor = c.alpha * normalizationFactor(c.rows * c.cols, c.normalization, 'idht');
  return { indices, coef, x, w0, bias, factor };
}

/** y = x·(W0 + ΔW) + b in float64 with the naive ΔW. */
function referenceForward(c: Case, s: ReturnType<typeof setup>, coef: ArrayLike<number> = s.coef, x: ArrayLike<number> = s.x): Float64Array {
  const dw = referenceDeltaWeight(c.rows, c.cols, s.indices, coef, c.variant, s.factor);
  const w = dw.map((d, i) => d + s.w0[i]);
  const y = matMul64(x, w, c.tokens, c.rows, c.cols);
  for (let i = 0; i < y.length; i++) y[i] += s.bias[i % c.cols];
  return y;
}

describe('sshLinear', () => {
  it('factored and dense routes both equal the float64 reference, every variant and normalisation', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const s = setup(c);
        const terms = compileSpectralTerms(s.indices, c.rows, c.cols, c.variant);
        const expected = referenceForward(c, s);
        tf.tidy(() => {
          const state: SshLayerState = { terms, coefficients: tf.tensor1d(s.coef), alpha: c.alpha, normalization: c.normalization };
          const x = tf.tensor2d(s.x, [c.tokens, c.rows]);
          const w0 = tf.tensor2d(s.w0, [c.rows, c.cols]);
          const bias = tf.tensor1d(s.bias);
          const f = sshLinear(x, w0, state, { bias, path: 'factored' }).dataSync();
          const d = sshLinear(x, w0, state, { bias, path: 'dense' }).dataSync();
          expect(relativeError(f, expected)).toBeLessThan(2e-5);
          expect(relativeError(d, expected)).toBeLessThan(2e-5);
        });
      }),
      { numRuns: 80 },
    );
  });

  it('materialises the same ΔW as @ssh-peft/hartley sparseIdht2d', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const s = setup(c);
        const terms = compileSpectralTerms(s.indices, c.rows, c.cols, c.variant);
        const dw = sshDeltaWeight({ terms, coefficients: tf.tensor1d(s.coef), alpha: c.alpha, normalization: c.normalization });
        const expected = sparseIdht2d(s.indices, s.coef, c.rows, c.cols, { variant: c.variant, normalization: c.normalization, scale: c.alpha });
        expect(relativeError(dw.dataSync(), expected)).toBeLessThan(2e-5);
        dw.dispose();
      }),
      { numRuns: 40 },
    );
  });

  it('gradients w.r.t. coefficients and x match central finite differences of the float64 reference', () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom('factored' as const, 'dense' as const), (c, path) => {
        const s = setup(c);
        const terms = compileSpectralTerms(s.indices, c.rows, c.cols, c.variant);
        const r = randomArray(c.tokens * c.cols, c.seed + 9);
        const lossRef = (coef: ArrayLike<number>, x: ArrayLike<number>) => referenceForward(c, s, coef, x).reduce((acc, y, i) => acc + y * r[i], 0);
        const [gc, gx] = tf.tidy(() => {
          const w0 = tf.tensor2d(s.w0, [c.rows, c.cols]);
          const bias = tf.tensor1d(s.bias);
          const rt = tf.tensor2d(r, [c.tokens, c.cols]);
          const f = (coef: tf.Tensor, x: tf.Tensor) =>
            tf.sum(tf.mul(sshLinear(x, w0, { terms, coefficients: coef, alpha: c.alpha, normalization: c.normalization }, { bias, path }), rt));
          const [a, b] = tf.grads(f)([tf.tensor1d(s.coef), tf.tensor2d(s.x, [c.tokens, c.rows])]);
          return [Array.from(a.dataSync()), Array.from(b.dataSync())];
        });
        const h = 1e-3;
        const fdCoef = Array.from(s.coef, (_, k) => {
          const plus = Float64Array.from(s.coef); plus[k] += h;
          const minus = Float64Array.from(s.coef); minus[k] -= h;
          return (lossRef(plus, s.x) - lossRef(minus, s.x)) / (2 * h);
        });
        const fdX = Array.from(s.x, (_, i) => {
          const plus = Float64Array.from(s.x); plus[i] += h;
          const minus = Float64Array.from(s.x); minus[i] -= h;
          return (lossRef(s.coef, plus) - lossRef(s.coef, minus)) / (2 * h);
        });
        expect(relativeError(gc, fdCoef)).toBeLessThan(1e-4);
        expect(relativeError(gx, fdX)).toBeLessThan(1e-4);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps leading axes: [B, T, rows] → [B, T, cols]', () => {
    const terms = compileSpectralTerms(new Uint32Array([0, 7, 11]), 4, 6, 'separable');
    const y = tf.tidy(() =>
      sshLinear(tf.ones([2, 3, 4]), tf.zeros([4, 6]), { terms, coefficients: tf.tensor1d([1, 2, 3]), alpha: 1, normalization: 'backward' }),
    );
    expect(y.shape).toEqual([2, 3, 6]);
    y.dispose();
  });

  it('rejects mismatched shapes with messages naming the tensor and the expected shape', () => {
    const terms = compileSpectralTerms(new Uint32Array([0, 7]), 4, 6, 'separable');
    const state = { terms, coefficients: tf.tensor1d([1, 2]), alpha: 1, normalization: 'backward' as const };
    expect(() => sshLinear(tf.ones([2, 5]), tf.zeros([4, 6]), state)).toThrow(/last axis must be d_in = 4/);
    expect(() => sshLinear(tf.ones([2, 4]), tf.zeros([6, 4]), state)).toThrow(SshShapeError);
    expect(() => sshLinear(tf.ones([2, 4]), tf.zeros([4, 6]), { ...state, coefficients: tf.tensor1d([1, 2, 3]) })).toThrow(/expected \[2\]/);
    expect(() => sshLinear(tf.ones([2, 4]), tf.zeros([4, 6]), state, { bias: tf.zeros([5]) })).toThrow(/bias has shape \[5\]/);
    expect(() => compileSpectralTerms([0, 24], 4, 6, 'separable')).toThrow(/indices\[1\] = 24 is outside/);
    expect(() => compileSpectralTerms([3, 3], 4, 6, 'separable')).toThrow(/repeated/);
  });

  it("'auto' picks the factored route for many tokens", () => {
    const terms = compileSpectralTerms(randomPositions(768 * 768, 1000, 3), 768, 768, 'separable');
    expect(chooseSshPath(4096, terms, true)).toBe('factored');
  });
});
