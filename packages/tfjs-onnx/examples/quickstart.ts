/**
 * Runnable README example: export a tiny tfjs model to ONNX, adapt it with SSH, then merge the
 * adapter into the ONNX file and serve base + two adapters from one hot-swap session.
 * Run: npx tsx --conditions=@ssh-peft/source packages/tfjs-onnx/examples/quickstart.ts
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { saveAdapter } from '@ssh-peft/adapter/node';
import { applySSH, buildTinyViT } from '@ssh-peft/tfjs';
import { createHotSwapSession, createSession, mergeAdapterFile } from '@ssh-peft/onnx';
import { exportLayersModelToOnnx } from '@ssh-peft/tfjs-onnx';

await tf.setBackend('cpu');
const dir = await mkdtemp(join(tmpdir(), 'ssh-onnx-example-'));
try {
  // 1. A tfjs model with SSH on its q/v projections, exported with its *base* kernels.
  const ssh = await applySSH(buildTinyViT({ dim: 32, depth: 1, heads: 4, mlpDim: 64, numClasses: 10, seed: 1 }), { targets: /_(q|v)$/, perLayer: 32, init: 'normal', seed: 1 });
  const adapterA = ssh.exportAdapter();
  const adapterB = { ...adapterA, layers: adapterA.layers.map((l) => ({ ...l, coefficients: l.coefficients.map((c) => -c) })) };
  await writeFile(join(dir, 'model.onnx'), exportLayersModelToOnnx(ssh.model));
  await saveAdapter(adapterA, join(dir, 'adapter.safetensors'));

  // 2. One call merges an adapter file into a new model file (atomic; the input is never touched).
  const report = await mergeAdapterFile(join(dir, 'model.onnx'), join(dir, 'adapter.safetensors'), join(dir, 'model.merged.onnx'));
  console.log('merged:', report.layers.map((l) => `${l.layer} → ${l.weight} (${l.orientation})`).join(', '));

  const x = new ort.Tensor('float32', Float32Array.from({ length: 784 }, (_, i) => (i % 28) / 28), [1, 784]);
  const { session } = await createSession(join(dir, 'model.merged.onnx'), { device: 'cpu' });
  const merged = Object.values(await session.run({ pixels: x }))[0]!.data as Float32Array;

  // 3. One session, many adapters: pick one per run (or none = the base model, bit for bit).
  const hs = await createHotSwapSession(join(dir, 'model.onnx'), { layers: [adapterA, adapterB], device: 'cpu' });
  const a = Object.values(await hs.run({ pixels: x }, { adapter: adapterA }))[0]!.data as Float32Array;
  const b = Object.values(await hs.run({ pixels: x }, { adapter: adapterB }))[0]!.data as Float32Array;
  const none = Object.values(await hs.run({ pixels: x }))[0]!.data as Float32Array;
  const maxDiff = (p: Float32Array, q: Float32Array) => Math.max(...p.map((v, i) => Math.abs(v - q[i]!)));
  console.log(`hot-swap A vs merged file: ${maxDiff(a, merged).toExponential(2)}; A vs B: ${maxDiff(a, b).toExponential(2)}; none vs A: ${maxDiff(none, a).toExponential(2)}`);
  await Promise.all([session.release(), hs.release()]);
} finally {
  await rm(dir, { recursive: true, force: true });
}
