/**
 * The composed route (src/ops/composed-route.ts) on a backend that has only tfjs's stock
 * kernels ('stock-only': a fresh cpu backend with the cpu backend's kernels minus ours),
 * against the cpu backend's native route: dhtLastAxis, sshLinear's forward and both
 * gradients on both routes and both 2D variants, sshDeltaWeight, and applySSH + fit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  applySSH,
  clearComposedRouteTables,
  COMPOSED_DHT_MAX_LENGTH,
  compileSpectralTerms,
  dhtLastAxis,
  DHT_KERNEL_NAME,
  SshShapeError,
  sshDeltaWeight,
  sshLinear,
  type SshLayerState,
} from '../src/index';
import { randomArray, randomPositions, relativeError, useCpu } from './helpers';
import { registerStockOnlyBackend } from './stock-only-backend';

const STOCK = 'stock-only';

beforeAll(async () => {
  await useCpu();
  // Ours are registered on cpu first, so the copy demonstrably leaves them out.
  tf.tidy(() => dhtLastAxis(tf.ones([1, 4])));
  registerStockOnlyBackend(STOCK);
});

afterAll(async () => {
  await tf.setBackend(STOCK);
  clearComposedRouteTables();
  await tf.setBackend('cpu');
  tf.removeBackend(STOCK);
});

/** Runs `fn` with `name` active and returns its plain arrays. */
function on<T>(name: string, fn: () => T): T {
  tf.setBackend(name);
  try {
    return fn();
  } finally {
    tf.setBackend('cpu');
  }
}

interface LinearCase {
  tokens: number;
  rows: number;
  cols: number;
  fill: number;
  variant: 'separable' | 'true';
  path: 'factored' | 'dense';
  normalization: 'backward' | 'ortho' | 'forward';
  seed: number;
}

const linearCase: fc.Arbitrary<LinearCase> = fc.record({
  tokens: fc.integer({ min: 1, max: 7 }),
  rows: fc.integer({ min: 1, max: 17 }),
  cols: fc.integer({ min: 1, max: 17 }),
  fill: fc.double({ min: 0.05, max: 1, noNaN: true }),
  variant: fc.constantFrom('separable' as const, 'true' as const),
  path: fc.constantFrom('factored' as const, 'dense' as const),
  normalization: fc.constantFrom('backward' as const, 'ortho' as const, 'forward' as const),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

/** sshLinear's y, ∂/∂x, ∂/∂c and ∂/∂bias for one case on the active backend. */
function linearOutputs(c: LinearCase): Float32Array[] {
  const n = Math.max(1, Math.floor(c.fill * c.rows * c.cols));
  const terms = compileSpectralTerms(randomPositions(c.rows * c.cols, n, c.seed), c.rows, c.cols, c.variant);
  return tf.tidy(() => {
    const x = tf.tensor2d(randomArray(c.tokens * c.rows, c.seed + 1), [c.tokens, c.rows]);
    const w0 = tf.tensor2d(randomArray(c.rows * c.cols, c.seed + 2), [c.rows, c.cols]);
    const coef = tf.tensor1d(randomArray(n, c.seed + 3));
    const bias = tf.tensor1d(randomArray(c.cols, c.seed + 4));
    const dy = tf.tensor2d(randomArray(c.tokens * c.cols, c.seed + 5), [c.tokens, c.cols]);
    const f = (xi: tf.Tensor, ci: tf.Tensor, bi: tf.Tensor) => {
      const state: SshLayerState = { terms, coefficients: ci, alpha: 7, normalization: c.normalization };
      return tf.sum(tf.mul(sshLinear(xi, w0, state, { bias: bi, path: c.path }), dy));
    };
    const state: SshLayerState = { terms, coefficients: coef, alpha: 7, normalization: c.normalization };
    const y = sshLinear(x, w0, state, { bias, path: c.path });
    const grads = tf.grads(f)([x, coef, bias]);
    return [y, ...grads].map((t) => Float32Array.from(t.dataSync()));
  });
}

describe("composed route on a backend with tfjs's stock kernels only", () => {
  it('the stock-only backend carries the cpu stock kernels and none of ours', () => {
    const names = tf.getKernelsForBackend(STOCK).map((k) => k.kernelName);
    expect(names).toContain('BatchMatMul');
    expect(names.filter((k) => k.startsWith('Ssh'))).toEqual([]);
    expect(tf.getKernel(DHT_KERNEL_NAME, 'cpu')).toBeDefined();
  });

  it('dhtLastAxis and its gradient equal the cpu kernel (random lengths, batch shapes, scales)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
        fc.constantFrom(1, 0.5, -2),
        fc.integer({ min: 1, max: 1e6 }),
        (n, lead, scale, seed) => {
          const shape = [...lead, n];
          const size = shape.reduce((a, b) => a * b, 1);
          const run = () =>
            tf.tidy(() => {
              const x = tf.tensor(randomArray(size, seed), shape);
              const w = tf.tensor(randomArray(size, seed + 1), shape);
              const y = dhtLastAxis(x, scale);
              const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(dhtLastAxis(t, scale), w)))(x);
              return [Float32Array.from(y.dataSync()), Float32Array.from(g.dataSync()), y.shape];
            });
          const want = run();
          const got = on(STOCK, run);
          expect(got[2]).toEqual(shape);
          // Both float32; the matMul sums N products where the kernel does log N passes.
          expect(relativeError(got[0] as Float32Array, want[0] as Float32Array)).toBeLessThan(2e-6 * Math.max(1, Math.sqrt(n)));
          expect(relativeError(got[1] as Float32Array, want[1] as Float32Array)).toBeLessThan(2e-6 * Math.max(1, Math.sqrt(n)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('sshLinear forward, ∂/∂x, ∂/∂c and ∂/∂bias equal cpu (both routes, both 2D variants, odd sizes)', () => {
    fc.assert(
      fc.property(linearCase, (c) => {
        const want = linearOutputs(c);
        const got = on(STOCK, () => linearOutputs(c));
        for (let i = 0; i < want.length; i++) {
          // float32 on both sides, different summation orders: a few ulps of the largest term.
          expect(relativeError(got[i], want[i]), `output ${['y', 'dx', 'dc', 'db'][i]}`).toBeLessThan(2e-5);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('sshDeltaWeight (merge) equals cpu', () => {
    for (const variant of ['separable', 'true'] as const) {
      const terms = compileSpectralTerms(randomPositions(13 * 9, 20, 5), 13, 9, variant);
      const make = () =>
        tf.tidy(() => Float32Array.from(sshDeltaWeight({ terms, coefficients: tf.tensor1d(randomArray(20, 6)), alpha: 3, normalization: 'ortho' }).dataSync()));
      expect(relativeError(on(STOCK, make), make())).toBeLessThan(1e-5);
    }
  });

  it('picks the route per backend at call time: our kernels on cpu, stock ops only on stock-only', async () => {
    const terms = compileSpectralTerms(randomPositions(12 * 10, 15, 9), 12, 10, 'true');
    const step = () =>
      tf.tidy(() => {
        const c = tf.tensor1d(randomArray(15, 1));
        const x = tf.tensor2d(randomArray(3 * 12, 2), [3, 12]);
        const w0 = tf.zeros([12, 10]);
        return tf.grads((ci: tf.Tensor) => tf.sum(sshLinear(x, w0, { terms, coefficients: ci, alpha: 1, normalization: 'backward' }, { path: 'factored' })))([c])[0].dataSync();
      });
    const kernelsOn = async (name: string) => {
      await tf.setBackend(name);
      const info = await tf.profile(step);
      await tf.setBackend('cpu');
      return info.kernelNames;
    };
    expect(await kernelsOn('cpu')).toContain(DHT_KERNEL_NAME);
    const stockKernels = await kernelsOn(STOCK);
    expect(stockKernels.filter((k) => k.startsWith('Ssh'))).toEqual([]);
    expect(stockKernels).toContain('BatchMatMul');
    // True-2D coefficients are broadcast, not gathered: no UnsortedSegmentSum in the gradient
    // (O(segments × size) on tfjs-backend-cpu, miscounted windows on tfjs-backend-webgl 4.22).
    expect(stockKernels).not.toContain('UnsortedSegmentSum');
    expect(stockKernels).not.toContain('GatherV2');
    expect(await kernelsOn('cpu')).toContain(DHT_KERNEL_NAME);
  });

  it('caches its tables: repeated calls allocate no tensors; clearComposedRouteTables releases them', () => {
    const terms = compileSpectralTerms(randomPositions(16 * 8, 10, 3), 16, 8, 'separable');
    tf.setBackend(STOCK);
    try {
      // Start from no tables, so the count released below is exactly this test's.
      clearComposedRouteTables();
      const state: SshLayerState = { terms, coefficients: tf.tensor1d(randomArray(10, 2)), alpha: 1, normalization: 'backward' };
      const x = tf.ones([2, 16]);
      const w0 = tf.zeros([16, 8]);
      tf.dispose(sshLinear(x, w0, state));
      tf.dispose(dhtLastAxis(x));
      const before = tf.memory().numTensors;
      tf.dispose(sshLinear(x, w0, state));
      tf.dispose(dhtLastAxis(x));
      expect(tf.memory().numTensors).toBe(before);
      clearComposedRouteTables();
      // Two position tables (U, V) and one cas matrix (N = 16) released.
      expect(tf.memory().numTensors).toBe(before - 3);
      const y = sshLinear(x, w0, state);
      expect(Array.from(y.shape)).toEqual([2, 8]);
      tf.dispose([y, x, w0, state.coefficients]);
    } finally {
      tf.setBackend('cpu');
    }
  });

  it('dhtLastAxis names its limit on such a backend instead of allocating an oversized cas matrix', () => {
    tf.setBackend(STOCK);
    try {
      const x = tf.zeros([1, COMPOSED_DHT_MAX_LENGTH + 1]);
      expect(() => dhtLastAxis(x)).toThrow(SshShapeError);
      expect(() => dhtLastAxis(x)).toThrow(new RegExp(`N ≤ ${COMPOSED_DHT_MAX_LENGTH}; got N = ${COMPOSED_DHT_MAX_LENGTH + 1}`));
      x.dispose();
    } finally {
      tf.setBackend('cpu');
    }
  });

  it('applySSH + fit trains on it like on cpu (same coefficients after the same steps)', async () => {
    const train = async () => {
      const input = tfl.input({ shape: [6, 24] });
      const hidden = tfl.layers.dense({ units: 20, name: 'proj', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }).apply(input) as tfl.SymbolicTensor;
      const flat = tfl.layers.flatten().apply(hidden) as tfl.SymbolicTensor;
      const out = tfl.layers.dense({ units: 3, name: 'head', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }).apply(flat) as tfl.SymbolicTensor;
      const base = tfl.model({ inputs: input, outputs: out });
      const ssh = await applySSH(base, { targets: ['proj'], perLayer: 30, variant: 'true', alpha: 50, seed: 3 });
      ssh.model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
      const x = tf.tensor3d(randomArray(8 * 6 * 24, 11), [8, 6, 24]);
      const y = tf.tensor2d(randomArray(8 * 3, 12), [8, 3]);
      const lossAt = () => tf.tidy(() => (ssh.model.evaluate(x, y) as tf.Scalar).dataSync()[0]);
      const initial = lossAt();
      await ssh.model.fit(x, y, { epochs: 6, batchSize: 4, shuffle: false, verbose: 0 });
      const final = lossAt();
      const coefVariable = ssh.model.getLayer('proj').weights.find((w) => w.originalName.endsWith('ssh_coefficients'));
      const coefficients = Float32Array.from(coefVariable!.read().dataSync());
      tf.dispose([x, y]);
      return { initial, final, coefficients };
    };
    const cpu = await train();
    await tf.setBackend(STOCK);
    const stock = await train();
    await tf.setBackend('cpu');
    expect(stock.final).toBeLessThan(stock.initial * 0.9);
    expect(Math.abs(stock.initial - cpu.initial)).toBeLessThan(1e-5 * cpu.initial);
    expect(relativeError(stock.coefficients, cpu.coefficients)).toBeLessThan(1e-4);
    expect(stock.coefficients.some((v) => v !== 0)).toBe(true);
  });
});
