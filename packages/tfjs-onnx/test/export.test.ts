import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createHotSwapSession, decodeModel, mergeAdapter } from '@ssh-peft/onnx';
import { applySSH, baselines, buildTinyTextClassifier, buildTinyViT } from '@ssh-peft/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportLayersModelToOnnx, TfjsOnnxOptionError, TfjsOnnxUnsupportedLayerError } from '../src/index';
import { maxRelDiff, runModel, seeded } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function predict(model: tfl.LayersModel, x: tf.Tensor): Float32Array {
  return tf.tidy(() => Float32Array.from((model.predict(x) as tf.Tensor).dataSync()));
}

/** Pre-softmax sensitivity: compare the head's logits too, by exporting a model that ends before the softmax. */
describe('exportLayersModelToOnnx', () => {
  it('tiny ViT: ORT output equals tfjs (≤ 1e-4 relative)', async () => {
    const model = buildTinyViT({ dim: 16, depth: 2, heads: 4, mlpDim: 32, numClasses: 10, seed: 1 });
    const x = seeded(3 * 784, 2);
    const expected = predict(model, tf.tensor2d(x, [3, 784]));
    const bytes = exportLayersModelToOnnx(model);
    const out = await runModel(bytes, { pixels: new ort.Tensor('float32', x, [3, 784]) });
    expect(Object.keys(out)).toEqual(['head']);
    expect(maxRelDiff(out['head']!, expected)).toBeLessThanOrEqual(1e-4);
    const graph = decodeModel(bytes).graph!;
    expect(graph.initializer!.map((t) => t.name)).toContain('block0_q/kernel');
    expect(new Set(graph.node!.map((n) => n.opType))).toEqual(new Set(['Reshape', 'Transpose', 'MatMul', 'Add', 'LayerNormalization', 'Mul', 'Softmax', 'Relu', 'ReduceMean', 'Identity']));
  });

  it('tiny text classifier (Embedding + position embedding): ORT equals tfjs', async () => {
    const model = buildTinyTextClassifier({ vocabSize: 50, seqLen: 6, dim: 8, depth: 1, heads: 2, mlpDim: 16, numClasses: 3, seed: 4 });
    const ids = Float32Array.from({ length: 12 }, (_, i) => (i * 7) % 50);
    const expected = predict(model, tf.tensor2d(ids, [2, 6]));
    const out = await runModel(exportLayersModelToOnnx(model), { tokens: new ort.Tensor('float32', ids, [2, 6]) });
    expect(maxRelDiff(out['head']!, expected)).toBeLessThanOrEqual(1e-4);
  });

  it.each(['matmul', 'gemm', 'gemm-transB'] as const)('2D Dense as %s (with tanh, sigmoid, linear activations)', async (dense2d) => {
    const input = tfl.input({ shape: [5] });
    const h = tfl.layers.dense({ units: 7, activation: 'tanh', name: 'd1' }).apply(input) as tfl.SymbolicTensor;
    const h2 = tfl.layers.dense({ units: 4, activation: 'sigmoid', name: 'd2' }).apply(h) as tfl.SymbolicTensor;
    const y = tfl.layers.dense({ units: 3, useBias: false, name: 'd3' }).apply(h2) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: y });
    const x = seeded(10, 3);
    const bytes = exportLayersModelToOnnx(model, { dense2d });
    const ops = decodeModel(bytes).graph!.node!.map((n) => n.opType);
    expect(ops).toContain(dense2d === 'matmul' ? 'MatMul' : 'Gemm');
    const out = await runModel(bytes, { [model.inputs[0]!.name.split('/')[0]!]: new ort.Tensor('float32', x, [2, 5]) });
    expect(maxRelDiff(Object.values(out)[0]!, predict(model, tf.tensor2d(x, [2, 5])))).toBeLessThanOrEqual(1e-5);
  });

  it('unsupported layers throw a typed error naming layer and className', () => {
    const input = tfl.input({ shape: [4, 4, 1] });
    const y = tfl.layers.conv2d({ filters: 2, kernelSize: 3, name: 'my_conv' }).apply(input) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: y });
    expect(() => exportLayersModelToOnnx(model)).toThrow(TfjsOnnxUnsupportedLayerError);
    expect(() => exportLayersModelToOnnx(model)).toThrow(/layer "my_conv" \(className "Conv2D"\)/);
    const a = tfl.input({ shape: [3] });
    const gelu = tfl.layers.dense({ units: 2, activation: 'elu', name: 'elu_dense' }).apply(a) as tfl.SymbolicTensor;
    expect(() => exportLayersModelToOnnx(tfl.model({ inputs: a, outputs: gelu }))).toThrow(/"elu_dense".*activation "elu" is not supported/);
  });

  it('exports only the calls its model owns: a base model and the adapted model built on its layers', async () => {
    const base = buildTinyViT({ dim: 8, depth: 1, heads: 2, mlpDim: 16, numClasses: 3, seed: 6 });
    const fresh = decodeModel(exportLayersModelToOnnx(base)).graph!;
    // Adapting rebuilds the graph on the same input layer, so every unadapted layer gains a call.
    const ssh = await applySSH(base, { targets: /_(q|v)$/, perLayer: 4, seed: 2 });
    const baseGraph = decodeModel(exportLayersModelToOnnx(base)).graph!;
    expect(baseGraph.node!.length).toBe(fresh.node!.length);
    expect(baseGraph.initializer!.map((t) => t.name)).toEqual(fresh.initializer!.map((t) => t.name));
    const adaptedNames = decodeModel(exportLayersModelToOnnx(ssh.model)).graph!.initializer!.map((t) => t.name);
    expect(adaptedNames.filter((n) => /_\d+\//.test(n ?? ""))).toEqual([]);
    expect(new Set(adaptedNames)).toEqual(new Set(fresh.initializer!.map((t) => t.name)));
    const x = seeded(2 * 784, 4);
    const out = await runModel(exportLayersModelToOnnx(base), { pixels: new ort.Tensor('float32', x, [2, 784]) });
    expect(maxRelDiff(out['head']!, predict(base, tf.tensor2d(x, [2, 784])))).toBeLessThanOrEqual(1e-4);
  });

  it('a layer called twice in one model exports both calls, the second suffixed', async () => {
    const input = tfl.input({ shape: [4] });
    const shared = tfl.layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
    const y = shared.apply(shared.apply(input)) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: y });
    const bytes = exportLayersModelToOnnx(model);
    expect(decodeModel(bytes).graph!.initializer!.map((t) => t.name)).toEqual(['shared/kernel', 'shared/bias', 'shared_1/kernel', 'shared_1/bias']);
    const x = seeded(8, 5);
    const out = Object.values(await runModel(bytes, { [model.inputs[0]!.name.split('/')[0]!]: new ort.Tensor('float32', x, [2, 4]) }))[0]!;
    expect(maxRelDiff(out, predict(model, tf.tensor2d(x, [2, 4])))).toBeLessThanOrEqual(1e-5);
  });

  it('rejects bad options and non-functional models with a typed error', () => {
    const model = buildTinyViT({ dim: 8, depth: 1, heads: 2, mlpDim: 8, numClasses: 2, seed: 1 });
    expect(() => exportLayersModelToOnnx(model, { dense2d: 'conv' as 'gemm' })).toThrow(TfjsOnnxOptionError);
    expect(() => exportLayersModelToOnnx(model, { sshDense: 'delta' as 'base' })).toThrow(/sshDense must be 'base' or 'merged', got "delta"/);
    expect(() => exportLayersModelToOnnx({} as tfl.LayersModel)).toThrow(/expected a functional tfjs LayersModel/);
  });

  it('a LoRA-adapted model (another AdaptedDense) exports with its base or merged kernel', async () => {
    const base = buildTinyViT({ dim: 16, depth: 1, heads: 2, mlpDim: 16, numClasses: 3, seed: 2 });
    const lora = baselines.applyLoRA(base, { targets: /_(q|v)$/, rank: 2, seed: 5 });
    lora.model.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
    const xTrain = tf.tensor2d(seeded(4 * 784, 11), [4, 784]);
    const yTrain = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
    await lora.model.fit(xTrain, yTrain, { epochs: 2, batchSize: 4, verbose: 0 });
    const x = seeded(2 * 784, 12);
    const expected = predict(lora.model, tf.tensor2d(x, [2, 784]));
    const feeds = { pixels: new ort.Tensor('float32', x, [2, 784]) };
    const merged = Object.values(await runModel(exportLayersModelToOnnx(lora.model, { sshDense: 'merged' }), feeds))[0]!;
    expect(maxRelDiff(merged, expected)).toBeLessThanOrEqual(1e-4);
    const baseOnly = Object.values(await runModel(exportLayersModelToOnnx(lora.model), feeds))[0]!;
    expect(maxRelDiff(baseOnly, predict(base, tf.tensor2d(x, [2, 784])))).toBeLessThanOrEqual(1e-4);
    expect(maxRelDiff(baseOnly, expected)).toBeGreaterThan(1e-5);
    tf.dispose([xTrain, yTrain]);
  });

  it('an adapter trained with @ssh-peft/tfjs gives the tfjs outputs in ONNX: merged, exported merged, and hot-swapped', async () => {
    const base = buildTinyViT({ dim: 16, depth: 1, heads: 2, mlpDim: 32, numClasses: 4, seed: 7 });
    const xTrain = tf.tensor2d(seeded(8 * 784, 5), [8, 784]);
    const yTrain = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4);
    const ssh = await applySSH(base, { targets: /_(q|v)$/, perLayer: 12, alpha: 300, seed: 3 });
    ssh.model.compile({ optimizer: tf.train.adam(0.5), loss: 'categoricalCrossentropy' });
    await ssh.model.fit(xTrain, yTrain, { epochs: 2, batchSize: 8, verbose: 0 });
    const adapter = ssh.exportAdapter();
    expect(adapter.layers.map((l) => l.name).sort()).toEqual(['block0_q', 'block0_v']);
    expect(Math.max(...adapter.layers.flatMap((l) => Array.from(l.coefficients, Math.abs)))).toBeGreaterThan(0);

    const x = seeded(3 * 784, 9);
    const expected = predict(ssh.model, tf.tensor2d(x, [3, 784]));
    const feeds = { pixels: new ort.Tensor('float32', x, [3, 784]) };
    const baseBytes = exportLayersModelToOnnx(ssh.model, { sshDense: 'base' });
    const baseOut = Object.values(await runModel(baseBytes, feeds))[0]!;
    expect(maxRelDiff(baseOut, expected)).toBeGreaterThan(1e-4); // the adapter changes the output

    const merged = Object.values(await runModel(await mergeAdapter(baseBytes, adapter), feeds))[0]!;
    expect(maxRelDiff(merged, expected)).toBeLessThanOrEqual(1e-4);
    const exportedMerged = Object.values(await runModel(exportLayersModelToOnnx(ssh.model, { sshDense: 'merged' }), feeds))[0]!;
    expect(maxRelDiff(exportedMerged, expected)).toBeLessThanOrEqual(1e-4);

    const hs = await createHotSwapSession(baseBytes, { layers: [adapter], device: 'cpu', notice: null });
    try {
      const swapped = Object.values(await hs.run(feeds, { adapter }))[0]!.data as Float32Array;
      expect(maxRelDiff(swapped, expected)).toBeLessThanOrEqual(1e-4);
      // An adapter for a subset of the session's layers: the others stay on their base branch.
      const partial = { ...adapter, layers: [adapter.layers[0]!] };
      const partialOut = Object.values(await hs.run(feeds, { adapter: partial }))[0]!.data as Float32Array;
      const partialMerged = Object.values(await runModel(await mergeAdapter(baseBytes, partial), feeds))[0]!;
      expect(maxRelDiff(partialOut, partialMerged)).toBeLessThanOrEqual(1e-6);
      expect(maxRelDiff(partialOut, swapped)).toBeGreaterThan(1e-6);
      const none = Object.values(await hs.run(feeds))[0]!.data as Float32Array;
      expect(Array.from(new Uint32Array(none.buffer, none.byteOffset, none.length))).toEqual(Array.from(new Uint32Array(baseOut.buffer, baseOut.byteOffset, baseOut.length)));
    } finally {
      await hs.release();
    }
    tf.dispose([xTrain, yTrain]);
  });
});
