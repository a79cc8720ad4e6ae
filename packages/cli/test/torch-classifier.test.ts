/**
 * The ONNX user's path on a model exported from PyTorch, end to end through the CLI:
 * `select` → adapter from the plan → `merge` → `inspect`, on a classifier of three `nn.Linear`
 * layers as `torch.onnx.export` (torch 1.13, opset 14) writes it: `Gemm(x, W, b)` with
 * alpha = beta = 1 and transB = 1, W stored [out, in] under the parameter's name (`fc1.weight`).
 * The graph is written here node for node as the exporter does (checked against a real export),
 * so the test needs no PyTorch.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAdapter, type SshAdapter } from '@ssh-peft/adapter';
import { saveAdapter } from '@ssh-peft/adapter/node';
import { decodeModel, encodeModel, loadOnnxModel, readTensorValues, type ModelProto } from '@ssh-peft/onnx';
import { createRandom, parsePlan } from '@ssh-peft/selection';
import * as ort from 'onnxruntime-node';
import { cli } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'cli-torch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** nn.Linear(in, out) parameters: weight [out, in] row-major, bias [out]. */
interface Linear {
  name: string;
  inFeatures: number;
  outFeatures: number;
  weight: Float32Array;
  bias: Float32Array;
}

function linear(name: string, inFeatures: number, outFeatures: number, seed: number, rank?: number): Linear {
  const random = createRandom(seed);
  const weight = new Float32Array(outFeatures * inFeatures);
  const bound = 1 / Math.sqrt(inFeatures);
  if (rank === undefined) {
    for (let i = 0; i < weight.length; i++) weight[i] = bound * (2 * random.nextDouble() - 1);
  } else {
    // Low rank plus a little noise: a concentrated spectrum, like a trained layer's.
    const u = Array.from({ length: outFeatures * rank }, () => random.nextNormal());
    const v = Array.from({ length: inFeatures * rank }, () => random.nextNormal());
    for (let o = 0; o < outFeatures; o++) {
      for (let i = 0; i < inFeatures; i++) {
        let s = 0;
        for (let k = 0; k < rank; k++) s += u[o * rank + k]! * v[i * rank + k]!;
        weight[o * inFeatures + i] = bound * (0.5 * s + 0.2 * random.nextNormal());
      }
    }
  }
  const bias = Float32Array.from({ length: outFeatures }, () => bound * (2 * random.nextDouble() - 1));
  return { name, inFeatures, outFeatures, weight, bias };
}

const floatBytes = (values: Float32Array) => new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));

/** The ModelProto torch.onnx.export writes for fc3(relu(fc2(relu(fc1(x))))). */
function torchClassifier(layers: Linear[]): ModelProto {
  const node: Array<{ input: string[]; output: string[]; name: string; opType: string; attribute?: Array<Record<string, unknown>> }> = [];
  let x = 'input';
  layers.forEach((l, k) => {
    const out = k === layers.length - 1 ? 'logit' : `/${l.name}/Gemm_output_0`;
    node.push({
      input: [x, `${l.name}.weight`, `${l.name}.bias`],
      output: [out],
      name: `/${l.name}/Gemm`,
      opType: 'Gemm',
      attribute: [
        { name: 'alpha', f: 1, type: 1 },
        { name: 'beta', f: 1, type: 1 },
        { name: 'transB', i: 1, type: 2 },
      ],
    });
    x = out;
    if (k < layers.length - 1) {
      const relu = k === 0 ? '/Relu' : `/Relu_${k}`;
      node.push({ input: [out], output: [`${relu}_output_0`], name: relu, opType: 'Relu' });
      x = `${relu}_output_0`;
    }
  });
  const initializer = layers.flatMap((l) => [
    { name: `${l.name}.weight`, dims: [l.outFeatures, l.inFeatures], dataType: 1, rawData: floatBytes(l.weight) },
    { name: `${l.name}.bias`, dims: [l.outFeatures], dataType: 1, rawData: floatBytes(l.bias) },
  ]);
  const io = (name: string, width: number) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } } });
  return decodeModel(
    encodeModel({
      irVersion: 7,
      opsetImport: [{ version: 14 }],
      producerName: 'pytorch',
      producerVersion: '1.13.0',
      graph: { name: 'torch_jit', node, initializer, input: [io('input', layers[0]!.inFeatures)], output: [io('logit', layers[layers.length - 1]!.outFeatures)] },
    }),
  );
}

/** ΔW [d_in, d_out] of one adapter layer by the definition of the separable IDHT2 (float64, O(rows·cols·n)). */
function referenceDelta(adapter: SshAdapter, name: string): Float64Array {
  const layer = adapter.layers.find((l) => l.name === name)!;
  const { rows, cols } = layer;
  const cas = (t: number) => Math.cos(t) + Math.sin(t);
  const out = new Float64Array(rows * cols);
  layer.indices.forEach((index, k) => {
    const u = Math.floor(index / cols);
    const v = index % cols;
    const c = (layer.coefficients[k]! * layer.alpha) / (rows * cols);
    const colCas = Float64Array.from({ length: cols }, (_, j) => cas((2 * Math.PI * v * j) / cols));
    for (let i = 0; i < rows; i++) {
      const r = c * cas((2 * Math.PI * u * i) / rows);
      for (let j = 0; j < cols; j++) out[i * cols + j] += r * colCas[j]!;
    }
  });
  return out;
}

const initializer = (model: ModelProto, name: string) => readTensorValues(model.graph!.initializer!.find((t) => t.name === name)!);

/** The classifier in float64 with given [out, in] weights (reference forward pass). */
function forward(x: Float32Array, batch: number, layers: Linear[], weights: ArrayLike<number>[]): Float64Array {
  let h = Float64Array.from(x);
  layers.forEach((l, k) => {
    const next = new Float64Array(batch * l.outFeatures);
    for (let b = 0; b < batch; b++) {
      for (let o = 0; o < l.outFeatures; o++) {
        let s = l.bias[o]!;
        for (let i = 0; i < l.inFeatures; i++) s += h[b * l.inFeatures + i]! * weights[k]![o * l.inFeatures + i]!;
        next[b * l.outFeatures + o] = k < layers.length - 1 ? Math.max(0, s) : s;
      }
    }
    h = next;
  });
  return h;
}

describe('a PyTorch-exported classifier (three Gemm transB=1 layers): select → adapter → merge → inspect', () => {
  const layers = [linear('fc1', 2400, 32, 1, 4), linear('fc2', 32, 32, 2), linear('fc3', 32, 1, 3)];
  const modelPath = join(dir, 'm.onnx');
  writeFileSync(modelPath, encodeModel(torchClassifier(layers)));

  it('selects in [d_in, d_out] orientation, merges W0 + ΔWᵀ into the stored [out, in] weights with no mapping, and inspects the result', async () => {
    const inspected = await cli(['inspect', modelPath]);
    expect(inspected.code, inspected.stderr).toBe(0);
    expect(inspected.stdout).toMatch(/fc1\.weight\s+2400×32\s+76,800\s+Gemm transB=1, stored 32×2400, float32/);
    expect(inspected.stdout).toMatch(/fc3\.weight\s+32×1\s/);

    const planPath = join(dir, 'plan.json');
    const selected = await cli(['select', '--model', modelPath, '--budget', '200', '--out', planPath]);
    expect(selected.code, selected.stderr).toBe(0);
    const plan = parsePlan(readFileSync(planPath, 'utf8'));
    expect(plan.options.score).toBe('mean-relative-energy');
    expect(plan.layers.map((l) => [l.name, l.rows, l.cols])).toEqual([
      ['fc1.weight', 2400, 32],
      ['fc2.weight', 32, 32],
      ['fc3.weight', 32, 1],
    ]);
    const counts = plan.layers.map((l) => l.indices.length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(200);
    // The concentrated 32×2400 layer is not starved by the small noise-like ones.
    expect(counts[0]).toBeGreaterThan(100);

    const adapter = createAdapter(plan, { alpha: 300, init: 'normal', seed: 5 });
    const adapterPath = join(dir, 'adapter.safetensors');
    await saveAdapter(adapter, adapterPath);
    const mergedPath = join(dir, 'merged.onnx');
    const merged = await cli(['--json', 'merge', '--model', modelPath, '--adapter', adapterPath, '--out', mergedPath]);
    expect(merged.code, merged.stderr).toBe(0);
    const report = JSON.parse(merged.stdout);
    expect(report.layers.map((l: { layer: string; weight: string; orientation: string }) => [l.layer, l.weight, l.orientation])).toEqual([
      ['fc1.weight', 'fc1.weight', 'gemm-transB'],
      ['fc2.weight', 'fc2.weight', 'gemm-transB'],
      ['fc3.weight', 'fc3.weight', 'gemm-transB'],
    ]);
    expect(report.warnings).toEqual([]);

    const after = decodeModel(readFileSync(mergedPath));
    const mergedWeights = layers.map((l, k) => {
      const name = `${l.name}.weight`;
      const stored = initializer(after, name);
      const delta = referenceDelta(adapter, name); // [d_in, d_out]
      let maxErr = 0;
      for (let o = 0; o < l.outFeatures; o++) {
        for (let i = 0; i < l.inFeatures; i++) {
          // Stored [out, in]: element [o, i] = W0[o, i] + ΔWᵀ[o, i] = W0[o, i] + ΔW[i, o], rounded to float32 once.
          const expected = Math.fround(layers[k]!.weight[o * l.inFeatures + i]! + delta[i * l.outFeatures + o]!);
          maxErr = Math.max(maxErr, Math.abs(stored[o * l.inFeatures + i]! - expected));
        }
      }
      expect(maxErr, name).toBeLessThanOrEqual(1e-6);
      return stored;
    });
    expect(mergedWeights.some((w, k) => w.some((v, i) => v !== layers[k]!.weight[i]))).toBe(true);

    // onnxruntime runs the merged file as the float64 forward pass with the merged weights.
    const batch = 3;
    const random = createRandom(9);
    const x = Float32Array.from({ length: batch * 2400 }, () => random.nextDouble());
    const session = await ort.InferenceSession.create(mergedPath);
    const y = (await session.run({ input: new ort.Tensor('float32', x, [batch, 2400]) })).logit!.data as Float32Array;
    await session.release();
    const expected = forward(x, batch, layers, mergedWeights);
    for (let b = 0; b < batch; b++) expect(Math.abs(y[b]! - expected[b]!)).toBeLessThan(1e-4 * (1 + Math.abs(expected[b]!)));

    const inspectMerged = await cli(['--json', 'inspect', mergedPath]);
    expect(inspectMerged.code, inspectMerged.stderr).toBe(0);
    expect(JSON.parse(inspectMerged.stdout).layers.map((l: { name: string }) => l.name)).toEqual(['fc1.weight', 'fc2.weight', 'fc3.weight']);
  }, 120_000);

  it('select and inspect read external data, including merge output that keeps its weights in <out>.data', async () => {
    const { model } = await loadOnnxModel(modelPath);
    const sub = join(dir, 'external');
    const { saveOnnxModel } = await import('@ssh-peft/onnx');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub);
    const externalPath = join(sub, 'm.onnx');
    await saveOnnxModel(model, externalPath, { externalTensors: new Set(['fc1.weight', 'fc2.weight']) });
    expect(decodeModel(readFileSync(externalPath)).graph!.initializer!.find((t) => t.name === 'fc1.weight')!.dataLocation).toBe(1);

    const planPath = join(sub, 'plan.json');
    const selected = await cli(['select', '--model', externalPath, '--budget', '200', '--out', planPath]);
    expect(selected.code, selected.stderr).toBe(0);
    // Same weights, same plan as from the inline model.
    const inline = await cli(['select', '--model', modelPath, '--budget', '200', '--out', join(sub, 'plan-inline.json')]);
    expect(inline.code).toBe(0);
    expect(readFileSync(planPath, 'utf8')).toBe(readFileSync(join(sub, 'plan-inline.json'), 'utf8'));

    const adapter = createAdapter(parsePlan(readFileSync(planPath, 'utf8')), { alpha: 300, init: 'normal', seed: 1 });
    const adapterPath = join(sub, 'a.safetensors');
    await saveAdapter(adapter, adapterPath);
    const mergedPath = join(sub, 'merged.onnx');
    const merged = await cli(['merge', '--model', externalPath, '--adapter', adapterPath, '--out', mergedPath]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain(`${mergedPath}.data`);

    const inspected = await cli(['inspect', mergedPath]);
    expect(inspected.code, inspected.stderr).toBe(0);
    expect(inspected.stdout).toMatch(/fc1\.weight\s+2400×32/);
    const again = await cli(['select', '--model', mergedPath, '--budget', '50', '--out', join(sub, 'plan2.json')]);
    expect(again.code, again.stderr).toBe(0);
  }, 120_000);

  it('a --map entry that names no graph weight or no adapter layer is an error naming it', async () => {
    const plan = join(dir, 'plan.json');
    const adapter = createAdapter(parsePlan(readFileSync(plan, 'utf8')), { alpha: 300 });
    const adapterPath = join(dir, 'map-adapter.safetensors');
    await saveAdapter(adapter, adapterPath);
    const noWeight = await cli(['merge', '--model', modelPath, '--adapter', adapterPath, '--out', join(dir, 'map1.onnx'), '--map', 'fc1.weight=fc1.wieght']);
    expect(noWeight.code).toBe(1);
    expect(noWeight.stderr).toMatch(/^error: OnnxMappingError: mapping entry "fc1\.wieght" → "fc1\.weight": the graph has no initializer or node named "fc1\.wieght"; near matches: .*"fc1\.weight"/);
    const noLayer = await cli(['merge', '--model', modelPath, '--adapter', adapterPath, '--out', join(dir, 'map2.onnx'), '--map', 'fc9.weight=fc1.weight']);
    expect(noLayer.code).toBe(2);
    expect(noLayer.stderr).toMatch(/--map: the adapter has no layer 'fc9\.weight'/);
  }, 60_000);
});
