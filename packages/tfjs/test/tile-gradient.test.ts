/**
 * The one-pass Tile gradient against tfjs's own (slice + add per repetition), for random
 * ranks, shapes and repetitions, on cpu and wasm; and through a LayerNormalization layer.
 */
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearTileGradConfig, registerLinearTileGradient, tileGradient } from '../src/gradients/tile-gradient';
import { useBackendNamed as useBackend, useCpu } from './helpers';

let stock: tf.GradConfig;

beforeAll(async () => {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await useCpu();
  const g = tf.getGradient(tf.Tile);
  if (g === undefined) throw new Error('tfjs registered no Tile gradient');
  stock = { ...g };
  registerLinearTileGradient();
});

// tfjs's own Tile gradient handles ranks 1–4.
const cases = fc.integer({ min: 1, max: 4 }).chain((rank) =>
  fc.record({
    shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: rank, maxLength: rank }),
    reps: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: rank, maxLength: rank }),
    seed: fc.integer({ min: 0, max: 1000 }),
  }),
);

describe('tileGradient', () => {
  it('equals tfjs\'s slice-and-add gradient on cpu and wasm', async () => {
    await fc.assert(
      fc.asyncProperty(cases, fc.constantFrom('cpu' as const, 'wasm' as const), async ({ shape, reps, seed }, backend) => {
        await useBackend(backend);
        const outShape = shape.map((s, i) => s * reps[i]);
        const size = outShape.reduce((a, b) => a * b, 1);
        tf.tidy(() => {
          const x = tf.zeros(shape);
          const dy = tf.tensor(Float32Array.from({ length: size }, (_, i) => Math.sin(seed + i * 0.37)), outShape);
          const want = (stock.gradFunc(dy, [x], { reps } as unknown as tf.NamedAttrMap) as { x: () => tf.Tensor }).x().dataSync();
          const got = tileGradient(dy, shape, reps);
          expect(got.shape).toEqual(shape);
          const values = got.dataSync();
          for (let i = 0; i < want.length; i++) expect(values[i]).toBeCloseTo(want[i], 4);
        });
      }),
      { numRuns: 120 },
    );
  });

  it('is what tf.grad of tf.tile uses once registered (rank 5 too, which tfjs\'s own cannot do)', () => {
    tf.tidy(() => {
      const x = tf.tensor(Float32Array.from({ length: 6 }, (_, i) => i), [1, 2, 1, 3, 1]);
      const w = tf.tensor(Float32Array.from({ length: 2 * 2 * 3 * 3 * 2 }, (_, i) => i % 7), [2, 2, 3, 3, 2]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tile(t, [2, 1, 3, 1, 2]), w)))(x);
      // By hand: every x entry collects the weights of its 2·3·2 copies.
      const wv = w.arraySync() as number[][][][][];
      const want: number[] = [];
      for (let j = 0; j < 2; j++) for (let l = 0; l < 3; l++) {
        let s = 0;
        for (let i = 0; i < 2; i++) for (let k = 0; k < 3; k++) for (let m = 0; m < 2; m++) s += wv[i][j][k][l][m];
        want.push(s);
      }
      expect(Array.from(g.dataSync())).toEqual(want);
    });
  });

  it('names the rank mismatch', () => {
    expect(() => tileGradient(tf.zeros([2, 2]), [2, 2], [1])).toThrow(/reps \[1\] and x shape \[2, 2\] differ in rank/);
  });
});

describe('registerLinearTileGradient with tfjs-layers LayerNormalization', () => {
  it('gives the same γ, β and input gradients as tfjs\'s own Tile gradient', async () => {
    await useBackend('cpu');
    const layer = tfl.layers.layerNormalization({ axis: -1, gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal' });
    const x = tf.tensor3d(Float32Array.from({ length: 3 * 5 * 8 }, (_, i) => Math.cos(i * 1.3) * 2), [3, 5, 8]);
    const target = tf.tensor3d(Float32Array.from({ length: 3 * 5 * 8 }, (_, i) => Math.sin(i)), [3, 5, 8]);
    layer.apply(x);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, target)) as tf.Scalar;
    const fast = tf.variableGrads(loss, vars).grads;
    tf.registerGradient(stock);
    try {
      const slow = tf.variableGrads(loss, vars).grads;
      for (const name of Object.keys(slow)) {
        const a = fast[name].dataSync();
        const b = slow[name].dataSync();
        for (let i = 0; i < b.length; i++) expect(a[i]).toBeCloseTo(b[i], 4);
      }
    } finally {
      // Back to ours for the rest of the file (registration is process-wide).
      tf.registerGradient(linearTileGradConfig);
    }
  });
});
