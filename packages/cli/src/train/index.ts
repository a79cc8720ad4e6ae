/**
 * `@ssh-peft/cli/train` — the demo's deterministic training pieces, without the command line:
 * the loss, seeded mini-batches and the Adam loop over an explicit variable list.
 *
 * @example
 * ```ts
 * import { crossEntropyOfProbabilities } from '@ssh-peft/cli/train';
 * const loss = crossEntropyOfProbabilities(oneHotLabels, model.apply(x) as tf.Tensor);
 * ```
 */
export { crossEntropyOfProbabilities, trainSteps, type TrainStepsOptions } from './train-loop';
export { seededBatches } from './batches';
