/**
 * Shifted target tasks: the same digits, seen differently. The base model is trained on
 * upright digits; the target task changes the input distribution so that the body's
 * features (not just the class head) must change.
 */
import { MNIST_PIXELS, MNIST_SIDE, type DigitImages } from './mnist';

/** Names of the target tasks the demo offers. */
export const TARGET_TASKS = ['invert', 'rotate90', 'mirror'] as const;
export type TargetTask = (typeof TARGET_TASKS)[number];

/** One line on what each task does (report and `--help`). */
export const TARGET_TASK_DESCRIPTIONS: Record<TargetTask, string> = {
  invert: 'inverted grey levels (white digits become black on white, x → 1 − x)',
  rotate90: 'digits rotated by 90° clockwise',
  mirror: 'digits mirrored left to right',
};

/** Applies `task` to one 28×28 image `src` into `dst` (both length 784, not aliased). */
export function transformImage(task: TargetTask, src: Float32Array, dst: Float32Array): void {
  const n = MNIST_SIDE;
  switch (task) {
    case 'invert':
      for (let i = 0; i < MNIST_PIXELS; i++) dst[i] = 1 - src[i];
      return;
    case 'rotate90':
      // Clockwise: the pixel at (row r, column c) moves to (row c, column n−1−r).
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) dst[c * n + (n - 1 - r)] = src[r * n + c];
      return;
    case 'mirror':
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) dst[r * n + (n - 1 - c)] = src[r * n + c];
      return;
  }
}

/**
 * A new set with every image transformed by `task`; labels unchanged.
 *
 * @example
 * ```ts
 * const target = applyTargetTask('invert', digits);
 * ```
 */
export function applyTargetTask(task: TargetTask, set: DigitImages): DigitImages {
  const images = new Float32Array(set.images.length);
  for (let i = 0; i < set.count; i++) {
    transformImage(task, set.images.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS), images.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS));
  }
  return { count: set.count, images, labels: set.labels.slice() };
}
