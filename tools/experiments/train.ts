/**
 * Seeded mini-batch training and evaluation with a custom loop (tfjs' `fit` shuffles with
 * Math.random). Two Adam optimisers: the method's rate for the body/adapter variables and
 * the head rate for the classification head.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { crossEntropyOfProbabilities } from '@ssh-peft/cli/train';
import { createRandom, permutation } from '@ssh-peft/selection';
import type { LabelledSet } from './data/labelled-set';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  bodyLearningRate: number;
  headLearningRate: number;
  seed: number;
  numClasses: number;
}

export interface TrainOutcome {
  /** Wall-clock seconds per epoch (training steps only). */
  secondsPerEpoch: number;
  finalLoss: number;
  /** True when the loss or a parameter became NaN/±Infinity; training stopped there. */
  diverged: boolean;
}

function batchTensors(set: LabelledSet, order: Uint32Array, start: number, end: number, numClasses: number): [tf.Tensor2D, tf.Tensor2D] {
  const n = end - start;
  const x = new Float32Array(n * set.width);
  const y = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) {
    const r = order[start + i];
    x.set(set.x.subarray(r * set.width, (r + 1) * set.width), i * set.width);
    y[i * numClasses + set.labels[r]] = 1;
  }
  return [tf.tensor2d(x, [n, set.width]), tf.tensor2d(y, [n, numClasses])];
}

/**
 * Trains `bodyVariables` and `headVariables` of `model` on `set`.
 *
 * @example
 * ```ts
 * await train(model, body, head, adaptSet, { epochs: 3, batchSize: 32, bodyLearningRate: 1e-2, headLearningRate: 3e-3, seed: 0, numClasses: 10 });
 * ```
 */
export async function train(model: tfl.LayersModel, bodyVariables: tf.Variable[], headVariables: tf.Variable[], set: LabelledSet, o: TrainOptions): Promise<TrainOutcome> {
  const random = createRandom(0x5eed + o.seed);
  const bodyOpt = tf.train.adam(o.bodyLearningRate);
  const headOpt = tf.train.adam(o.headLearningRate);
  const all = [...bodyVariables, ...headVariables];
  const headNames = new Set(headVariables.map((v) => v.name));
  let finalLoss = Number.NaN;
  let diverged = false;
  const started = performance.now();
  let epochsDone = 0;
  try {
    for (let e = 0; e < o.epochs && !diverged; e++) {
      const order = permutation(set.count, random);
      for (let start = 0; start < set.count; start += o.batchSize) {
        const [x, y] = batchTensors(set, order, start, Math.min(set.count, start + o.batchSize), o.numClasses);
        const { value, grads } = tf.variableGrads(() => crossEntropyOfProbabilities(y, model.apply(x, { training: true }) as tf.Tensor), all);
        finalLoss = (await value.data())[0];
        const bodyGrads: Array<{ name: string; tensor: tf.Tensor }> = [];
        const headGrads: Array<{ name: string; tensor: tf.Tensor }> = [];
        for (const [name, tensor] of Object.entries(grads)) (headNames.has(name) ? headGrads : bodyGrads).push({ name, tensor });
        if (Number.isFinite(finalLoss)) {
          if (bodyGrads.length > 0) bodyOpt.applyGradients(bodyGrads);
          if (headGrads.length > 0) headOpt.applyGradients(headGrads);
        } else diverged = true;
        tf.dispose([x, y, value, ...Object.values(grads)]);
        if (diverged) break;
      }
      epochsDone++;
    }
  } catch (error) {
    // SshDense's finite check throws once a coefficient is NaN/±Inf: a diverged run, not a crash.
    if ((error as Error).name !== 'SshNonFiniteError') throw error;
    diverged = true;
  } finally {
    bodyOpt.dispose();
    headOpt.dispose();
  }
  return { secondsPerEpoch: (performance.now() - started) / 1000 / Math.max(1, epochsDone), finalLoss, diverged };
}

/** Accuracy of `model` on `set` (batched inference). A model with non-finite outputs scores 0 on those rows. */
export function accuracy(model: tfl.LayersModel, set: LabelledSet, batchSize = 250): number {
  let correct = 0;
  for (let start = 0; start < set.count; start += batchSize) {
    const n = Math.min(batchSize, set.count - start);
    const predicted = tf.tidy(() => {
      const p = model.predict(tf.tensor2d(set.x.subarray(start * set.width, (start + n) * set.width), [n, set.width])) as tf.Tensor;
      return tf.argMax(tf.where(tf.isNaN(p), tf.fill(p.shape, -1), p), -1).dataSync();
    });
    for (let i = 0; i < n; i++) if (predicted[i] === set.labels[start + i]) correct++;
  }
  return correct / set.count;
}
