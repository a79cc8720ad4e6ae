/** The block-copy Tile kernel against tfjs's own, for random ranks, shapes and repetitions. */
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerBlockTile, tileValues } from '../src/kernels/host/tile';
import { useBackendNamed, useCpu } from './helpers';

const stock = new Map<string, tf.KernelFunc>();

beforeAll(async () => {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await useCpu();
  await useBackendNamed('wasm');
  for (const b of ['cpu', 'wasm'] as const) {
    const k = registerBlockTile(b);
    if (k === undefined) throw new Error(`no stock Tile kernel on ${b}`);
    stock.set(b, k);
  }
});

const cases = fc.integer({ min: 0, max: 5 }).chain((rank) =>
  fc.record({
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: rank, maxLength: rank }),
    reps: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: rank, maxLength: rank }),
    seed: fc.integer({ min: 0, max: 1000 }),
  }),
);

describe('tileValues', () => {
  it('matches the per-element definition out[i] = x[i mod shape], for ranks 0–5 including empty axes', () => {
    fc.assert(
      fc.property(cases, ({ shape, reps, seed }) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const x = Float32Array.from({ length: size }, (_, i) => seed + i);
        const outShape = shape.map((s, i) => s * reps[i]);
        const got = tileValues(x, shape, reps, 'float32');
        const total = outShape.reduce((a, b) => a * b, 1);
        expect(got.length).toBe(total);
        for (let flat = 0; flat < total; flat++) {
          let rest = flat;
          let src = 0;
          let stride = 1;
          for (let d = shape.length - 1; d >= 0; d--) {
            const coord = rest % outShape[d];
            rest = Math.floor(rest / outShape[d]);
            src += (coord % shape[d]) * stride;
            stride *= shape[d];
          }
          expect(got[flat]).toBe(x[src]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('registerBlockTile', () => {
  it('gives tfjs\'s own Tile values on cpu and wasm, float32 and int32 (rank ≤ 5, tfjs\'s own limit)', async () => {
    await fc.assert(
      fc.asyncProperty(cases, fc.constantFrom('cpu' as const, 'wasm' as const), fc.constantFrom('float32' as const, 'int32' as const), async ({ shape, reps, seed }, backend, dtype) => {
        await useBackendNamed(backend);
        const size = shape.reduce((a, b) => a * b, 1);
        const values = Array.from({ length: size }, (_, i) => (dtype === 'int32' ? seed + i : Math.sin(seed + i)));
        tf.tidy(() => {
          const x = tf.tensor(values, shape, dtype);
          const ours = tf.tile(x, reps);
          const ref = stock.get(backend)!({ inputs: { x }, backend: tf.backend(), attrs: { reps } }) as tf.TensorInfo;
          const theirs = tf.engine().makeTensorFromTensorInfo(ref);
          expect(ours.shape).toEqual(theirs.shape);
          expect(ours.dtype).toBe(dtype);
          expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('leaves bool tensors to tfjs\'s kernel, and is idempotent', async () => {
    await useBackendNamed('wasm');
    const t = tf.tile(tf.tensor2d([[true, false]], [1, 2], 'bool'), [2, 1]);
    expect(t.dtype).toBe('bool');
    expect(Array.from(t.dataSync())).toEqual([1, 0, 1, 0]);
    expect(registerBlockTile('wasm')).toBe(stock.get('wasm'));
  });
});
