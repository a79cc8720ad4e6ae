import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySSH, buildTinyViT, registerSshKernelsOnWasm } from '@ssh-peft/tfjs';
import { mergeWeights } from '@ssh-peft/adapter';
import { saveAdapter } from '@ssh-peft/adapter/node';
import { decodeModel, readTensorValues, type ModelProto } from '@ssh-peft/onnx';
import { exportLayersModelToOnnx as exportLayersModel } from '@ssh-peft/tfjs-onnx';
import { runOnnxClassifier } from '../src/pipeline/onnx-run';
import { maxAbsDifference } from '../src/train/evaluate';
import { useBackend } from '../src/train/backends';
import { cli } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'cli-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await useBackend('wasm');
  registerSshKernelsOnWasm();
});

const initializer = (model: ModelProto, name: string) => readTensorValues(model.graph!.initializer!.find((t) => t.name === name)!);
const inputs = (count: number, seed: number) => Float32Array.from({ length: count * 784 }, (_, i) => (Math.sin(seed * 13 + i * 0.37) + 1) / 2);
const TARGETS = /^block\d+_(q|k|v|o|mlp1|mlp2)$/;

describe('merging an adapter into ONNX', () => {
  it('equals W0 + ΔW per weight and reproduces the adapted tfjs model; the input file is untouched', async () => {
    const base = buildTinyViT({ dim: 16, depth: 1, heads: 2, mlpDim: 24, numClasses: 10, seed: 5 });
    const basePath = join(dir, 'base.onnx');
    const baseBytes = exportLayersModel(base);
    writeFileSync(basePath, baseBytes);
    const handle = await applySSH(base, { targets: TARGETS, strategy: 'global', budget: 120, seed: 2, init: 'normal', alpha: 30 });
    const adapter = handle.exportAdapter();
    const adapterPath = join(dir, 'a.safetensors');
    await saveAdapter(adapter, adapterPath);
    const out = join(dir, 'merged.onnx');
    const r = await cli(['--json', 'merge', '--model', basePath, '--adapter', adapterPath, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).layers).toHaveLength(6);
    expect(Buffer.compare(readFileSync(basePath), Buffer.from(baseBytes))).toBe(0);

    const merged = decodeModel(readFileSync(out), out);
    const original = decodeModel(baseBytes, basePath);
    for (const layer of adapter.layers) {
      const w0 = initializer(original, `${layer.name}/kernel`);
      expect(initializer(merged, `${layer.name}/kernel`)).toEqual(mergeWeights(w0, adapter, layer.name));
    }
    const x = inputs(6, 1);
    const expected = tf.tidy(() => (handle.model.predict(tf.tensor2d(x, [6, 784])) as tf.Tensor).dataSync());
    expect(maxAbsDifference(await runOnnxClassifier(out, x, 6, 784), expected)).toBeLessThan(1e-5);

    const again = await cli(['merge', '--model', basePath, '--adapter', adapterPath, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    const same = await cli(['merge', '--model', basePath, '--adapter', adapterPath, '--out', basePath, '--force']);
    expect(same.code).toBe(1);
    expect(same.stderr).toMatch(/output path is the input file/);

    // An adapter for another base (other weights, same shapes) is refused by fingerprint, in one line.
    const other = buildTinyViT({ dim: 16, depth: 1, heads: 2, mlpDim: 24, numClasses: 10, seed: 6 });
    const otherPath = join(dir, 'other.onnx');
    writeFileSync(otherPath, exportLayersModel(other));
    const mismatch = await cli(['merge', '--model', otherPath, '--adapter', adapterPath, '--out', join(dir, 'x.onnx')]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr.trim().split('\n')).toHaveLength(1);
    expect(mismatch.stderr).toMatch(/WeightMismatchError: .*fingerprint/);

    const badMap = await cli(['merge', '--model', basePath, '--adapter', adapterPath, '--out', join(dir, 'y.onnx'), '--map', 'nolayer=block0_q/kernel']);
    expect(badMap.code).toBe(2);
    const wrongTarget = await cli(['merge', '--model', basePath, '--adapter', adapterPath, '--out', join(dir, 'z.onnx'), '--map', 'block0_q=block0_mlp1/kernel']);
    expect(wrongTarget.code).toBe(1);
    expect(wrongTarget.stderr).toMatch(/block0_q.*block0_mlp1\/kernel.*shape \[16,24\]/);

    const inspected = await cli(['--json', 'inspect', adapterPath]);
    expect(JSON.parse(inspected.stdout)).toMatchObject({ kind: 'adapter', trainableParameters: 120 });
    const onnxInspect = await cli(['inspect', basePath]);
    expect(onnxInspect.stdout).toMatch(/block0_mlp1\/kernel\s+16×24/);
  }, 60_000);
});
