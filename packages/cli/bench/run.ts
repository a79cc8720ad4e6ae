/**
 * Benchmark of the demo's training steps on tfjs's pure-JS cpu backend (the peer) and on
 * the wasm backend with the SSH kernels bridged (what the demo uses). Same model, data and
 * seeds on both; steps alternate between backends in rounds so machine noise hits both
 * alike. Writes docs/benchmarks/cli.md.
 *
 *   npx nx run cli:bench
 */
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '@ssh-peft/adapter/node';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { applySSH, buildTinyViT, registerSshKernelsOnWasm } from '@ssh-peft/tfjs';
import { useBackend, type DemoBackend } from '../src/train/backends';
import { crossEntropyOfProbabilities } from '../src/train/train-loop';
import { ADAPTED_LAYERS } from '../src/pipeline/demo-config';

const BATCH = 32;
const ROUNDS = 4;
const STEPS_PER_ROUND = 3;

interface Setup {
  model: tfl.LayersModel;
  step: () => void;
}

async function setup(backend: DemoBackend, kind: 'pretrain' | 'ssh'): Promise<Setup> {
  await useBackend(backend);
  if (backend === 'wasm') registerSshKernelsOnWasm();
  const base = buildTinyViT({ dim: 32, depth: 2, heads: 4, mlpDim: 64, numClasses: 10, seed: 1 });
  const model = kind === 'ssh' ? (await applySSH(base, { targets: new RegExp(ADAPTED_LAYERS), strategy: 'global', budget: 1500, seed: 7, init: 'normal' })).model : base;
  const x = tf.tensor2d(Float32Array.from({ length: BATCH * 784 }, (_, i) => (Math.sin(i * 0.37) + 1) / 2), [BATCH, 784]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, i) => i % 10), 'int32'), 10);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = tf.train.adam(1e-3);
  const step = () => {
    const loss = optimizer.minimize(() => crossEntropyOfProbabilities(y, model.apply(x, { training: true }) as tf.Tensor), true, variables)!;
    loss.dataSync();
    loss.dispose();
  };
  step();
  step();
  return { model, step };
}

async function timeSteps(backend: DemoBackend, s: Setup): Promise<number> {
  await useBackend(backend);
  const t0 = performance.now();
  for (let i = 0; i < STEPS_PER_ROUND; i++) s.step();
  return (performance.now() - t0) / STEPS_PER_ROUND;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows: string[] = [];
for (const kind of ['pretrain', 'ssh'] as const) {
  const cpu = await setup('cpu', kind);
  const wasm = await setup('wasm', kind);
  const times: Record<DemoBackend, number[]> = { cpu: [], wasm: [] };
  for (let r = 0; r < ROUNDS; r++) {
    times.cpu.push(await timeSteps('cpu', cpu));
    times.wasm.push(await timeSteps('wasm', wasm));
  }
  const c = median(times.cpu);
  const w = median(times.wasm);
  const label = kind === 'pretrain' ? 'pretraining step (all weights)' : 'SSH step (1 500 coefficients, global)';
  rows.push(`| ${label} | ${c.toFixed(0)} | ${w.toFixed(0)} | ${(c / w).toFixed(2)}× |`);
  console.log(`${kind}: cpu ${c.toFixed(0)} ms/step, wasm ${w.toFixed(0)} ms/step, ratio ${(c / w).toFixed(2)}`);
}

const load = (await import('node:os')).loadavg()[0].toFixed(1);
const md = `# @ssh-peft/cli — demo training steps, cpu backend vs wasm backend

Tiny ViT of the demo (width 32, 2 blocks, 4 heads, MLP 64; 19 594 parameters), batch ${BATCH}, Adam,
forward + backward + update per step. The peer is tfjs's pure-JS \`cpu\` backend (where @ssh-peft/tfjs
registers its kernels); the demo runs on \`wasm\` with those kernels bridged
(\`registerSshKernelsOnWasm\`). Both backends run with \`registerLinearTileGradient\` and \`registerBlockTile\`, as the demo does
(stock vs ours, same run: \`npx nx run tfjs:bench-host\`). Median of ${ROUNDS} rounds × ${STEPS_PER_ROUND} steps, backends alternating.

| step | cpu (ms) | wasm (ms) | cpu / wasm |
|---|---:|---:|---:|
${rows.join('\n')}

Node ${process.versions.node}, 1-minute load average at the end ${load} on a 2-core machine shared with other
jobs: compare the ratio, not the absolute times. Command: \`npx nx run cli:bench\`.
`;
const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'benchmarks', 'cli.md');
mkdirSync(dirname(out), { recursive: true });
await writeFileAtomic(out, md, { overwrite: true });
console.log(`wrote ${out}`);
