/**
 * `SshSelfAttention`: multi-head scaled dot-product attention over already projected
 * queries, keys and values. No weights (projections are ordinary Dense layers, so SSH
 * can adapt them). Inputs `[q, k, v]`, each `[batch, T, D]`; output `[batch, T, D]` =
 * concat over heads h of softmax(q_h·k_hᵀ / √(D/h)) · v_h.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SshOptionError, SshShapeError } from '../errors';

/** Constructor arguments of {@link SshSelfAttention}. */
export interface SshSelfAttentionArgs {
  name?: string;
  /** Number of heads; must divide the model width D. */
  numHeads: number;
}

/**
 * Multi-head attention core (no projections, no mask).
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [16, 32] });
 * const [q, k, v] = ['q', 'k', 'v'].map((n) => tf.layers.dense({ units: 32, name: n }).apply(x) as tf.SymbolicTensor);
 * const y = new SshSelfAttention({ numHeads: 4, name: 'attn' }).apply([q, k, v]);
 * ```
 */
export class SshSelfAttention extends tfl.layers.Layer {
  static readonly className = 'SshSelfAttention';
  readonly numHeads: number;

  constructor(args: SshSelfAttentionArgs) {
    super({ name: args.name });
    if (!Number.isInteger(args.numHeads) || args.numHeads < 1) {
      throw new SshOptionError(`SshSelfAttention: numHeads must be a positive integer, got ${String(args.numHeads)}`);
    }
    this.numHeads = args.numHeads;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shapes = inputShape as tfl.Shape[];
    if (!Array.isArray(shapes[0]) || shapes.length !== 3) {
      throw new SshShapeError(`SshSelfAttention '${this.name}': expects three inputs [q, k, v], got ${JSON.stringify(inputShape)}`);
    }
    const d = shapes[0][2];
    for (const [i, s] of shapes.entries()) {
      if (s.length !== 3 || s[2] !== d || s[1] !== shapes[0][1]) {
        throw new SshShapeError(
          `SshSelfAttention '${this.name}': input ${['q', 'k', 'v'][i]} has shape [${s.map(String)}], expected [batch, ${String(shapes[0][1])}, ${String(d)}]`,
        );
      }
    }
    if (d == null || d % this.numHeads !== 0) {
      throw new SshShapeError(`SshSelfAttention '${this.name}': width ${String(d)} is not divisible by numHeads ${this.numHeads}`);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return (inputShape as tfl.Shape[])[0];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [q, k, v] = inputs as tf.Tensor[];
      const [, t, d] = q.shape;
      const h = this.numHeads;
      const dh = d / h;
      // [B, T, D] → [B, h, T, dh]
      const split = (x: tf.Tensor) => tf.transpose(tf.reshape(x, [-1, t, h, dh]), [0, 2, 1, 3]);
      const scores = tf.mul(tf.matMul(split(q), split(k), false, true), 1 / Math.sqrt(dh));
      const context = tf.matMul(tf.softmax(scores), split(v));
      return tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [-1, t, d]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numHeads: this.numHeads };
  }
}
tf.serialization.registerClass(SshSelfAttention);
