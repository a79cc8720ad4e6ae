/**
 * Seeded mini-batches: a fresh Fisher–Yates permutation of the training set each epoch,
 * batches cut from it in order (a last partial batch is dropped), drawn from the project's
 * seeded PRNG so every visitor's run sees the same batches.
 */
import { createRandom } from '@ssh-peft/selection';

/** An endless source of index batches over `count` examples. */
export class SeededBatches {
  private readonly random: ReturnType<typeof createRandom>;
  private order: Int32Array;
  private position = 0;
  private readonly perEpoch: number;

  constructor(
    private readonly count: number,
    private readonly batchSize: number,
    seed: number,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > count) throw new RangeError(`SeededBatches: batch size ${batchSize} is not in [1, ${count}]`);
    this.random = createRandom(seed);
    this.perEpoch = Math.floor(count / batchSize);
    this.order = this.permutation();
  }

  /** The next batch of example indices. */
  next(): Int32Array {
    if (this.position === this.perEpoch) {
      this.order = this.permutation();
      this.position = 0;
    }
    const start = this.position++ * this.batchSize;
    return this.order.slice(start, start + this.batchSize);
  }

  private permutation(): Int32Array {
    const order = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    for (let i = this.count - 1; i > 0; i--) {
      // Rejection sampling: an unbiased integer in [0, i].
      const bound = i + 1;
      const limit = 2 ** 32 - (2 ** 32 % bound);
      let value: number;
      do value = this.random.nextUint32() >>> 0;
      while (value >= limit);
      const j = value % bound;
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
