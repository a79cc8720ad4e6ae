/**
 * `@ssh-peft/cli/data` — the demo's data, without the command line: the MNIST digits shipped
 * by the `mnist` package, seeded disjoint splits and the shifted target tasks. The experiment
 * harness (tools/experiments) uses the same pieces, so both see the same images and splits.
 *
 * @example
 * ```ts
 * import { applyTargetTask, disjointSplit, loadMnistDigits, takeDigits } from '@ssh-peft/cli/data';
 * import { createRandom } from '@ssh-peft/selection';
 * const digits = loadMnistDigits();
 * const { adapt } = disjointSplit(digits.count, { adapt: 500 }, createRandom(7));
 * const mirrored = applyTargetTask('mirror', takeDigits(digits, adapt));
 * ```
 */
export { loadMnistDigits, takeDigits, mnistDigitsDirectory, MNIST_PIXELS, MNIST_SIDE, type DigitImages } from './mnist';
export { disjointSplit, type IntSource } from './split';
export { applyTargetTask, transformImage, TARGET_TASKS, TARGET_TASK_DESCRIPTIONS, type TargetTask } from './target-task';
export { MnistFormatError } from '../errors';
