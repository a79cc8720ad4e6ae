/**
 * `SshPositionEmbedding`: a learned absolute position embedding added to a
 * `[batch, seqLen, dim]` sequence. One weight, `embeddings` `[seqLen, dim]`; y = x + embeddings.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SshShapeError } from '../errors';

/** Constructor arguments of {@link SshPositionEmbedding}. */
export interface SshPositionEmbeddingArgs {
  name?: string;
  /** Standard deviation of the normal initialiser (default 0.02, as in ViT/BERT). */
  stddev?: number;
  /** Seed of the initialiser (deterministic weights for a seed). */
  seed?: number;
  trainable?: boolean;
}

/**
 * Adds a trainable `[seqLen, dim]` embedding to every sequence of the batch; the
 * sizes come from the input shape at build time.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [16, 32] });
 * const y = new SshPositionEmbedding({ name: 'pos_embed', seed: 1 }).apply(x);
 * ```
 */
export class SshPositionEmbedding extends tfl.layers.Layer {
  static readonly className = 'SshPositionEmbedding';
  private readonly stddev: number;
  private readonly seed: number | undefined;
  private embeddings: tfl.LayerVariable | null = null;

  constructor(args: SshPositionEmbeddingArgs = {}) {
    super({ name: args.name, trainable: args.trainable ?? true });
    this.stddev = args.stddev ?? 0.02;
    this.seed = args.seed;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = inputShape as tfl.Shape;
    if (shape.length !== 3 || shape[1] == null || shape[2] == null) {
      throw new SshShapeError(
        `SshPositionEmbedding '${this.name}': input must be [batch, seqLen, dim] with known seqLen and dim, got [${shape.map(String)}]`,
      );
    }
    this.embeddings = this.addWeight(
      'embeddings',
      [shape[1], shape[2]],
      'float32',
      tfl.initializers.randomNormal({ mean: 0, stddev: this.stddev, seed: this.seed }),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.add(x, (this.embeddings as tfl.LayerVariable).read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { stddev: this.stddev };
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...super.getConfig(), ...config };
  }
}
tf.serialization.registerClass(SshPositionEmbedding);
