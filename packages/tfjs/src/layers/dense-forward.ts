/** x·W + b over the last axis of x for any rank ≥ 1 (what a tfjs Dense computes). */
import * as tf from '@tensorflow/tfjs-core';

/** x `[..., rows]`, kernel `[rows, cols]`, bias `[cols]` or null → `[..., cols]`. Runs inside the caller's tidy. */
export function denseForward(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  const [rows, cols] = kernel.shape;
  const x2d = tf.reshape(x, [-1, rows]) as tf.Tensor2D;
  let y = tf.matMul(x2d, kernel as tf.Tensor2D) as tf.Tensor;
  if (bias !== null) y = tf.add(y, bias);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), cols]);
}
