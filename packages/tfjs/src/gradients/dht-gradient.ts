/**
 * Gradient of {@link DHT_KERNEL_NAME}: the cas matrix is symmetric, so the
 * vector-Jacobian product is the same transform (same scale) of `dy`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DHT_KERNEL_NAME, type DhtLastAxisAttrs } from '../kernel-names';

export const dhtLastAxisGradConfig: tf.GradConfig = {
  kernelName: DHT_KERNEL_NAME,
  gradFunc: (dy, _saved, attrs) => {
    const { scale } = attrs as unknown as DhtLastAxisAttrs;
    const attrsOut: DhtLastAxisAttrs = { scale };
    return {
      x: () => tf.engine().runKernel(DHT_KERNEL_NAME, { x: dy as tf.Tensor }, attrsOut as unknown as tf.NamedAttrMap) as tf.Tensor,
    };
  },
};
