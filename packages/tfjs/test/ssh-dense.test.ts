import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { normalizationFactor } from '@ssh-peft/hartley';
import { SshDense } from '../src/layers/ssh-dense';
import { SshNonFiniteError, SshShapeError, SshStateError } from '../src/errors';
import { matMul64, randomArray, randomPositions, referenceDeltaWeight, relativeError, useCpu, saveAndLoad } from './helpers';

beforeAll(useCpu);

function makeLayer(rows: number, cols: number, n: number, seed: number, variant: 'separable' | 'true' = 'separable', activation = 'linear') {
  const indices = randomPositions(rows * cols, n, seed);
  const layer = new SshDense({ name: `ssh_${seed}`, units: cols, inputDim: rows, indices, alpha: 7, variant, activation });
  layer.apply(tfl.input({ shape: [rows] })); // builds inside the layer's name scope
  const w0 = randomArray(rows * cols, seed + 1);
  const bias = randomArray(cols, seed + 2);
  const coef = randomArray(n, seed + 3);
  tf.tidy(() => {
    layer.copyBaseFrom(tf.tensor2d(w0, [rows, cols]), tf.tensor1d(bias));
    layer.coefficients.write(tf.tensor1d(coef));
  });
  return { layer, indices, w0, bias, coef };
}

describe('SshDense', () => {
  it('computes activation(x·(W0 + ΔW) + b) like the float64 reference, both variants, rank 2 and 3', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom('separable' as const, 'true' as const),
        fc.integer({ min: 1, max: 1e6 }),
        (rows, cols, tokens, variant, seed) => {
          const n = Math.max(1, Math.floor((rows * cols) / 3));
          const { layer, indices, w0, bias, coef } = makeLayer(rows, cols, n, seed, variant, 'relu');
          const x = randomArray(tokens * rows, seed + 4);
          const dw = referenceDeltaWeight(rows, cols, indices, coef, variant, 7 * normalizationFactor(rows * cols, 'backward', 'idht'));
          const ref = matMul64(x, dw.map((d, i) => d + w0[i]), tokens, rows, cols).map((y, i) => Math.max(0, y + bias[i % cols]));
          const y = tf.tidy(() => (layer.apply(tf.tensor3d(x, [1, tokens, rows])) as tf.Tensor).dataSync());
          expect(relativeError(y, ref)).toBeLessThan(2e-5);
          layer.dispose();
        },
      ),
      { numRuns: 30 },
    );
  });

  it('merge() gives the unmerged output and unmerge() restores W0 bit for bit', () => {
    const { layer, w0 } = makeLayer(12, 10, 30, 11);
    const x = tf.tensor2d(randomArray(5 * 12, 3), [5, 12]);
    const before = layer.apply(x) as tf.Tensor;
    layer.merge();
    expect(layer.merged).toBe(true);
    const merged = layer.apply(x) as tf.Tensor;
    expect(relativeError(merged.dataSync(), before.dataSync())).toBeLessThan(1e-5);
    expect(() => layer.merge()).toThrow(SshStateError);
    layer.unmerge();
    expect(Array.from(layer.kernel.read().dataSync())).toEqual(Array.from(w0));
    expect(() => layer.unmerge()).toThrow(SshStateError);
    tf.dispose([x, before, merged]);
    layer.dispose();
  });

  it('disabled, it computes the frozen Dense; it refuses to disable while merged', () => {
    const { layer, w0, bias } = makeLayer(6, 4, 5, 21);
    const x = randomArray(2 * 6, 5);
    layer.enabled = false;
    const y = tf.tidy(() => (layer.apply(tf.tensor2d(x, [2, 6])) as tf.Tensor).dataSync());
    const ref = matMul64(x, w0, 2, 6, 4).map((v, i) => v + bias[i % 4]);
    expect(relativeError(y, ref)).toBeLessThan(1e-6);
    layer.enabled = true;
    layer.merge();
    expect(() => (layer.enabled = false)).toThrow(/unmerge before disabling/);
    layer.dispose();
  });

  it('reports the layer and index of a non-finite coefficient in training mode', () => {
    const { layer } = makeLayer(4, 4, 6, 31);
    tf.tidy(() => {
      layer.coefficients.write(tf.tensor1d([0, 1, 2, Number.NaN, 4, 5]));
    });
    const x = tf.ones([1, 4]);
    expect(() => layer.apply(x, { training: true })).toThrow(SshNonFiniteError);
    expect(() => layer.apply(x, { training: true })).toThrow(/layer 'ssh_31': coefficient 3 is NaN/);
    tf.dispose(layer.apply(x) as tf.Tensor); // inference does not check (no sync on the hot path)
    x.dispose();
    layer.dispose();
  });

  it('rejects an input of the wrong width and a base kernel of the wrong shape', () => {
    const layer = new SshDense({ units: 3, inputDim: 4, indices: [0, 1], alpha: 1 });
    expect(() => new SshDense({ units: 3, inputDim: 4, indices: [0, 1], alpha: 1 }).apply(tfl.input({ shape: [5] }))).toThrow(/last axis 5, expected inputDim 4/);
    layer.apply(tfl.input({ shape: [4] }));
    expect(() => layer.copyBaseFrom(tf.zeros([3, 4]), null)).toThrow(SshShapeError);
    expect(() => new SshDense({ units: 3, inputDim: 4, indices: [0, 12], alpha: 1 })).toThrow(/indices\[1\] = 12 is outside/);
    expect(() => new SshDense({ units: 3, inputDim: 4, indices: [0], alpha: 1, activation: 'nope' })).toThrow(/activation 'nope' is not supported/);
  });

  it('round-trips through model.save / loadLayersModel with its coefficients', async () => {
    const input = tfl.input({ shape: [6] });
    const { layer } = makeLayer(6, 5, 8, 41);
    const model = tfl.model({ inputs: input, outputs: layer.apply(input) as tfl.SymbolicTensor });
    const x = tf.tensor2d(randomArray(3 * 6, 9), [3, 6]);
    const loaded = await saveAndLoad(model);
    const l2 = loaded.getLayer(layer.name) as SshDense;
    expect(l2).toBeInstanceOf(SshDense);
    expect(Array.from(l2.indices)).toEqual(Array.from(layer.indices));
    expect(Array.from(l2.readCoefficients())).toEqual(Array.from(layer.readCoefficients()));
    expect(loaded.trainableWeights.map((w) => w.originalName)).toEqual([`${layer.name}/ssh_coefficients`]);
    const [y0, y1] = [model, loaded].map((m) => m.predict(x) as tf.Tensor);
    expect(relativeError(y1.dataSync(), y0.dataSync())).toBe(0);
    tf.dispose([x, y0, y1]);
  });

  it('leaks no tensor across forward, backward, merge and unmerge cycles', () => {
    const { layer } = makeLayer(8, 6, 10, 51);
    const x = tf.tensor2d(randomArray(4 * 8, 2), [4, 8]);
    const optimizer = tf.train.sgd(0.1);
    const step = () => optimizer.minimize(() => tf.sum(tf.square(layer.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, false, [layer.coefficients.read() as tf.Variable]);
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      step();
      tf.dispose(layer.apply(x) as tf.Tensor);
      layer.merge();
      tf.dispose(layer.apply(x) as tf.Tensor);
      layer.unmerge();
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    optimizer.dispose();
    layer.dispose();
  });
});
