import fc from 'fast-check';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeModel, MERGED_ADAPTERS_KEY, mergeAdapter, readTensorValues } from '../src/index';
import { halfToFloat } from '../src/float16';
import { biasOf, linearModel, maxRelDiff, randomAdapter, referenceDelta, referenceLinear, runModel, seeded } from './helpers';

type Op = 'matmul' | 'gemm' | 'gemm-transB';

async function checkMerge(rows: number, cols: number, op: Op, dtype: 'float32' | 'float16' | 'bfloat16' | 'float64', seed: number, variant: 'separable' | 'true', normalization: 'backward' | 'ortho' | 'forward') {
  const spec = { rows, cols, op, dtype, seed };
  const { bytes, w0 } = linearModel(spec);
  // The fingerprint is of the values the model really holds (dtype-rounded).
  const stored = readTensorValues(decodeModel(bytes).graph!.initializer![0]!);
  const w0Held = op === 'gemm-transB' ? Float32Array.from({ length: rows * cols }, (_, k) => stored[(k % cols) * rows + Math.floor(k / cols)]!) : Float32Array.from(stored);
  void w0;
  const adapter = randomAdapter('dense', rows, cols, w0Held, { n: Math.min(6, rows * cols), seed, alpha: 3, variant, normalization });
  const merged = await mergeAdapter(bytes, adapter);
  // Pure-JS reference: W0 + naive ΔW, rounded to the weight's dtype, then y = x·W + b in float64.
  const delta = referenceDelta(adapter);
  const wRef = Float64Array.from(w0Held, (v, k) => v + delta[k]!);
  const batch = 3;
  const x = seeded(batch * rows, seed + 5);
  const yRef = referenceLinear(x, batch, wRef, rows, cols, biasOf(spec));
  const out = await runModel(merged, { x: new ort.Tensor('float32', x, [batch, rows]) });
  const tolerance = dtype === 'float16' ? 2e-3 : dtype === 'bfloat16' ? 1.6e-2 : 1e-5;
  expect(maxRelDiff(out['y']!, yRef)).toBeLessThanOrEqual(tolerance);
  return { bytes, merged };
}

describe('mergeAdapter', () => {
  it('matches W0 + naive ΔW for random shapes, orientations, dtypes, variants (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom<Op>('matmul', 'gemm', 'gemm-transB'),
        fc.constantFrom('float32', 'float16', 'float64') as fc.Arbitrary<'float32' | 'float16' | 'float64'>,
        fc.integer({ min: 1, max: 1000 }),
        fc.constantFrom<'separable' | 'true'>('separable', 'true'),
        fc.constantFrom<'backward' | 'ortho' | 'forward'>('backward', 'ortho', 'forward'),
        async (rows, cols, op, dtype, seed, variant, normalization) => {
          await checkMerge(rows, cols, op, dtype, seed, variant, normalization);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('Gemm transB=1 receives ΔWᵀ (a non-square case where the transpose matters)', async () => {
    await checkMerge(5, 3, 'gemm-transB', 'float32', 42, 'separable', 'backward');
  });

  it('float16 weights: merged values are the fp16 rounding of W0 + ΔW', async () => {
    const { merged, bytes } = await checkMerge(6, 4, 'matmul', 'float16', 9, 'separable', 'backward');
    const before = decodeModel(bytes).graph!.initializer![0]!;
    const after = decodeModel(merged).graph!.initializer![0]!;
    expect(after.dataType).toBe(10);
    expect(after.rawData!.length).toBe(before.rawData!.length);
    const halves = new Uint16Array(Uint8Array.from(after.rawData!).buffer);
    expect(Array.from(halves, (h) => halfToFloat(h))).toEqual(Array.from(readTensorValues(after)));
  });

  it('bfloat16 weights are converted, merged and rounded back correctly', async () => {
    await checkMerge(4, 7, 'matmul', 'bfloat16', 17, 'separable', 'backward');
  });

  it('keeps the graph otherwise identical and records the adapter in metadata_props', async () => {
    const spec = { rows: 4, cols: 5, op: 'gemm-transB' as const, seed: 2 };
    const { bytes } = linearModel(spec);
    const w = readTensorValues(decodeModel(bytes).graph!.initializer![0]!);
    const w0 = Float32Array.from({ length: 20 }, (_, k) => w[(k % 5) * 4 + Math.floor(k / 5)]!);
    const adapter = randomAdapter('dense', 4, 5, w0);
    const copy = bytes.slice();
    const before = decodeModel(bytes);
    const after = decodeModel(await mergeAdapter(bytes, adapter));
    expect(bytes).toEqual(copy);
    expect(after.graph!.node!.map((n) => [n.name, n.opType, n.input, n.output])).toEqual(before.graph!.node!.map((n) => [n.name, n.opType, n.input, n.output]));
    expect(after.opsetImport).toEqual(before.opsetImport);
    expect(after.graph!.initializer![1]).toEqual(before.graph!.initializer![1]);
    expect(after.metadataProps![0]).toEqual({ key: 'origin', value: 'helpers' });
    const record = after.metadataProps!.find((p) => p.key === MERGED_ADAPTERS_KEY)!;
    expect(JSON.parse(record.value!)).toEqual([expect.objectContaining({ name: 'adapter3', layers: ['dense'], parameters: 5 })]);
    const twice = decodeModel(await mergeAdapter(encodeTwice(after), adapter, { verify: 'shape' }));
    expect(JSON.parse(twice.metadataProps!.find((p) => p.key === MERGED_ADAPTERS_KEY)!.value!)).toHaveLength(2);
  });
});

function encodeTwice(model: ReturnType<typeof decodeModel>): Uint8Array {
  return (model.constructor as unknown as { encode(m: unknown): { finish(): Uint8Array } }).encode(model).finish();
}
