/**
 * The Dense activations the adapted layers reproduce, by their serialised name.
 * tfjs-layers does not export its activation registry, so wrapped layers map the
 * names of the wrapped Dense layer's config to the same tfjs-core ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SshOptionError } from '../errors';

const ACTIVATIONS: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.relu6(x),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  sigmoid: (x) => tf.sigmoid(x),
  hardSigmoid: (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1),
  tanh: (x) => tf.tanh(x),
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.div(x, tf.add(tf.abs(x), 1)),
  softmax: (x) => tf.softmax(x),
  swish: (x) => tf.mul(x, tf.sigmoid(x)),
  mish: (x) => tf.mul(x, tf.tanh(tf.softplus(x))),
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))),
  gelu_new: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))))))),
};

/** Names accepted by {@link resolveActivation}. */
export const SUPPORTED_ACTIVATIONS = Object.keys(ACTIVATIONS);

/**
 * The function for an activation name as tfjs-layers serialises it (`'relu'`, `'linear'`, …).
 * @throws {SshOptionError} for a name not in {@link SUPPORTED_ACTIVATIONS}.
 */
export function resolveActivation(name: string | undefined | null, where: string): (x: tf.Tensor) => tf.Tensor {
  const fn = ACTIVATIONS[name ?? 'linear'];
  if (fn === undefined) {
    throw new SshOptionError(`${where}: activation '${String(name)}' is not supported; supported: ${SUPPORTED_ACTIVATIONS.join(', ')}`);
  }
  return fn;
}
