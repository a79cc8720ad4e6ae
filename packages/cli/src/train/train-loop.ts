/**
 * A plain, deterministic training loop: seeded batches, Adam on an explicit variable list,
 * the loss read back every step (for the progress bar, the loss curve and the finite check).
 * `model.fit` is not used because its shuffling draws from Math.random.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CliNumericError } from '../errors';
import { throwIfInterrupted, yieldToEventLoop } from '../interrupt';
import type { IntSource } from '../data/split';
import { seededBatches } from './batches';

/** Cross-entropy of softmax probabilities against one-hot labels, averaged over the batch. */
export function crossEntropyOfProbabilities(oneHot: tf.Tensor, probabilities: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(probabilities, 1e-7, 1))), -1))) as tf.Scalar);
}

/** Options of {@link trainSteps}. */
export interface TrainStepsOptions {
  model: tfl.LayersModel;
  /** `[count, features]` inputs and `[count, classes]` one-hot labels of the training set. */
  inputs: tf.Tensor2D;
  oneHotLabels: tf.Tensor2D;
  /** The variables the optimiser updates (everything else stays frozen). */
  variables: tf.Variable[];
  steps: number;
  batchSize: number;
  learningRate: number;
  random: IntSource;
  /** Name of the stage, for errors ("pretraining", "SSH adaptation"). */
  stage: string;
  signal?: AbortSignal;
  onStep?: (step: number, loss: number) => void;
}

/**
 * Runs `steps` Adam steps; returns the loss of every step.
 *
 * @example
 * ```ts
 * const losses = await trainSteps({ model, inputs, oneHotLabels, variables, steps: 100, batchSize: 32,
 *   learningRate: 5e-3, random: createRandom(1), stage: 'pretraining' });
 * ```
 */
export async function trainSteps(options: TrainStepsOptions): Promise<Float32Array> {
  const { model, inputs, oneHotLabels, variables, steps, batchSize, learningRate, random, stage, signal, onStep } = options;
  if (variables.length === 0) throw new CliNumericError(`${stage}: no trainable variables`);
  if (!(learningRate > 0)) throw new RangeError(`${stage}: learning rate must be positive, got ${learningRate}`);
  const optimizer = tf.train.adam(learningRate);
  const losses = new Float32Array(steps);
  let step = 0;
  try {
    for (const batch of seededBatches(inputs.shape[0], batchSize, steps, random)) {
      throwIfInterrupted(signal, stage);
      const loss = tf.tidy(() => {
        const index = tf.tensor1d(batch, 'int32');
        const x = tf.gather(inputs, index);
        const y = tf.gather(oneHotLabels, index);
        return optimizer.minimize(() => crossEntropyOfProbabilities(y, model.apply(x, { training: true }) as tf.Tensor), true, variables) as tf.Scalar;
      });
      const value = (await loss.data())[0];
      loss.dispose();
      if (!Number.isFinite(value)) throw new CliNumericError(`${stage}: loss became ${value} at step ${step + 1} of ${steps} (lower the learning rate)`);
      losses[step] = value;
      onStep?.(step, value);
      step++;
      await yieldToEventLoop();
    }
  } finally {
    optimizer.dispose();
  }
  return losses;
}
