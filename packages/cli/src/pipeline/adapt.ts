/**
 * The demo's SSH step (step 5 of run-demo.ts): SSH on the target task. Positions are chosen
 * by global energy ranking over all attention and MLP kernels; only the spectral coefficients train (the head, norms,
 * embeddings and every W0 stay frozen).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { applySSH, type SshHandle } from '@ssh-peft/tfjs';
import { createRandom } from '@ssh-peft/selection';
import { MNIST_PIXELS, type DigitImages } from '../data/mnist';
import { trainSteps } from '../train/train-loop';
import type { ProgressReporter } from '../progress';
import type { DemoConfig } from './demo-config';

/** Seed stream of the adaptation batches (distinct from pretraining and the split). */
const ADAPT_STREAM = 0x2545f491;
/** Seed stream of the head-only baseline's batches: the same as SSH's, so both see the same batches. */
const HEAD_STREAM = ADAPT_STREAM;

/** Number of parameters of a list of layer variables. */
export function countParameters(weights: readonly tfl.LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

function oneHot(labels: Uint8Array): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), 'float32') as tf.Tensor2D);
}

/** Trains the variables of `model` that are trainable on `data`; returns the losses. */
async function trainOn(
  model: tfl.LayersModel,
  data: DigitImages,
  settings: { steps: number; batchSize: number; learningRate: number; seed: number; stage: string; label: string },
  progress: ProgressReporter,
  signal?: AbortSignal,
): Promise<number[]> {
  const inputs = tf.tensor2d(data.images, [data.count, MNIST_PIXELS]);
  const labels = oneHot(data.labels);
  const task = progress.start(settings.label, settings.steps);
  try {
    const losses = await trainSteps({
      model,
      inputs,
      oneHotLabels: labels,
      variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
      steps: settings.steps,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      random: createRandom(settings.seed),
      stage: settings.stage,
      signal,
      onStep: (_, loss) => task.tick({ loss }),
    });
    return Array.from(losses);
  } finally {
    task.stop();
    inputs.dispose();
    labels.dispose();
  }
}

/**
 * Wraps the targets of `base` with SSH layers and trains the coefficients.
 *
 * @example
 * ```ts
 * const { handle, losses } = await adaptWithSsh(base, targetTrain, config, { progress });
 * ```
 */
export async function adaptWithSsh(
  base: tfl.LayersModel,
  data: DigitImages,
  config: DemoConfig,
  { progress, signal }: { progress: ProgressReporter; signal?: AbortSignal },
): Promise<{ handle: SshHandle; losses: number[] }> {
  const a = config.adapt;
  const handle = await applySSH(base, {
    targets: new RegExp(a.targets),
    strategy: 'global',
    budget: a.budget,
    energyRatio: a.energyRatio,
    alpha: a.alpha,
    seed: config.seed,
    init: 'zeros',
    metadata: { task: config.task, source: 'ssh-peft demo' },
  });
  const losses = await trainOn(
    handle.model,
    data,
    { steps: a.steps, batchSize: a.batchSize, learningRate: a.learningRate, seed: config.seed ^ ADAPT_STREAM, stage: 'SSH adaptation', label: 'ssh' },
    progress,
    signal,
  );
  return { handle, losses };
}

/**
 * The honest baseline: the same steps and batches, training only the classifier head
 * (`head`). If this matched SSH, adapting the body would be pointless for this task.
 */
export async function trainHeadOnly(
  base: tfl.LayersModel,
  data: DigitImages,
  config: DemoConfig,
  { progress, signal }: { progress: ProgressReporter; signal?: AbortSignal },
): Promise<{ losses: number[]; trainableParams: number }> {
  for (const layer of base.layers) layer.trainable = layer.name === 'head';
  const trainableParams = countParameters(base.trainableWeights);
  const a = config.adapt;
  const losses = await trainOn(
    base,
    data,
    { steps: a.steps, batchSize: a.batchSize, learningRate: config.headBaseline.learningRate, seed: config.seed ^ HEAD_STREAM, stage: 'head-only baseline', label: 'head-only' },
    progress,
    signal,
  );
  return { losses, trainableParams };
}
