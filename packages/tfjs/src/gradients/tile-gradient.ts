/**
 * A one-pass gradient for tfjs's `Tile`.
 *
 * Why: tfjs-core 4.22 computes Tile's gradient as one `slice` + `add` per repetition — a
 * loop of r₀·r₁·… kernel launches. tfjs-layers' LayerNormalization tiles its mean,
 * variance, γ and β to the input's full shape on every call, so each LayerNormalization
 * in a transformer costs batch × tokens slices and adds in the backward pass: ~70 % of a
 * training step of the tiny models here. Summing dy, reshaped so that every repetition
 * gets an axis of its own, is the same gradient in one reduction.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * ∂L/∂x of `y = tf.tile(x, reps)` given `dy = ∂L/∂y`: dy viewed as
 * [r₀, a₀, r₁, a₁, …] (tile repeats the whole block along each axis), summed over the r axes.
 * Axes of size 1 are dropped first, so the reduction never exceeds x's rank + 1 axes of
 * real extent on backends with rank limits.
 *
 * @example
 * ```ts
 * const dx = tileGradient(tf.ones([4, 6]), [2, 3], [2, 2]); // every entry 4
 * ```
 */
export function tileGradient(dy: tf.Tensor, xShape: readonly number[], reps: readonly number[]): tf.Tensor {
  if (reps.length !== xShape.length) throw new RangeError(`tileGradient: reps [${reps.join(', ')}] and x shape [${xShape.join(', ')}] differ in rank`);
  return tf.tidy(() => {
    const viewShape: number[] = [];
    const repAxes: number[] = [];
    xShape.forEach((size, i) => {
      if (reps[i] !== 1) {
        repAxes.push(viewShape.length);
        viewShape.push(reps[i]);
      }
      if (size !== 1) viewShape.push(size);
    });
    if (repAxes.length === 0) return tf.reshape(dy, xShape as number[]);
    return tf.reshape(tf.sum(tf.reshape(dy, viewShape), repAxes), xShape as number[]);
  });
}

/** tfjs gradient configuration of `Tile` through {@link tileGradient}. */
export const linearTileGradConfig: tf.GradConfig = {
  kernelName: tf.Tile,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { reps } = attrs as unknown as { reps: number[] };
    return { x: () => tileGradient(dy as tf.Tensor, x.shape, reps) };
  },
};

let registered = false;

/**
 * Registers {@link tileGradient} as tfjs's gradient of `Tile`, for every backend
 * (idempotent). Opt-in because it replaces a gradient that is not this package's; it
 * agrees with tfjs's own up to float32 summation order. Training a tfjs-layers model with
 * LayerNormalization gets several times faster.
 *
 * @example
 * ```ts
 * import { registerLinearTileGradient } from '@ssh-peft/tfjs';
 * registerLinearTileGradient();   // LayerNormalization backward: one reduction, not B·T slices
 * ```
 */
export function registerLinearTileGradient(): void {
  if (registered) return;
  tf.registerGradient(linearTileGradConfig);
  registered = true;
}
