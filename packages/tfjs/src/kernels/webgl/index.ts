/**
 * The DHT op's kernel for tfjs's `webgl` backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dhtWebGLKernelConfig } from './dht-webgl';

export { dhtWebGLKernelConfig, clearWebGLDhtTables, WEBGL_DIRECT_MAX_LENGTH, WEBGL_RADICES } from './dht-webgl';

/**
 * Registers the `SshDhtLastAxis` kernel for the `webgl` backend with tfjs's kernel
 * registry. Idempotent. It does not import `@tensorflow/tfjs-backend-webgl`: the
 * application imports the backend, this only adds a kernel to it (the op itself
 * reports a missing kernel with a clear error).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-webgl';
 * import { dhtLastAxis } from '@ssh-peft/tfjs';
 * import { registerWebGLDhtKernel } from '@ssh-peft/tfjs/gpu';
 * registerWebGLDhtKernel();
 * await tf.setBackend('webgl');
 * const h = dhtLastAxis(tf.tensor2d([[1, 2, 3, 4]]));   // [[10, -4, -2, 0]]
 * ```
 */
export function registerWebGLDhtKernel(): void {
  if (tf.getKernel(dhtWebGLKernelConfig.kernelName, 'webgl') === undefined) tf.registerKernel(dhtWebGLKernelConfig);
}
