/** Batched inference and accuracy (batched to bound memory on large splits). */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CliNumericError } from '../errors';
import { throwIfInterrupted, yieldToEventLoop } from '../interrupt';

/**
 * Output rows of `model` for `count` inputs of `features` values each, as one row-major
 * `[count, outputs]` Float32Array.
 */
export async function predictRows(
  model: tfl.LayersModel,
  inputs: Float32Array,
  count: number,
  features: number,
  { batchSize = 256, signal, stage = 'evaluation' }: { batchSize?: number; signal?: AbortSignal; stage?: string } = {},
): Promise<{ values: Float32Array; outputs: number }> {
  if (inputs.length !== count * features) throw new RangeError(`predictRows: ${inputs.length} input values, expected ${count}×${features}`);
  let values: Float32Array | undefined;
  let outputs = 0;
  for (let start = 0; start < count; start += batchSize) {
    throwIfInterrupted(signal, stage);
    const rows = Math.min(batchSize, count - start);
    const out = tf.tidy(() => model.predict(tf.tensor2d(inputs.subarray(start * features, (start + rows) * features), [rows, features])) as tf.Tensor);
    const data = (await out.data()) as Float32Array;
    if (values === undefined) {
      outputs = out.shape[out.shape.length - 1] as number;
      values = new Float32Array(count * outputs);
    }
    out.dispose();
    values.set(data, start * outputs);
    await yieldToEventLoop();
  }
  return { values: values ?? new Float32Array(0), outputs };
}

/** Index of the largest value of each row of a row-major `[count, width]` matrix. */
export function argmaxRows(values: ArrayLike<number>, count: number, width: number): Uint8Array {
  const result = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let c = 0; c < width; c++) {
      const v = values[r * width + c];
      if (Number.isNaN(v)) throw new CliNumericError(`argmaxRows: NaN at row ${r}, column ${c}`);
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    result[r] = best;
  }
  return result;
}

/** Share of rows whose argmax equals the label. */
export function accuracyOf(values: ArrayLike<number>, labels: Uint8Array, width: number): number {
  if (labels.length === 0) throw new CliNumericError('accuracyOf: empty split');
  const predicted = argmaxRows(values, labels.length, width);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** max |a − b| over two equally long arrays (NaN anywhere is an error, not a silent NaN). */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`maxAbsDifference: lengths differ (${a.length} vs ${b.length})`);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) throw new CliNumericError(`maxAbsDifference: NaN at index ${i} (${a[i]} vs ${b[i]})`);
    if (d > max) max = d;
  }
  return max;
}
