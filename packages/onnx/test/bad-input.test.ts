import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import {
  decodeModel,
  encodeModel,
  locateAdapterWeights,
  mergeAdapter,
  OnnxFormatError,
  OnnxLayerNotFoundError,
  OnnxWeightMismatchError,
  OnnxWeightUsageError,
  OnnxAdapterError,
} from '../src/index';
import { linearModel, randomAdapter, runModel, seeded } from './helpers';

const spec = { rows: 4, cols: 3, op: 'matmul' as const, seed: 5 };

describe('bad input', () => {
  it('refuses bytes that are not an ONNX model, and truncated models', async () => {
    const { bytes, w0 } = linearModel(spec);
    const adapter = randomAdapter('dense', 4, 3, w0);
    await expect(mergeAdapter(new TextEncoder().encode('definitely not protobuf {'), adapter)).rejects.toThrow(OnnxFormatError);
    await expect(mergeAdapter(new Uint8Array(0), adapter)).rejects.toThrow(/empty input/);
    await expect(mergeAdapter(bytes.subarray(0, bytes.length - 9), adapter)).rejects.toThrow(/truncated protobuf|not an ONNX/);
    expect(() => decodeModel(new Uint8Array([0x08, 0x01]))).toThrow(/no ir_version\/graph|not an ONNX/);
  });

  it('an unknown layer lists near matches', async () => {
    const { bytes, w0 } = linearModel(spec);
    const adapter = randomAdapter('dense_q', 4, 3, w0);
    const error = await mergeAdapter(bytes, adapter).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnnxLayerNotFoundError);
    expect((error as OnnxLayerNotFoundError).nearMatches).toContain('dense/kernel');
    expect((error as Error).message).toMatch(/"dense_q" not found .* near matches: .*"dense\/kernel"/);
  });

  it('finds weights by exact initializer name, node name, record mapping and RegExp mapping', () => {
    const { bytes, w0 } = linearModel({ ...spec, weightName: 'W_17', nodeName: 'encoder.proj' });
    const model = decodeModel(bytes);
    expect(locateAdapterWeights(model, randomAdapter('W_17', 4, 3, w0))[0]!.initializer.name).toBe('W_17');
    expect(locateAdapterWeights(model, randomAdapter('encoder.proj', 4, 3, w0))[0]!.initializer.name).toBe('W_17');
    expect(locateAdapterWeights(model, randomAdapter('proj', 4, 3, w0), { mapping: { W_17: 'proj' } })[0]!.initializer.name).toBe('W_17');
    expect(locateAdapterWeights(model, randomAdapter('layer17', 4, 3, w0), { mapping: [[/^W_(\d+)$/, 'layer$1']] })[0]!.initializer.name).toBe('W_17');
    expect(locateAdapterWeights(model, randomAdapter('enc', 4, 3, w0), { mapping: [[/^encoder\.(.*)$/, 'enc']] })[0]!.initializer.name).toBe('W_17');
  });

  it('a shared weight: merged for all MatMul uses with a warning, refused on request, correct in ORT', async () => {
    const { bytes, w0 } = linearModel({ ...spec, sharedUses: 2 });
    const adapter = randomAdapter('dense', 4, 3, w0, { alpha: 4 });
    const located = locateAdapterWeights(decodeModel(bytes), adapter);
    expect(located[0]!.warnings[0]).toMatch(/shared by 3 nodes \("dense\/MatMul", "shared0", "shared1"\)/);
    expect(() => locateAdapterWeights(decodeModel(bytes), adapter, { sharedWeights: 'refuse' })).toThrow(OnnxWeightUsageError);
    const merged = await mergeAdapter(bytes, adapter);
    const x = new ort.Tensor('float32', seeded(8, 1), [2, 4]);
    const out = await runModel(merged, { x });
    const bias = (await runModel(bytes, { x: new ort.Tensor('float32', new Float32Array(8), [2, 4]) }))['y']!;
    // shared0 computes x·W without bias; y = x·W + b: both use the same merged W.
    const y = out['y']!;
    const s0 = out['y_shared0']!;
    for (let i = 0; i < y.length; i++) expect(y[i]! - bias[i]!).toBeCloseTo(s0[i]!, 5);
  });

  it('a weight also used by a non-MatMul node is refused, naming the node', async () => {
    const { bytes, w0 } = linearModel({ ...spec, otherUse: true });
    await expect(mergeAdapter(bytes, randomAdapter('dense', 4, 3, w0))).rejects.toThrow(/used by Identity node "peek"/);
  });

  it('shape mismatch (including a transposed adapter) and fingerprint mismatch', async () => {
    const { bytes, w0 } = linearModel(spec);
    await expect(mergeAdapter(bytes, randomAdapter('dense', 3, 4, w0))).rejects.toThrow(OnnxWeightMismatchError);
    await expect(mergeAdapter(bytes, randomAdapter('dense', 3, 4, w0))).rejects.toThrow(/shape \[4,3\] .* expects \[3,4\]/);
    const other = seeded(12, 99);
    await expect(mergeAdapter(bytes, randomAdapter('dense', 4, 3, other))).rejects.toThrow(/fingerprint/);
    await expect(mergeAdapter(bytes, randomAdapter('dense', 4, 3, other), { verify: 'shape' })).resolves.toBeInstanceOf(Uint8Array);
  });

  it('an invalid adapter (NaN coefficient) is refused before anything is computed', async () => {
    const { bytes, w0 } = linearModel(spec);
    const adapter = randomAdapter('dense', 4, 3, w0);
    adapter.layers[0]!.coefficients[0] = Number.NaN;
    await expect(mergeAdapter(bytes, adapter)).rejects.toThrow(OnnxAdapterError);
  });

  it('a merge that would overflow float16 is refused, naming the index', async () => {
    const { bytes, w0 } = linearModel({ ...spec, dtype: 'float16' });
    const adapter = randomAdapter('dense', 4, 3, w0, { alpha: 1e9 });
    await expect(mergeAdapter(bytes, adapter, { verify: 'shape' })).rejects.toThrow(/not finite once stored as float16/);
  });

  it('two adapter layers mapped to one weight are refused', () => {
    const { bytes, w0 } = linearModel(spec);
    const a = randomAdapter('dense', 4, 3, w0);
    const two = { ...a, layers: [a.layers[0]!, { ...a.layers[0]!, name: 'dense/kernel' }] };
    expect(() => locateAdapterWeights(decodeModel(bytes), two)).toThrow(/both resolve to weight/);
    void encodeModel;
  });
});
