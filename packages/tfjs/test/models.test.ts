import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { buildTinyTextClassifier, buildTinyViT, SshPositionEmbedding, SshSelfAttention } from '../src/models/index';
import { SshOptionError, SshShapeError } from '../src/errors';
import { randomArray, relativeError, saveAndLoad, useCpu } from './helpers';

beforeAll(useCpu);

function referenceAttention(q: Float32Array, k: Float32Array, v: Float32Array, b: number, t: number, d: number, h: number): Float64Array {
  const dh = d / h;
  const out = new Float64Array(b * t * d);
  for (let bi = 0; bi < b; bi++) for (let hi = 0; hi < h; hi++) for (let i = 0; i < t; i++) {
    const scores = new Float64Array(t);
    for (let j = 0; j < t; j++) {
      let s = 0;
      for (let e = 0; e < dh; e++) s += q[(bi * t + i) * d + hi * dh + e] * k[(bi * t + j) * d + hi * dh + e];
      scores[j] = s / Math.sqrt(dh);
    }
    const max = Math.max(...scores);
    const exp = scores.map((s) => Math.exp(s - max));
    const sum = exp.reduce((a, c) => a + c, 0);
    for (let j = 0; j < t; j++) for (let e = 0; e < dh; e++) out[(bi * t + i) * d + hi * dh + e] += (exp[j] / sum) * v[(bi * t + j) * d + hi * dh + e];
  }
  return out;
}

describe('SshSelfAttention', () => {
  it('equals concat_h softmax(q_h k_hᵀ/√(D/h)) v_h (float64 reference) for random sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 1e6 }), (b, t, h, dh, seed) => {
        const d = h * dh;
        const [q, k, v] = [0, 1, 2].map((i) => randomArray(b * t * d, seed + i));
        const layer = new SshSelfAttention({ numHeads: h });
        const y = tf.tidy(() => layer.apply([tf.tensor3d(q, [b, t, d]), tf.tensor3d(k, [b, t, d]), tf.tensor3d(v, [b, t, d])]) as tf.Tensor);
        expect(y.shape).toEqual([b, t, d]);
        expect(relativeError(y.dataSync(), referenceAttention(q, k, v, b, t, d, h))).toBeLessThan(1e-5);
        y.dispose();
      }),
      { numRuns: 40 },
    );
  });

  it('rejects a width not divisible by the heads and bad numHeads', () => {
    const x = tfl.input({ shape: [4, 6] });
    expect(() => new SshSelfAttention({ numHeads: 4 }).apply([x, x, x])).toThrow(/width 6 is not divisible by numHeads 4/);
    expect(() => new SshSelfAttention({ numHeads: 0 })).toThrow(SshOptionError);
    expect(() => new SshSelfAttention({ numHeads: 2 }).apply([x, x])).toThrow(SshShapeError);
  });
});

describe('SshPositionEmbedding', () => {
  it('adds its [seqLen, dim] embeddings to every sequence', () => {
    const layer = new SshPositionEmbedding({ seed: 4 });
    const x = tf.tensor3d(randomArray(2 * 3 * 5, 1), [2, 3, 5]);
    const y = layer.apply(x) as tf.Tensor;
    const e = layer.getWeights()[0];
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[3, 5]]);
    expect(layer.weights[0].originalName).toMatch(/embeddings$/);
    const expected = tf.add(x, e);
    expect(relativeError(y.dataSync(), expected.dataSync())).toBeLessThan(1e-7);
    tf.dispose([x, y, expected]);
  });
  it('needs a rank-3 input', () => {
    expect(() => new SshPositionEmbedding().apply(tfl.input({ shape: [5] }))).toThrow(SshShapeError);
  });
});

describe('buildTinyViT / buildTinyTextClassifier', () => {
  const vitOptions = { dim: 16, depth: 2, heads: 4, mlpDim: 24, numClasses: 10, seed: 5 };

  it('uses the documented layer names in order', () => {
    const model = buildTinyViT(vitOptions);
    const names = model.layers.map((l) => l.name);
    const block = (i: number) => ['ln1', 'q', 'k', 'v', 'attn', 'o', 'add1', 'ln2', 'mlp1', 'mlp2', 'add2'].map((s) => `block${i}_${s}`);
    for (const name of ['patch_embed', 'pos_embed', ...block(0), ...block(1), 'final_ln', 'pool', 'head']) expect(names).toContain(name);
    expect(model.getLayer('pos_embed').getClassName()).toBe('SshPositionEmbedding');
    expect(model.getLayer('block1_attn').getClassName()).toBe('SshSelfAttention');
    expect(model.getLayer('block0_mlp1').getConfig().activation).toBe('relu');
    expect(model.outputs[0].shape).toEqual([null, 10]);
  });

  it('cuts 28×28 images into the 16 row-major 7×7 patches', () => {
    const model = buildTinyViT(vitOptions);
    const patches = tfl.model({ inputs: model.inputs, outputs: model.getLayer('flatten_patches').output as tfl.SymbolicTensor });
    const image = Float32Array.from({ length: 784 }, (_, i) => i);
    const out = tf.tidy(() => (patches.predict(tf.tensor2d(image, [1, 784])) as tf.Tensor).dataSync());
    for (const [pr, pc, r, c] of [[0, 0, 0, 0], [0, 1, 2, 3], [3, 2, 6, 6], [1, 3, 4, 0]]) {
      expect(out[(pr * 4 + pc) * 49 + r * 7 + c]).toBe((pr * 7 + r) * 28 + pc * 7 + c);
    }
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = buildTinyViT(vitOptions).getWeights();
    const b = buildTinyViT(vitOptions).getWeights();
    const c = buildTinyViT({ ...vitOptions, seed: 6 }).getWeights();
    expect(a.every((w, i) => relativeError(w.dataSync(), b[i].dataSync()) === 0)).toBe(true);
    expect(relativeError(a[0].dataSync(), c[0].dataSync())).toBeGreaterThan(0);
  });

  it('round-trips through model.save / loadLayersModel with identical predictions', async () => {
    const model = buildTinyTextClassifier({ vocabSize: 30, seqLen: 6, dim: 8, depth: 1, heads: 2, mlpDim: 12, numClasses: 3, seed: 2 });
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6], [7, 8, 9, 0, 1, 2]]);
    const loaded = await saveAndLoad(model);
    const [y0, y1] = [model, loaded].map((m) => m.predict(x) as tf.Tensor);
    expect(y0.shape).toEqual([2, 3]);
    expect(relativeError(y1.dataSync(), y0.dataSync())).toBe(0);
    expect(loaded.getLayer('pos_embed').getClassName()).toBe('SshPositionEmbedding');
    tf.dispose([x, y0, y1]);
  });

  it('rejects unsupported sizes', () => {
    expect(() => buildTinyViT({ ...vitOptions, heads: 3 })).toThrow(/not divisible by heads 3/);
    expect(() => buildTinyViT({ ...vitOptions, patchSize: 4 as 7 })).toThrow(SshOptionError);
    expect(() => buildTinyTextClassifier({ ...vitOptions, vocabSize: 0, seqLen: 4 })).toThrow(/vocabSize must be a positive integer/);
  });
});
