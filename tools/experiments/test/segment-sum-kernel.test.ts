import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { installFastSegmentSum, segmentSumValues } from '../segment-sum-kernel';

/** Obvious reference: a loop over segments and rows, in float64. */
function referenceSegmentSum(x: number[], ids: number[], numSegments: number, inner: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < numSegments; s++) {
    for (let j = 0; j < inner; j++) {
      let acc = 0;
      for (let i = 0; i < ids.length; i++) if (ids[i] === s) acc += x[i * inner + j];
      out.push(acc);
    }
  }
  return out;
}

const cases = fc
  .record({ rows: fc.integer({ min: 1, max: 9 }), inner: fc.integer({ min: 1, max: 7 }), numSegments: fc.integer({ min: 1, max: 11 }) })
  .chain(({ rows, inner, numSegments }) =>
    fc.record({
      rows: fc.constant(rows),
      inner: fc.constant(inner),
      numSegments: fc.constant(numSegments),
      // ids may fall outside [0, numSegments): those rows must be dropped.
      ids: fc.array(fc.integer({ min: -2, max: numSegments + 1 }), { minLength: rows, maxLength: rows }),
      x: fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: rows * inner, maxLength: rows * inner }),
    }),
  );

describe('segmentSumValues', () => {
  it('matches the per-segment loop (float32 and int32)', () => {
    fc.assert(
      fc.property(cases, fc.constantFrom('float32' as const, 'int32' as const), ({ rows, inner, numSegments, ids, x }, dtype) => {
        const xs = dtype === 'int32' ? x.map(Math.round) : Array.from(Float32Array.from(x));
        const got = Array.from(segmentSumValues(xs, ids, numSegments, inner, dtype));
        const want = referenceSegmentSum(xs, ids, numSegments, inner);
        expect(got.length).toBe(numSegments * inner);
        want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 2));
        expect(rows).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('installFastSegmentSum', () => {
  let original: tf.KernelFunc;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    original = installFastSegmentSum();
  });

  it('is idempotent and returns the replaced kernel', () => {
    expect(installFastSegmentSum()).toBe(original);
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'cpu')?.kernelFunc).not.toBe(original);
  });

  it('agrees with the original tfjs kernel through tf.unsortedSegmentSum and its gradient use', () => {
    const backend = tf.backend();
    fc.assert(
      fc.property(cases, ({ rows, inner, numSegments, ids, x }) => {
        const inRange = ids.map((id) => ((id % numSegments) + numSegments) % numSegments);
        tf.tidy(() => {
          const xt = tf.tensor2d(x, [rows, inner]);
          const it = tf.tensor1d(inRange, 'int32');
          const fast = tf.unsortedSegmentSum(xt, it, numSegments).dataSync();
          const ref = original({ inputs: { x: xt, segmentIds: it }, backend, attrs: { numSegments } }) as tf.TensorInfo;
          const refValues = tf.engine().makeTensorFromTensorInfo(ref).dataSync();
          expect(fast.length).toBe(refValues.length);
          for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(refValues[i], 2);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('gives the Embedding gradient (gather backward) the same values as a dense one-hot product', () => {
    tf.tidy(() => {
      const table = tf.variable(tf.randomNormal([13, 5], 0, 1, 'float32', 3));
      const ids = tf.tensor1d([1, 4, 4, 12, 0, 1], 'int32');
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), tf.reshape(tf.range(1, 31), [6, 5]))))(table);
      const dense = tf.matMul(tf.cast(tf.oneHot(ids, 13), 'float32'), tf.reshape(tf.range(1, 31), [6, 5]), true, false);
      const a = g.dataSync();
      const b = dense.dataSync();
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 4);
    });
  });
});
