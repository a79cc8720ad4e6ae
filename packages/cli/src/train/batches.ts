import { permutation } from '@ssh-peft/selection';
import type { IntSource } from '../data/split';

/**
 * Index batches for `steps` optimisation steps over `count` examples: a fresh seeded
 * permutation each epoch, batches cut from it in order (the last partial batch of an epoch
 * is dropped so every step sees `batchSize` examples).
 */
export function* seededBatches(count: number, batchSize: number, steps: number, random: IntSource): Generator<Int32Array> {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > count) {
    throw new RangeError(`seededBatches: batchSize ${batchSize} must be an integer in [1, ${count}] (the training set size)`);
  }
  const perEpoch = Math.floor(count / batchSize);
  let order = permutation(count, random);
  let position = 0;
  for (let step = 0; step < steps; step++) {
    if (position === perEpoch) {
      order = permutation(count, random);
      position = 0;
    }
    yield Int32Array.from(order.subarray(position * batchSize, (position + 1) * batchSize));
    position++;
  }
}
