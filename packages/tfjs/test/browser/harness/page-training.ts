/**
 * Whole-model training in the page (bundled with page-entry.ts): a small model of Dense
 * blocks, SSH adapters on three of its layers through applySSH, the head trainable,
 * `trainOnBatch` with SGD — on cpu for one step and on the GPU backend for several.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { applySSH } from '../../../src/apply-ssh';
import { SshDense } from '../../../src/layers/ssh-dense';
import type { TrainModelArgs, TrainModelResult } from './harness-api';
import { diff, onBackend } from './page-mix';
import { seededValues } from './seeded-values';

const BATCH = 4;
const SEQ = 32;
const DIM = 96;
const HIDDEN = 192;
const CLASSES = 5;
const ADAPTED = ['block0_up', 'block0_down', 'block1_up'];
const POSITIONS_PER_LAYER = 300;
const LEARNING_RATE = 0.05;

function buildModel(seed: number): tfl.LayersModel {
  const dense = (units: number, name: string, i: number, activation: 'relu' | 'linear' | 'softmax' = 'linear') =>
    tfl.layers.dense({ units, activation, name, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + i }), biasInitializer: 'zeros' });
  const input = tfl.input({ shape: [SEQ, DIM] });
  let h = dense(HIDDEN, 'block0_up', 1, 'relu').apply(input) as tfl.SymbolicTensor;
  h = dense(DIM, 'block0_down', 2).apply(h) as tfl.SymbolicTensor;
  h = dense(HIDDEN, 'block1_up', 3, 'relu').apply(h) as tfl.SymbolicTensor;
  h = dense(DIM, 'block1_down', 4).apply(h) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling1d({ name: 'pool' }).apply(h) as tfl.SymbolicTensor;
  const out = dense(CLASSES, 'head', 5, 'softmax').apply(pooled) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

/** Every adapted layer's coefficients, read asynchronously (webgpu has no cheap synchronous readback). */
async function coefficientsOf(model: tfl.LayersModel): Promise<Float32Array> {
  const layers = model.layers.filter((l): l is SshDense => l instanceof SshDense);
  const parts = await Promise.all(layers.map(async (l) => (await l.coefficients.read().data()) as Float32Array));
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

async function train(args: TrainModelArgs, steps: number) {
  const { seed, variant } = args;
  const ssh = await applySSH(buildModel(seed), { targets: ADAPTED, perLayer: POSITIONS_PER_LAYER, trainable: ['head'], variant, seed });
  ssh.model.compile({ optimizer: tf.train.sgd(LEARNING_RATE), loss: 'categoricalCrossentropy' });
  const x = tf.tensor3d(seededValues(seed + 10, BATCH * SEQ * DIM), [BATCH, SEQ, DIM]);
  const labels = Array.from(seededValues(seed + 11, BATCH), (v) => Math.min(CLASSES - 1, Math.floor(((v + 1) / 2) * CLASSES)));
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES), 'float32'));
  const losses: number[] = [];
  let afterFirst: Float32Array = new Float32Array(0);
  let tensorsAfterFirst = 0;
  for (let s = 0; s < steps; s++) {
    const loss = (await ssh.model.trainOnBatch(x, y)) as number;
    losses.push(loss);
    if (s === 0) {
      afterFirst = await coefficientsOf(ssh.model);
      tensorsAfterFirst = tf.memory().numTensors;
    }
  }
  const tensorsGainedPerStep = steps > 1 ? (tf.memory().numTensors - tensorsAfterFirst) / (steps - 1) : 0;
  const adaptedLayers = ssh.model.layers.filter((l) => l instanceof SshDense).map((l) => l.name);
  tf.dispose([x, y]);
  ssh.model.dispose();
  return { losses, afterFirst, tensorsGainedPerStep, adaptedLayers };
}

export async function trainModel(args: TrainModelArgs): Promise<TrainModelResult> {
  const cpu = await onBackend('cpu', () => train(args, 1));
  const gpu = await onBackend(args.backend, () => train(args, args.steps));
  return {
    losses: gpu.losses,
    cpuFirstLoss: cpu.losses[0],
    coefficientsAfterFirstStep: diff(gpu.afterFirst, cpu.afterFirst),
    adaptedLayers: gpu.adaptedLayers,
    tensorsGainedPerStep: gpu.tensorsGainedPerStep,
    backendAfter: tf.getBackend(),
  };
}
