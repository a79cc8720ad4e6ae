/**
 * SSH on the page's base model: global selection over the attention and MLP kernels, the
 * coefficients trained with Adam on inverted digits, everything else frozen.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { decodeAdapter, encodeAdapter, type SshAdapter } from '@ssh-peft/adapter';
import { applySSH, type SshHandle } from '@ssh-peft/tfjs';
import { DIGIT_PIXELS, type DigitSet } from '../data/digit-pack';
import { SeededBatches } from './batches';
import { DEMO_SETTINGS } from './settings';

/** Seed stream of the batches (distinct from the selection's seed). */
const BATCH_STREAM = 0x2545f491;

/** One adapted layer as the energy map needs it. */
export interface AdaptedLayerView {
  name: string;
  rows: number;
  cols: number;
  /** W0, row-major `[rows, cols]`. */
  weights: Float32Array;
  /** Chosen flat spectral positions `u·cols + v`. */
  indices: Uint32Array;
}

function parameterCount(weights: readonly tfl.LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

/** The adapted model, its optimiser and the training data as tensors. */
export class SshSession {
  readonly handle: SshHandle;
  /** What LoRA with rank 1 would train on the same layers: Σ (rows + cols). */
  readonly loraRank1Params: number;
  readonly layers: AdaptedLayerView[];
  stepsDone = 0;

  private readonly inputs: tf.Tensor2D;
  private readonly oneHot: tf.Tensor2D;
  private readonly batches: SeededBatches;
  private optimizer: tf.Optimizer;

  private constructor(handle: SshHandle, train: DigitSet) {
    this.handle = handle;
    const adapter = handle.exportAdapter();
    this.layers = adapter.layers.map((entry) => ({
      name: entry.name,
      rows: entry.rows,
      cols: entry.cols,
      weights: (handle.layers.get(entry.name) as NonNullable<ReturnType<SshHandle['layers']['get']>>).baseKernelValues(),
      indices: entry.indices,
    }));
    this.loraRank1Params = this.layers.reduce((sum, l) => sum + l.rows + l.cols, 0);
    this.inputs = tf.tensor2d(train.images, [train.count, DIGIT_PIXELS]);
    this.oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(train.labels, 'int32'), 10), 'float32') as tf.Tensor2D);
    this.batches = new SeededBatches(train.count, DEMO_SETTINGS.batchSize, DEMO_SETTINGS.seed ^ BATCH_STREAM);
    this.optimizer = tf.train.adam(DEMO_SETTINGS.learningRate);
  }

  /**
   * Wraps the targets of `base` with SSH layers (coefficients start at zero: the adapted
   * model starts exactly at the base model) and prepares training on `train`.
   *
   * @example
   * ```ts
   * const session = await SshSession.create(base, invertDigits(adaptSet));
   * await session.step();
   * ```
   */
  static async create(base: tfl.LayersModel, train: DigitSet): Promise<SshSession> {
    const handle = await applySSH(base, {
      targets: new RegExp(DEMO_SETTINGS.targets),
      strategy: 'global',
      budget: DEMO_SETTINGS.budget,
      energyRatio: DEMO_SETTINGS.energyRatio,
      alpha: DEMO_SETTINGS.alpha,
      seed: DEMO_SETTINGS.seed,
      init: 'zeros',
      // The loss is read back and checked every step; a per-layer read-back would stall the GPU.
      checkFinite: false,
      metadata: { task: 'invert', source: 'ssh-peft web demo' },
    });
    return new SshSession(handle, train);
  }

  /** Coefficients trained (equals the adapter's coefficient count). */
  get trainableParams(): number {
    return parameterCount(this.handle.model.trainableWeights);
  }

  /**
   * Runs everything training and evaluation will run — the adapted forward pass on a batch of
   * `evaluationBatch` images and the coefficients' gradient on a training batch — without
   * changing anything, so that a backend that cannot run SSH is found before the page uses it.
   */
  async check(images: DigitSet, evaluationBatch = 250): Promise<void> {
    const rows = Math.min(evaluationBatch, images.count);
    const outputs = tf.tidy(() => this.handle.model.predict(tf.tensor2d(images.images.subarray(0, rows * DIGIT_PIXELS), [rows, DIGIT_PIXELS])) as tf.Tensor);
    const predicted = await outputs.data();
    outputs.dispose();
    if (!predicted.every(Number.isFinite)) throw new Error('the adapted model predicted a non-finite value');
    const variables = this.handle.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const size = Math.min(DEMO_SETTINGS.batchSize, images.count);
    const { value, grads } = tf.variableGrads(() => {
      const x = tf.tensor2d(images.images.subarray(0, size * DIGIT_PIXELS), [size, DIGIT_PIXELS]);
      return tf.mean(this.handle.model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
    }, variables);
    const gradients = Object.values(grads);
    const sums = await Promise.all(gradients.map((g) => tf.sum(g).data()));
    value.dispose();
    tf.dispose(gradients);
    if (!sums.every((s) => Number.isFinite(s[0]))) throw new Error('a coefficient gradient is not finite');
  }

  /** One Adam step on the next batch; returns its loss. */
  async step(): Promise<number> {
    if (this.handle.merged) throw new Error('the adapter is merged into the weights: unmerge before training');
    const variables = this.handle.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const batch = this.batches.next();
    const loss = tf.tidy(() => {
      const index = tf.tensor1d(batch, 'int32');
      const x = tf.gather(this.inputs, index);
      const y = tf.gather(this.oneHot, index);
      return this.optimizer.minimize(() => {
        const p = this.handle.model.apply(x, { training: true }) as tf.Tensor;
        return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, 1e-7, 1))), -1))) as tf.Scalar;
      }, true, variables) as tf.Scalar;
    });
    const value = (await loss.data())[0];
    loss.dispose();
    if (!Number.isFinite(value)) throw new Error(`the loss became ${value} at step ${this.stepsDone + 1}`);
    this.stepsDone++;
    return value;
  }

  /** The adapter as trained so far, in the `.safetensors` format the CLI reads. */
  adapterBytes(): Uint8Array {
    return encodeAdapter(this.handle.exportAdapter());
  }

  /**
   * Replaces the coefficients (and positions) by those of an adapter file. The file is
   * decoded and checked against this model's base weights before anything changes; the
   * optimiser restarts because the positions may differ.
   *
   * @throws the codec's or the handle's error, naming what is wrong (nothing is changed then).
   */
  loadAdapterFile(bytes: Uint8Array): SshAdapter {
    const adapter = decodeAdapter(bytes);
    if (this.handle.merged) this.handle.unmerge();
    this.handle.attachAdapter(adapter, this.handle.activeAdapter);
    const views = new Map(adapter.layers.map((l) => [l.name, l.indices]));
    for (const layer of this.layers) layer.indices = views.get(layer.name) ?? new Uint32Array(0);
    this.optimizer.dispose();
    this.optimizer = tf.train.adam(DEMO_SETTINGS.learningRate);
    return adapter;
  }

  dispose(): void {
    this.optimizer.dispose();
    this.inputs.dispose();
    this.oneHot.dispose();
  }
}
