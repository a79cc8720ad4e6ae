/**
 * The composed (gather + unsortedSegmentSum) route of the sparse mix is what the webgl and
 * webgpu backends run. Here it runs in Node on a clone of the cpu backend registered
 * under another name (all cpu kernels except the SshSparseMix ones), against the cpu kernels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { compileSpectralTerms } from '../src/ops/spectral-terms';
import { sparseMix } from '../src/ops/sparse-mix';
import { registerSshKernels } from '../src/kernels/register';
import { randomArray, randomPositions, relativeError, useCpu } from './helpers';

const CLONE = 'cpu-composed-mix';

beforeAll(async () => {
  await useCpu();
  registerSshKernels();
  tf.registerBackend(CLONE, () => new MathBackendCPU());
  for (const k of tf.getKernelsForBackend('cpu')) {
    if (!k.kernelName.startsWith('SshSparseMix')) tf.registerKernel({ ...k, backendName: CLONE });
  }
});

afterAll(async () => {
  await tf.setBackend('cpu');
  tf.removeBackend(CLONE);
});

function run(backend: string, x: Float32Array, c: Float32Array, dy: Float32Array, t: number, terms: ReturnType<typeof compileSpectralTerms>) {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const f = (xi: tf.Tensor, ci: tf.Tensor) => tf.sum(tf.mul(sparseMix(xi as tf.Tensor2D, ci, terms), tf.tensor2d(dy, [t, terms.cols])));
    const y = sparseMix(tf.tensor2d(x, [t, terms.rows]), tf.tensor1d(c), terms).dataSync();
    const [gx, gc] = tf.grads(f)([tf.tensor2d(x, [t, terms.rows]), tf.tensor1d(c)]);
    return [Float32Array.from(y), Float32Array.from(gx.dataSync()), Float32Array.from(gc.dataSync())];
  });
}

describe('sparseMix composed route (the GPU backends\' path)', () => {
  it('matches the cpu kernels in value and both gradients, both variants', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('separable' as const, 'true' as const), fc.integer({ min: 1, max: 1e6 }), (rows, cols, t, variant, seed) => {
        const n = Math.max(1, Math.floor((rows * cols) / 3));
        const terms = compileSpectralTerms(randomPositions(rows * cols, n, seed), rows, cols, variant);
        const x = randomArray(t * rows, seed + 1);
        const c = randomArray(n, seed + 2);
        const dy = randomArray(t * cols, seed + 3);
        const a = run('cpu', x, c, dy, t, terms);
        const b = run(CLONE, x, c, dy, t, terms);
        for (let i = 0; i < 3; i++) expect(relativeError(b[i], a[i])).toBeLessThan(1e-5);
      }),
      { numRuns: 25 },
    );
    tf.setBackend('cpu');
  });
});
