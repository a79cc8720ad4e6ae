import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dhtLastAxis } from '@ssh-peft/tfjs';
import { referenceDht } from '@ssh-peft/hartley';
import { registerSshKernelsOnWasm, unsortedSegmentSumValues } from '../src/train/wasm-kernel-bridge';
import { useBackend } from '../src/train/backends';

/** The obvious definition, one output cell at a time. */
function referenceSegmentSum(x: ArrayLike<number>, ids: ArrayLike<number>, numSegments: number, inner: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < numSegments; s++) {
    for (let j = 0; j < inner; j++) {
      let sum = 0;
      for (let i = 0; i < ids.length; i++) if (ids[i] === s) sum += x[i * inner + j];
      out.push(sum);
    }
  }
  return out;
}

const shapes = fc.record({ rows: fc.integer({ min: 0, max: 9 }), inner: fc.integer({ min: 1, max: 7 }), segments: fc.integer({ min: 1, max: 6 }), seed: fc.integer() });

describe('wasm kernel bridge', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    registerSshKernelsOnWasm();
  });

  it('unsortedSegmentSumValues matches the reference, dropping out-of-range ids', () => {
    fc.assert(
      fc.property(shapes, ({ rows, inner, segments, seed }) => {
        const x = Float32Array.from({ length: rows * inner }, (_, i) => Math.sin(seed + i));
        const ids = Int32Array.from({ length: rows }, (_, i) => ((seed + i * 5) % (segments + 2)) - 1);
        const got = unsortedSegmentSumValues(x, ids, segments, inner);
        const want = referenceSegmentSum(x, ids, segments, inner);
        want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
      }),
    );
  });

  it('tf.unsortedSegmentSum on wasm equals the cpu backend, for 2-D and 3-D inputs', async () => {
    await fc.assert(
      fc.asyncProperty(shapes, fc.boolean(), async ({ rows, inner, segments, seed }, threeD) => {
        const shape = threeD ? [Math.max(rows, 1), inner, 2] : [Math.max(rows, 1), inner];
        const size = shape.reduce((a, b) => a * b, 1);
        const x = Float32Array.from({ length: size }, (_, i) => Math.cos(seed * 0.1 + i));
        const ids = Int32Array.from({ length: shape[0] }, (_, i) => (seed + i) % segments >>> 0);
        const run = async (backend: 'cpu' | 'wasm') => {
          await useBackend(backend);
          return tf.tidy(() => tf.unsortedSegmentSum(tf.tensor(x, shape), tf.tensor1d(ids, 'int32'), segments).dataSync());
        };
        const cpu = await run('cpu');
        const wasm = await run('wasm');
        // Same sums, possibly accumulated in another order by tfjs-backend-cpu.
        Array.from(cpu).forEach((v, i) => expect(wasm[i]).toBeCloseTo(v, 5));
      }),
      { numRuns: 25 },
    );
  });

  it('the DHT op on wasm is bit-identical to the cpu kernel and matches the naive DHT (odd and even widths, scaled)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 37 }), fc.double({ min: 0.1, max: 3, noNaN: true }), async (rows, n, scale) => {
        const x = Float32Array.from({ length: rows * n }, (_, i) => Math.sin(i * 1.7) * 2);
        await useBackend('cpu');
        const onCpu = tf.tidy(() => dhtLastAxis(tf.tensor2d(x, [rows, n]), scale).dataSync());
        await useBackend('wasm');
        const got = tf.tidy(() => dhtLastAxis(tf.tensor2d(x, [rows, n]), scale).dataSync());
        expect(Array.from(got)).toEqual(Array.from(onCpu));
        for (let r = 0; r < rows; r++) {
          const want = referenceDht(Float64Array.from(x.subarray(r * n, (r + 1) * n)));
          for (let k = 0; k < n; k++) expect(got[r * n + k]).toBeCloseTo(scale * want[k], 3);
        }
      }),
      { numRuns: 40 },
    );
    await useBackend('wasm');
    // The gradient goes through the same kernel on wasm.
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(dhtLastAxis(x as tf.Tensor2D), tf.tensor2d([[1, 0, 0]]))))(tf.tensor2d([[1, 2, 3]]));
    const cas = referenceDht(Float64Array.from([1, 0, 0]));
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(cas[i], 5));
  });
});
