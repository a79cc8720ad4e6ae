import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { DHT_KERNEL_NAME, dhtLastAxis } from '../src/ops/dht';
import { registerSshKernels } from '../src/kernels/register';
import { SshDtypeError, SshShapeError, SshDisposedError, SshOptionError } from '../src/errors';
import { randomArray, referenceDhtRows, relativeError, useCpu } from './helpers';

beforeAll(useCpu);

describe('dhtLastAxis (cpu kernel)', () => {
  it('matches the O(N²) float64 cas reference for random shapes, odd and prime lengths, any rank', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 2 }),
        fc.integer({ min: 1, max: 97 }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 1e6 }),
        (lead, n, scale, seed) => {
          const shape = [...lead, n];
          const size = shape.reduce((a, b) => a * b, 1);
          const data = randomArray(size, seed);
          const y = tf.tidy(() => dhtLastAxis(tf.tensor(data, shape), scale));
          expect(y.shape).toEqual(shape);
          expect(relativeError(y.dataSync(), referenceDhtRows(data, n, scale))).toBeLessThan(1e-5 * Math.max(1, Math.log2(n)));
          y.dispose();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is its own inverse up to 1/N', () => {
    const x = tf.tensor2d(randomArray(3 * 11, 7), [3, 11]);
    const back = tf.tidy(() => dhtLastAxis(dhtLastAxis(x), 1 / 11));
    expect(relativeError(back.dataSync(), x.dataSync())).toBeLessThan(1e-6);
    tf.dispose([x, back]);
  });

  it('has the gradient DHT(dy): vjp equals the float64 transform of the cotangent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 1e6 }), (n, rows, seed) => {
        const x = tf.tensor2d(randomArray(rows * n, seed), [rows, n]);
        const dyData = randomArray(rows * n, seed + 1);
        const dy = tf.tensor2d(dyData, [rows, n]);
        const g = tf.grad((t: tf.Tensor) => dhtLastAxis(t, 0.5))(x, dy);
        expect(relativeError(g.dataSync(), referenceDhtRows(dyData, n, 0.5))).toBeLessThan(1e-5 * Math.max(1, Math.log2(n)));
        tf.dispose([x, dy, g]);
      }),
      { numRuns: 30 },
    );
  });

  it('rejects bad input with typed errors naming the problem', () => {
    expect(() => dhtLastAxis(tf.scalar(1))).toThrow(SshShapeError);
    expect(() => dhtLastAxis(tf.tensor1d([1, 2], 'int32'))).toThrow(/float32, got int32/);
    expect(() => dhtLastAxis(tf.tensor1d([1, 2], 'int32'))).toThrow(SshDtypeError);
    expect(() => dhtLastAxis(tf.zeros([2, 0]))).toThrow(/last axis has length 0/);
    expect(() => dhtLastAxis(tf.ones([2]), Number.NaN)).toThrow(SshOptionError);
    const d = tf.ones([3]);
    d.dispose();
    expect(() => dhtLastAxis(d)).toThrow(SshDisposedError);
  });

  it('registers idempotently and leaks no tensor through forward and backward', () => {
    registerSshKernels();
    registerSshKernels();
    expect(tf.getKernel(DHT_KERNEL_NAME, 'cpu')).toBeDefined();
    const x = tf.ones([4, 9]);
    const v = tf.variable(tf.ones([2, 5]));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(dhtLastAxis(v))) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
      const g = tf.grad((t: tf.Tensor) => dhtLastAxis(t))(x);
      g.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, v]);
  });
});
