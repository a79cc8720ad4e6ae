import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createHotSwapSession, decodeModel, mergeAdapter, OnnxOptionError, OnnxWeightMismatchError, readTensorValues } from '../src/index';
import { linearModel, maxRelDiff, randomAdapter, runModel, seeded } from './helpers';

function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

describe('createHotSwapSession', () => {
  // rows 600 > 256: past MLAS's K blocking, where a MatMul with B as a graph input is not
  // bit-identical to the prepacked constant one — the "none" path must still be.
  it.each([
    ['matmul', 'float32', 7, 5],
    ['matmul', 'float32', 600, 24],
    ['gemm-transB', 'float32', 7, 5],
    ['gemm', 'float16', 7, 5],
  ] as const)('serves two adapters and none from one session (%s, %s, %i×%i)', async (op, dtype, rows, cols) => {
    const { bytes } = linearModel({ rows, cols, op, dtype, seed: 3 });
    const stored = readTensorValues(decodeModel(bytes).graph!.initializer![0]!);
    const w0 = op === 'gemm-transB' ? Float32Array.from({ length: rows * cols }, (_, k) => stored[(k % cols) * rows + Math.floor(k / cols)]!) : Float32Array.from(stored);
    const a = randomAdapter('dense', rows, cols, w0, { n: 6, seed: 1, alpha: (rows * cols) / 8 });
    const b = randomAdapter('dense', rows, cols, w0, { n: 9, seed: 2, alpha: (rows * cols) / 6, variant: 'true' });
    const hs = await createHotSwapSession(bytes, { layers: [a, b], notice: null, device: 'cpu' });
    try {
      const x = new ort.Tensor('float32', seeded(3 * rows, 4), [3, rows]);
      const outA = (await hs.run({ x }, { adapter: a }))['y']!.data as Float32Array;
      const outNone = (await hs.run({ x }))['y']!.data as Float32Array;
      const outB = (await hs.run({ x }, { adapter: b }))['y']!.data as Float32Array;
      const outA2 = (await hs.run({ x }, { adapter: a }))['y']!.data as Float32Array;
      const base = (await runModel(bytes, { x }))['y']!;
      const mergedA = (await runModel(await mergeAdapter(bytes, a), { x }))['y']!;
      const mergedB = (await runModel(await mergeAdapter(bytes, b), { x }))['y']!;
      expect(bitsEqual(outNone, base)).toBe(true);
      expect(maxRelDiff(outA, mergedA)).toBeLessThanOrEqual(1e-6);
      expect(maxRelDiff(outB, mergedB)).toBeLessThanOrEqual(1e-6);
      expect(bitsEqual(outA, outA2)).toBe(true);
      expect(maxRelDiff(outA, base)).toBeGreaterThan(1e-3);
      expect(maxRelDiff(outA, outB)).toBeGreaterThan(1e-3);
    } finally {
      await hs.release();
    }
  });

  it('refuses adapters for other layers, wrong bases, and weights passed as feeds', async () => {
    const { bytes, w0 } = linearModel({ rows: 4, cols: 3, op: 'matmul', seed: 8 });
    const good = randomAdapter('dense', 4, 3, w0);
    const hs = await createHotSwapSession(bytes, { layers: [{ name: 'dense', rows: 4, cols: 3 }], notice: null, device: 'cpu', cacheSize: 1 });
    try {
      const x = new ort.Tensor('float32', seeded(4, 1), [1, 4]);
      await expect(hs.run({ x }, { adapter: randomAdapter('other', 4, 3, w0) })).rejects.toThrow(/not swappable in this session/);
      await expect(hs.run({ x }, { adapter: randomAdapter('dense', 4, 3, seeded(12, 77)) })).rejects.toThrow(OnnxWeightMismatchError);
      await expect(hs.run({ x, 'dense/kernel.ssh_peft': new ort.Tensor('float32', new Float32Array(12), [4, 3]) })).rejects.toThrow(OnnxOptionError);
      await expect(hs.run({ x }, { adapter: good })).resolves.toBeDefined();
    } finally {
      await hs.release();
    }
    await expect(createHotSwapSession(bytes, { layers: [] })).rejects.toThrow(/at least one/);
  });
});
