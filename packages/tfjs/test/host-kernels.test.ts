/**
 * The host kernels: the linear-time UnsortedSegmentSum (cpu and wasm) against the obvious
 * per-segment loop and the stock tfjs kernel, and the wasm bridge of the SSH kernels
 * against the cpu kernels and the naive DHT.
 */
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceDht, simdAvailable } from '@ssh-peft/hartley';
import { hartleyPlanFor } from '../src/kernels/host/dht-host';
import { dhtLastAxis } from '../src/ops/dht';
import { registerLinearSegmentSum, segmentSumValues } from '../src/kernels/host/segment-sum';
import { registerSshKernelsOnWasm } from '../src/kernels/register-wasm';
import { useBackendNamed as useBackend, useCpu } from './helpers';

/** The obvious definition, one output cell at a time, in float64. */
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

const cases = fc
  .record({ rows: fc.integer({ min: 0, max: 9 }), inner: fc.integer({ min: 1, max: 7 }), numSegments: fc.integer({ min: 1, max: 11 }) })
  .chain(({ rows, inner, numSegments }) =>
    fc.record({
      rows: fc.constant(rows),
      inner: fc.constant(inner),
      numSegments: fc.constant(numSegments),
      // ids may fall outside [0, numSegments): those rows must be dropped.
      ids: fc.array(fc.integer({ min: -2, max: numSegments + 1 }), { minLength: rows, maxLength: rows }),
      x: fc.array(fc.float({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }), { minLength: rows * inner, maxLength: rows * inner }),
    }),
  );

let stockCpuKernel: tf.KernelFunc;

beforeAll(async () => {
  tf.env().set('PROD', true);
  // Single-threaded wasm: the same numbers on every machine.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await useCpu();
  const stock = registerLinearSegmentSum('cpu');
  if (stock === undefined) throw new Error('the cpu backend had no UnsortedSegmentSum to replace');
  stockCpuKernel = stock;
  await useBackend('wasm');
  registerSshKernelsOnWasm();
});

describe('segmentSumValues', () => {
  it('matches the per-segment loop for float32 and int32, dropping out-of-range ids', () => {
    fc.assert(
      fc.property(cases, fc.constantFrom('float32' as const, 'int32' as const), ({ inner, numSegments, ids, x }, dtype) => {
        const xs = dtype === 'int32' ? x.map(Math.round) : Array.from(Float32Array.from(x));
        const got = segmentSumValues(xs, ids, numSegments, inner, dtype);
        expect(got).toBeInstanceOf(dtype === 'int32' ? Int32Array : Float32Array);
        expect(got.length).toBe(numSegments * inner);
        referenceSegmentSum(xs, ids, numSegments, inner).forEach((w, i) => expect(got[i]).toBeCloseTo(Math.fround(w), 2));
      }),
      { numRuns: 200 },
    );
  });
});

describe('registerLinearSegmentSum', () => {
  it('is idempotent and returns the stock cpu kernel it replaced; wasm had none', () => {
    expect(registerLinearSegmentSum('cpu')).toBe(stockCpuKernel);
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'cpu')?.kernelFunc).not.toBe(stockCpuKernel);
    expect(registerLinearSegmentSum('wasm')).toBeUndefined();
  });

  it('agrees with the stock tfjs cpu kernel, and wasm agrees with cpu, for 2-D and 3-D inputs', async () => {
    await fc.assert(
      fc.asyncProperty(cases, fc.boolean(), async ({ rows, inner, numSegments, ids, x }, threeD) => {
        const shape = threeD ? [rows, inner, 1] : [rows, inner];
        const inRange = ids.map((id) => ((id % numSegments) + numSegments) % numSegments);
        await useBackend('cpu');
        const [fast, stock] = tf.tidy(() => {
          const xt = tf.tensor(x, shape);
          const it = tf.tensor1d(inRange, 'int32');
          const ref = stockCpuKernel({ inputs: { x: xt, segmentIds: it }, backend: tf.backend(), attrs: { numSegments } }) as tf.TensorInfo;
          return [tf.unsortedSegmentSum(xt, it, numSegments).dataSync(), tf.engine().makeTensorFromTensorInfo(ref).dataSync()];
        });
        await useBackend('wasm');
        const onWasm = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor(x, shape), tf.tensor1d(inRange, 'int32'), numSegments).dataSync());
        expect(fast.length).toBe(numSegments * inner);
        expect(Array.from(onWasm)).toEqual(Array.from(fast));
        for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(stock[i], 2);
      }),
      { numRuns: 40 },
    );
  });

  it('gives the gather (Embedding) gradient the values of a dense one-hot product, on cpu and wasm', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      tf.tidy(() => {
        const table = tf.tensor2d(Float32Array.from({ length: 13 * 5 }, (_, i) => Math.sin(i)), [13, 5]);
        const ids = tf.tensor1d([1, 4, 4, 12, 0, 1], 'int32');
        const upstream = tf.reshape(tf.range(1, 31), [6, 5]);
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), upstream)))(table).dataSync();
        const dense = tf.matMul(tf.cast(tf.oneHot(ids, 13), 'float32'), upstream, true, false).dataSync();
        for (let i = 0; i < dense.length; i++) expect(g[i]).toBeCloseTo(dense[i], 4);
      });
    }
  });

  it('names the dtype it cannot sum', async () => {
    await useBackend('cpu');
    expect(() => tf.unsortedSegmentSum(tf.tensor1d([true, false], 'bool'), tf.tensor1d([0, 1], 'int32'), 2)).toThrow(/float32 or int32, got bool/);
  });
});

describe('registerSshKernelsOnWasm', () => {
  it('registers every SSH kernel on wasm', () => {
    const names = registerSshKernelsOnWasm();
    expect(names).toContain('SshDhtLastAxis');
    for (const name of names) expect(tf.getKernel(name, 'wasm')).toBeDefined();
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

  it("the DHT op on wasm reaches hartley's float32 WebAssembly SIMD kernels (radix and Bluestein widths) and equals the cpu kernel", async () => {
    // Widths ≥ 64 take the SIMD kernels: 768 and 4096 the radix one, 4099 (prime) and 1030 (2·5·103) Bluestein.
    for (const n of [64, 768, 1030, 4096, 4099]) {
      expect(hartleyPlanFor(n).backend).toBe(simdAvailable() ? 'simd' : 'js');
      const rows = 3;
      const x = Float32Array.from({ length: rows * n }, (_, i) => Math.sin(i * 0.37) * 2);
      await useBackend('cpu');
      const onCpu = tf.tidy(() => dhtLastAxis(tf.tensor2d(x, [rows, n]), 0.5).dataSync());
      await useBackend('wasm');
      const got = tf.tidy(() => dhtLastAxis(tf.tensor2d(x, [rows, n]), 0.5).dataSync());
      expect(Array.from(got)).toEqual(Array.from(onCpu));
      for (let r = 0; r < rows; r++) {
        const want = referenceDht(Float64Array.from(x.subarray(r * n, (r + 1) * n)));
        let num = 0;
        let den = 0;
        for (let k = 0; k < n; k++) {
          num += (got[r * n + k]! - 0.5 * want[k]!) ** 2;
          den += (0.5 * want[k]!) ** 2;
        }
        expect(Math.sqrt(num / den), `n = ${n}, row ${r}`).toBeLessThanOrEqual(1e-5);
      }
    }
  });
});
