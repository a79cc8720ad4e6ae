/** Batched inference and accuracy of a `[N, 784] → [N, 10]` classifier. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { DIGIT_PIXELS, type DigitSet } from '../data/digit-pack';

/** Class probabilities of every image, their argmax, and the share the argmax gets right. */
export interface Predictions {
  probabilities: Float32Array;
  classes: Uint8Array;
  accuracy: number;
}

/**
 * Runs `model` over `set` in batches of `batchSize` (bounded GPU memory).
 *
 * @example
 * ```ts
 * const { accuracy } = await predictDigits(model, testSet);
 * ```
 */
export async function predictDigits(model: tfl.LayersModel, set: DigitSet, batchSize = 250): Promise<Predictions> {
  const probabilities = new Float32Array(set.count * 10);
  for (let start = 0; start < set.count; start += batchSize) {
    const rows = Math.min(batchSize, set.count - start);
    const out = tf.tidy(() => model.predict(tf.tensor2d(set.images.subarray(start * DIGIT_PIXELS, (start + rows) * DIGIT_PIXELS), [rows, DIGIT_PIXELS])) as tf.Tensor);
    const values = await out.data();
    out.dispose();
    if (values.length !== rows * 10) throw new Error(`the model returned ${values.length} values for ${rows} images, expected ${rows}×10`);
    probabilities.set(values, start * 10);
  }
  const classes = new Uint8Array(set.count);
  let correct = 0;
  for (let i = 0; i < set.count; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (probabilities[i * 10 + c] > probabilities[i * 10 + best]) best = c;
    if (Number.isNaN(probabilities[i * 10 + best])) throw new Error(`the model predicted NaN for image ${i}`);
    classes[i] = best;
    if (best === set.labels[i]) correct++;
  }
  return { probabilities, classes, accuracy: correct / set.count };
}

/** max |a − b| over two equally long arrays. */
export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`maxAbsDifference: lengths ${a.length} and ${b.length} differ`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
