import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { baselines, buildTinyViT, SshBudgetError, SshTargetError } from '../src/index';
import { matMul64, randomArray, relativeError, useCpu, saveAndLoad } from './helpers';

beforeAll(useCpu);

const vit = (seed = 3) => buildTinyViT({ dim: 16, depth: 1, heads: 2, mlpDim: 24, numClasses: 4, seed });

/** α/(MN)·Σ_k c_k cos(2π(u_k m/M + v_k j/N)) = α·Re(IDFT2(S)), float64, naive. */
function referenceFourierDelta(rows: number, cols: number, indices: ArrayLike<number>, c: ArrayLike<number>, alpha: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let k = 0; k < indices.length; k++) {
    const u = Math.floor(indices[k] / cols);
    const v = indices[k] % cols;
    for (let m = 0; m < rows; m++) for (let j = 0; j < cols; j++) out[m * cols + j] += (alpha / (rows * cols)) * c[k] * Math.cos(2 * Math.PI * ((u * m) / rows + (v * j) / cols));
  }
  return out;
}

describe('baselines', () => {
  it('FourierFT ΔW equals α·Re(IDFT2(S)) for random shapes and positions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 1e6 }), (rows, cols, seed) => {
        const n = Math.max(1, Math.floor((rows * cols) / 4));
        const indices = baselines.randomPositions(rows * cols, n, seed);
        const layer = new baselines.FourierFTDense({ name: `fft_${seed}`, units: cols, inputDim: rows, indices, alpha: 30 });
        layer.apply(tf.zeros([1, rows]));
        const c = randomArray(n, seed);
        tf.tidy(() => {
          layer.coefficients.write(tf.tensor1d(c));
        });
        const dw = layer.deltaWeight();
        expect(relativeError(dw.dataSync(), referenceFourierDelta(rows, cols, indices, c, 30))).toBeLessThan(1e-5);
        dw.dispose();
      }),
      { numRuns: 30 },
    );
  });

  it('LoRA computes x·(W0 + α/r·A·B) + b, starts at the base model and trains only A and B', async () => {
    const base = vit(1);
    const x = tf.tensor2d(randomArray(4 * 784, 2), [4, 784]);
    const y0 = base.predict(x) as tf.Tensor;
    const lora = baselines.applyLoRA(base, { targets: /_(q|v)$/, rank: 2, alpha: 4, seed: 1 });
    expect(lora.summary().trainable).toBe(2 * 2 * (16 + 16));
    const y1 = lora.model.predict(x) as tf.Tensor;
    expect(relativeError(y1.dataSync(), y0.dataSync())).toBe(0);
    lora.model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    await lora.model.fit(x, tf.zeros([4, 4]), { epochs: 3, verbose: 0 });
    const q = lora.layers.get('block0_q') as InstanceType<typeof baselines.LoraDense>;
    const [a, b] = q.trainableWeights.map((w) => w.read());
    const ab = matMul64(a.dataSync(), b.dataSync(), 16, 2, 16);
    const dw = q.deltaWeight();
    expect(relativeError(dw.dataSync(), ab.map((v) => v * 2))).toBeLessThan(1e-5);
    const before = lora.model.predict(x) as tf.Tensor;
    lora.merge();
    const merged = lora.model.predict(x) as tf.Tensor;
    expect(relativeError(merged.dataSync(), before.dataSync())).toBeLessThan(1e-5);
    lora.unmerge();
    const loaded = await saveAndLoad(lora.model);
    const reloaded = loaded.predict(x) as tf.Tensor;
    expect(relativeError(reloaded.dataSync(), before.dataSync())).toBe(0);
    tf.dispose([x, y0, y1, dw, before, merged, reloaded]);
  });

  it('FourierFT wraps, trains, merges and disables like SSH', async () => {
    const base = vit(2);
    const x = tf.tensor2d(randomArray(4 * 784, 3), [4, 784]);
    const fft = baselines.applyFourierFT(base, { targets: ['block0_o'], n: 40, alpha: 300, seed: 2, init: 'normal', trainable: ['head'] });
    expect(fft.summary().adapterParameters).toBe(40);
    expect(fft.summary().trainable).toBe(40 + 16 * 4 + 4);
    const y = fft.model.predict(x) as tf.Tensor;
    fft.merge();
    const merged = fft.model.predict(x) as tf.Tensor;
    expect(relativeError(merged.dataSync(), y.dataSync())).toBeLessThan(1e-5);
    fft.disable();
    const off = fft.model.predict(x) as tf.Tensor;
    const baseY = base.predict(x) as tf.Tensor;
    expect(relativeError(off.dataSync(), baseY.dataSync())).toBeLessThan(1e-6);
    expect(() => baselines.applyFourierFT(base, { targets: ['block0_o'], n: 257 })).toThrow(SshBudgetError);
    expect(() => baselines.applyLoRA(base, { targets: 'missing' })).toThrow(SshTargetError);
    tf.dispose([x, y, merged, off, baseY]);
  });

  it('draws distinct, seeded positions', () => {
    const a = baselines.randomPositions(1000, 100, 5);
    expect(new Set(a).size).toBe(100);
    expect(Array.from(baselines.randomPositions(1000, 100, 5))).toEqual(Array.from(a));
    expect(Array.from(baselines.randomPositions(1000, 100, 6))).not.toEqual(Array.from(a));
    expect(new Set(baselines.randomPositions(10, 9, 1)).size).toBe(9);
    expect(() => baselines.randomPositions(10, 11, 1)).toThrow(SshBudgetError);
  });
});
