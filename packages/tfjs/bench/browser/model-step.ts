/**
 * Whole-model training step in the page (bundled with bench-page-entry.ts): a model of
 * Dense blocks on [4, 128, 256] inputs, the head trainable, and on three of its layers
 * either nothing (body frozen), LoRA r = 8 or SSH (n = 1000 per layer); `trainOnBatch`
 * with Adam. The variants' steps alternate round by round (same machine load), median
 * per variant; peak = `tf.profile` peakBytes of one step. On webgl the SSH model also
 * runs with the DHT kernel's passes in the `packed` layout (natural order between passes,
 * the kernel before the mirrored layout) registered in place of the default, and with the
 * sparse-mix programs in the `gather` layout (unpacked: tfjs converts the packed DHT output
 * for them), as the measured peers.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { applySSH } from '../../src/apply-ssh';
import { applyLoRA } from '../../src/baselines/apply-baselines';
import { DHT_KERNEL_NAME } from '../../src/kernel-names';
import { createDhtWebGLKernelFunc } from '../../src/kernels/webgl/dht-webgl';
import { createSparseMixWebGLKernelConfigs } from '../../src/kernels/webgl/sparse-mix-webgl';

export const MODEL_SHAPE = { batch: 4, seq: 128, dim: 256, hidden: 1024, classes: 10, positionsPerLayer: 1000, loraRank: 8 };
const ADAPTED = ['block0_up', 'block0_down', 'block1_up'];

export interface ModelStepRow {
  variant: string;
  trainable: number;
  ms: number;
  peakBytes: number;
  kernels: Array<{ name: string; ms: number }>;
  /** matMul kernels of the profiled step by input shapes (`run.ts --model-only` prints the largest). */
  matMuls: Array<{ name: string; ms: number }>;
}

function buildModel(): tfl.LayersModel {
  const { seq, dim, hidden, classes } = MODEL_SHAPE;
  const dense = (units: number, name: string, i: number, activation: 'relu' | 'linear' | 'softmax' = 'linear') =>
    tfl.layers.dense({ units, activation, name, kernelInitializer: tfl.initializers.glorotUniform({ seed: i }) });
  const input = tfl.input({ shape: [seq, dim] });
  let h = dense(hidden, 'block0_up', 1, 'relu').apply(input) as tfl.SymbolicTensor;
  h = dense(dim, 'block0_down', 2).apply(h) as tfl.SymbolicTensor;
  h = dense(hidden, 'block1_up', 3, 'relu').apply(h) as tfl.SymbolicTensor;
  h = dense(dim, 'block1_down', 4).apply(h) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling1d({ name: 'pool' }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: dense(classes, 'head', 5, 'softmax').apply(pooled) as tfl.SymbolicTensor });
}

type ProfiledKernel = { name: string; kernelTimeMs: unknown; inputShapes?: unknown };

/** Kernel times of a profile summed under `keyOf` (skipping kernels without one), largest first. */
async function kernelTimes(profile: { kernels: ProfiledKernel[] }, keyOf: (k: ProfiledKernel) => string | null = (k) => k.name): Promise<Array<{ name: string; ms: number }>> {
  const byKey = new Map<string, number>();
  for (const k of profile.kernels) {
    const t = await k.kernelTimeMs;
    const key = keyOf(k);
    if (typeof t === 'number' && key !== null) byKey.set(key, (byKey.get(key) ?? 0) + t);
  }
  return [...byKey].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}

const matMulByShapes = (k: ProfiledKernel) => (/MatMul/.test(k.name) ? `${k.name} ${JSON.stringify(k.inputShapes)}` : null);

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** Label of the SSH row with the webgl DHT passes in the `packed` layout (natural order between passes). */
export const PACKED_PASSES_SSH_VARIANT = 'SSH, webgl packed passes';

/** Runs `fn` with the webgl DHT kernel's passes in the `packed` layout, then restores the registered kernel. */
async function withPackedPasses<T>(fn: () => Promise<T>): Promise<T> {
  const registered = tf.getKernel(DHT_KERNEL_NAME, 'webgl');
  if (registered === undefined) throw new Error(`${DHT_KERNEL_NAME} is not registered for webgl`);
  tf.unregisterKernel(DHT_KERNEL_NAME, 'webgl');
  tf.registerKernel({ ...registered, kernelFunc: createDhtWebGLKernelFunc('packed') });
  try {
    return await fn();
  } finally {
    tf.unregisterKernel(DHT_KERNEL_NAME, 'webgl');
    tf.registerKernel(registered);
  }
}

/** Label of the SSH row with the webgl sparse-mix programs in the unpacked `gather` layout. */
export const GATHER_MIX_SSH_VARIANT = 'SSH, webgl gather mix';

/** Runs `fn` with the webgl sparse-mix kernels in the `gather` layout, then restores the registered ones. */
async function withGatherMix<T>(fn: () => Promise<T>): Promise<T> {
  const peers = createSparseMixWebGLKernelConfigs('gather');
  const registered = peers.map((k) => tf.getKernel(k.kernelName, 'webgl'));
  if (registered.some((k) => k === undefined)) throw new Error('the sparse-mix kernels are not registered for webgl');
  for (const k of peers) {
    tf.unregisterKernel(k.kernelName, 'webgl');
    tf.registerKernel(k);
  }
  try {
    return await fn();
  } finally {
    for (const k of registered as tf.KernelConfig[]) {
      tf.unregisterKernel(k.kernelName, 'webgl');
      tf.registerKernel(k);
    }
  }
}

/** The model variants of one backend, compiled and warmed up, with the step that trains one of them on the fixed batch. */
export interface ModelVariants {
  variants: Array<[string, tfl.LayersModel]>;
  step(name: string, model: tfl.LayersModel): Promise<unknown>;
  dispose(): void;
}

/** Builds, compiles and warms up every variant on the active backend. */
export async function prepareModelVariants(): Promise<ModelVariants> {
  const { batch, seq, dim, classes } = MODEL_SHAPE;
  const x = tf.randomUniform([batch, seq, dim], -1, 1, 'float32', 1);
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 3, 5, 9], 'int32'), classes), 'float32'));
  const frozen = buildModel();
  for (const l of frozen.layers) l.trainable = l.name === 'head';
  const lora = applyLoRA(buildModel(), { targets: ADAPTED, rank: MODEL_SHAPE.loraRank, trainable: ['head'] });
  const ssh = await applySSH(buildModel(), { targets: ADAPTED, perLayer: MODEL_SHAPE.positionsPerLayer, trainable: ['head'] });
  const variants: Array<[string, tfl.LayersModel]> = [
    ['frozen body, head trainable', frozen],
    [`LoRA r=${MODEL_SHAPE.loraRank}`, lora.model],
    ['SSH', ssh.model],
  ];
  // The same SSH model (its weights keep training; the step's cost does not depend on their values).
  if (tf.getBackend() === 'webgl') variants.push([PACKED_PASSES_SSH_VARIANT, ssh.model], [GATHER_MIX_SSH_VARIANT, ssh.model]);
  const step = (name: string, model: tfl.LayersModel) =>
    name === PACKED_PASSES_SSH_VARIANT
      ? withPackedPasses(() => model.trainOnBatch(x, y))
      : name === GATHER_MIX_SSH_VARIANT
        ? withGatherMix(() => model.trainOnBatch(x, y))
        : model.trainOnBatch(x, y);
  for (const [name, model] of variants) {
    if (name !== PACKED_PASSES_SSH_VARIANT && name !== GATHER_MIX_SSH_VARIANT) model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    await step(name, model); // warm-up: shader compilation, optimizer slots, tables
  }
  return {
    variants,
    step,
    dispose: () => {
      for (const model of new Set(variants.map(([, m]) => m))) model.dispose();
      tf.dispose([x, y]);
    },
  };
}

export async function benchModelStep(repeats: number): Promise<ModelStepRow[]> {
  const { variants, step, dispose } = await prepareModelVariants();
  const times = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  for (let round = 0; round < repeats; round++) {
    for (const [name, model] of variants) {
      const t0 = performance.now();
      await step(name, model);
      times.get(name)?.push(performance.now() - t0);
    }
  }
  const rows: ModelStepRow[] = [];
  for (const [name, model] of variants) {
    const profile = await tf.profile(async () => {
      await step(name, model);
    });
    const trainable = model.trainableWeights.reduce((a, w) => a + (w.shape as number[]).reduce((p, d) => p * d, 1), 0);
    rows.push({
      variant: name,
      trainable,
      ms: median(times.get(name) as number[]),
      peakBytes: profile.peakBytes,
      kernels: await kernelTimes(profile as never),
      matMuls: await kernelTimes(profile as never, matMulByShapes),
    });
  }
  dispose();
  return rows;
}
