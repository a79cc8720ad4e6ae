/**
 * `LoraDense` (baseline): y = x·W0 + b + (α/r)·(x·A)·B with A `[inputDim, r]` (seeded
 * uniform ±1/√inputDim, as PEFT's Kaiming-uniform init) and B `[r, units]` = 0, so ΔW = 0 at start.
 * Weights: `kernel`, `bias` (frozen), `lora_a`, `lora_b` (trainable).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRandom, layerInitSeed } from '@ssh-peft/selection';
import { SshOptionError, SshStateError } from '../errors';
import { AdaptedDense, type AdaptedDenseArgs } from '../layers/adapted-dense';

/** Constructor arguments (and serialised config) of {@link LoraDense}. */
export interface LoraDenseArgs extends AdaptedDenseArgs {
  /** Rank r. */
  rank: number;
  /** Scale α (ΔW = α/r · A·B). */
  alpha: number;
  /** Seed of A's initialisation (combined with the layer name). */
  seed?: number;
}

/**
 * LoRA-adapted Dense layer.
 * @example
 * ```ts
 * const layer = new LoraDense({ name: 'proj', units: 8, inputDim: 4, rank: 2, alpha: 4 });
 * ```
 */
export class LoraDense extends AdaptedDense {
  static readonly className = 'LoraDense';
  readonly rank: number;
  readonly alpha: number;
  readonly seed: number;
  private aVar: tfl.LayerVariable | null = null;
  private bVar: tfl.LayerVariable | null = null;

  constructor(args: LoraDenseArgs) {
    super(args);
    if (!Number.isInteger(args.rank) || args.rank < 1) throw new SshOptionError(`${this.describe()}: rank must be a positive integer, got ${String(args.rank)}`);
    if (!Number.isFinite(args.alpha)) throw new SshOptionError(`${this.describe()}: alpha must be finite, got ${String(args.alpha)}`);
    this.rank = args.rank;
    this.alpha = args.alpha;
    this.seed = args.seed ?? 0;
  }

  protected override buildAdapter(): void {
    const random = createRandom(layerInitSeed(this.seed, this.name));
    const bound = 1 / Math.sqrt(this.inputDim);
    const a = new Float32Array(this.inputDim * this.rank);
    for (let i = 0; i < a.length; i++) a[i] = (2 * random.nextDouble() - 1) * bound;
    this.aVar = this.addWeight('lora_a', [this.inputDim, this.rank], 'float32', tfl.initializers.zeros(), undefined, true);
    this.bVar = this.addWeight('lora_b', [this.rank, this.units], 'float32', tfl.initializers.zeros(), undefined, true);
    tf.tidy(() => {
      this.a.write(tf.tensor2d(a, [this.inputDim, this.rank]));
    });
  }

  private get a(): tfl.LayerVariable {
    if (this.aVar === null) throw new SshStateError(`${this.describe()}: not built`);
    return this.aVar;
  }

  private get b(): tfl.LayerVariable {
    if (this.bVar === null) throw new SshStateError(`${this.describe()}: not built`);
    return this.bVar;
  }

  protected override adaptedForward(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
    const x2d = tf.reshape(x, [-1, this.inputDim]) as tf.Tensor2D;
    const low = tf.matMul(tf.matMul(x2d, this.a.read() as tf.Tensor2D), this.b.read() as tf.Tensor2D);
    let y = tf.add(tf.matMul(x2d, kernel as tf.Tensor2D), tf.mul(low, this.alpha / this.rank));
    if (bias !== null) y = tf.add(y, bias);
    return tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  override deltaWeight(): tf.Tensor2D {
    return tf.tidy(() => tf.mul(tf.matMul(this.a.read() as tf.Tensor2D, this.b.read() as tf.Tensor2D), this.alpha / this.rank));
  }

  override get adapterParameterCount(): number {
    return this.rank * (this.inputDim + this.units);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rank: this.rank, alpha: this.alpha, seed: this.seed };
  }
}
tf.serialization.registerClass(LoraDense);
