/**
 * The TypeScript side of the Python bridge's cross-language tests, run by them as
 * `npx tsx --conditions=@ssh-peft/source python/tests/bridge.ts <command> …`. Every command writes
 * one JSON file; nothing here decides a test's outcome.
 *
 * - `check-adapter <out.json> <adapter>…`: per file (or PEFT directory, through loadAdapter), decodeAdapter (version, whether encodeAdapter
 *   gives the same bytes back) and deltaWeight64 of every layer.
 * - `fingerprints <out.json> <model.safetensors>`: fingerprintWeights of every 2-D F32 tensor as stored,
 *   and of every `<layer>.weight` as `select --layout torch` reads it (transposed, widened).
 * - `pipeline <out.json> <spec.json>`: `ssh-peft` commands run in this process one after another
 *   (`spec.cli`: argv lists; stops at the first failure), then one onnxruntime-node CPU run per
 *   `spec.onnx` pair [model, input.json], then per `spec.hotSwap` triple [base model, adapter,
 *   input.json] one hot-swap session run with and without the adapter — one Node start for the
 *   whole serving side.
 * - `tfjs-train <out.json> <dir>`: a small tfjs model adapted with applySSH and trained; writes the adapter,
 *   the base weights, the inputs and the adapted model's outputs.
 * - `batch <spec.json>`: the commands listed in spec.json (`[[command, ...args], …]`) in one process.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { decodeAdapter, decodeSafetensors, deltaWeight64, encodeAdapter } from '@ssh-peft/adapter';
import { loadAdapter, saveAdapter } from '@ssh-peft/adapter/node';
import { fingerprintWeights } from '@ssh-peft/selection';
import { createHotSwapSession } from '@ssh-peft/onnx';
import { applySSH } from '@ssh-peft/tfjs';
import { runCli } from '../../packages/cli/src/program';
import { TorchCheckpointLayers } from '../../packages/cli/src/model-io/torch-checkpoint';

const [command, ...args] = process.argv.slice(2);

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value));
}

async function run(command: string | undefined, args: string[]): Promise<void> {
  if (command === 'batch') {
    // Several commands in one Node start: spec.json is a list of [command, ...args].
    const [specFile] = args as [string];
    for (const [sub, ...subArgs] of JSON.parse(readFileSync(specFile, 'utf8')) as string[][]) await run(sub, subArgs);
  } else if (command === 'check-adapter') {
    const [out, ...files] = args as [string, ...string[]];
    const result: Record<string, unknown> = {};
    for (const file of files) {
      // A PEFT directory goes through loadAdapter, which also checks its adapter_config.json.
      const directory = statSync(file).isDirectory();
      const bytes = new Uint8Array(readFileSync(directory ? join(file, 'adapter_model.safetensors') : file));
      const adapter = directory ? await loadAdapter(file) : decodeAdapter(bytes, { file });
      const again = encodeAdapter(adapter);
      const same = again.length === bytes.length && again.every((b, i) => b === bytes[i]);
      const layers: Record<string, { rows: number; cols: number; deltaWeight: number[] }> = {};
      for (const l of adapter.layers) layers[l.name] = { rows: l.rows, cols: l.cols, deltaWeight: Array.from(deltaWeight64(adapter, l.name)) };
      result[file] = { version: adapter.version, reencodedIdentical: same, config: adapter.config, layers };
    }
    writeJson(out, result);
  } else if (command === 'fingerprints') {
    const [out, file] = args as [string, string];
    const st = decodeSafetensors(new Uint8Array(readFileSync(file)), { file });
    const stored: Record<string, string> = {};
    for (const t of st.tensors.values()) {
      if (t.shape.length !== 2 || t.dtype !== 'F32') continue;
      const w = new Float32Array(t.bytes.slice().buffer);
      stored[t.name] = fingerprintWeights(w, t.shape[0]!, t.shape[1]!);
    }
    // The same file read as a torch checkpoint, as `select --layout torch` reads it.
    const torch: Record<string, string> = {};
    for (const layer of new TorchCheckpointLayers(file)) torch[layer.name] = fingerprintWeights(layer.weights, layer.rows, layer.cols);
    writeJson(out, { stored, torch });
  } else if (command === 'pipeline') {
    const [out, specFile] = args as [string, string];
    const spec = JSON.parse(readFileSync(specFile, 'utf8')) as { cli?: string[][]; onnx?: Array<[string, string]>; hotSwap?: Array<[string, string, string]> };
    const cli = [];
    for (const argv of spec.cli ?? []) {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t), isTTY: false }, cwd: process.cwd() });
      cli.push({ argv, code, stdout, stderr });
      if (code !== 0) break;
    }
    const onnx = [];
    if (cli.every((r) => r.code === 0)) {
      for (const [model, input] of spec.onnx ?? []) {
        const feed = JSON.parse(readFileSync(input, 'utf8')) as { name: string; shape: number[]; data: number[] };
        const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'] });
        const result = await session.run({ [feed.name]: new ort.Tensor('float32', Float32Array.from(feed.data), feed.shape) });
        const y = result[session.outputNames[0]!]!;
        onnx.push({ shape: y.dims, data: Array.from(y.data as Float32Array) });
      }
    }
    // Hot-swap: one session on the base model, run with the adapter and without.
    const hotSwap = [];
    if (cli.every((r) => r.code === 0)) {
      for (const [model, adapterPath, input] of spec.hotSwap ?? []) {
        const feed = JSON.parse(readFileSync(input, 'utf8')) as { name: string; shape: number[]; data: number[] };
        const adapter = await loadAdapter(adapterPath);
        const hs = await createHotSwapSession(model, { layers: [adapter], device: 'cpu' });
        const x = { [feed.name]: new ort.Tensor('float32', Float32Array.from(feed.data), feed.shape) };
        const adapted = Object.values(await hs.run(x, { adapter }))[0]!;
        const base = Object.values(await hs.run(x))[0]!;
        hotSwap.push({ shape: adapted.dims, adapted: Array.from(adapted.data as Float32Array), base: Array.from(base.data as Float32Array) });
        await hs.release();
      }
    }
    writeJson(out, { cli, onnx, hotSwap });
  } else if (command === 'tfjs-train') {
    const [out, dir] = args as [string, string];
    await tf.setBackend('cpu');
    const input = tfl.input({ shape: [12] });
    const q = tfl.layers.dense({ units: 12, activation: 'tanh', name: 'q', kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }), biasInitializer: tfl.initializers.randomNormal({ seed: 2, stddev: 0.1 }) });
    const up = tfl.layers.dense({ units: 20, activation: 'relu', name: 'up', kernelInitializer: tfl.initializers.glorotNormal({ seed: 3 }), biasInitializer: tfl.initializers.randomNormal({ seed: 4, stddev: 0.1 }) });
    const head = tfl.layers.dense({ units: 5, name: 'head', kernelInitializer: tfl.initializers.glorotNormal({ seed: 5 }) });
    const output = head.apply(up.apply(q.apply(input))) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: output });
    const base: Record<string, { kernel: number[]; shape: number[]; bias: number[] }> = {};
    for (const layer of [q, up, head]) {
      const [k, b] = layer.getWeights();
      base[layer.name] = { kernel: Array.from(k!.dataSync()), shape: k!.shape, bias: Array.from(b!.dataSync()) };
    }
    const ssh = await applySSH(model, { targets: ['q', 'up'], budget: 60, strategy: 'global', variant: 'true', normalization: 'ortho', alpha: 4, seed: 3 });
    const x = tf.randomNormal([48, 12], 0, 1, 'float32', 11);
    const y = tf.randomNormal([48, 5], 0, 1, 'float32', 12);
    ssh.model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    await ssh.model.fit(x, y, { epochs: 15, batchSize: 16, verbose: 0, shuffle: false });
    const pred = ssh.model.predict(x) as tf.Tensor;
    await saveAdapter(ssh.exportAdapter(), join(dir, 'adapter.safetensors'));
    writeJson(out, { base, x: Array.from(x.dataSync()), y: Array.from(pred.dataSync()), shape: pred.shape });
  } else {
    throw new Error(`unknown command ${String(command)}`);
  }
}

run(command, args).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
