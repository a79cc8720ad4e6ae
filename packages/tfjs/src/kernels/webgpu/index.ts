/**
 * The DHT op's kernel for tfjs's `webgpu` backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dhtWebGPUKernelConfig } from './dht-webgpu';

export { dhtWebGPUKernelConfig, clearWebGPUDhtTables, WEBGPU_DIRECT_MAX_LENGTH, WEBGPU_RADICES } from './dht-webgpu';

/**
 * Registers the `SshDhtLastAxis` kernel for the `webgpu` backend with tfjs's kernel
 * registry. Idempotent. It does not import `@tensorflow/tfjs-backend-webgpu`: the
 * application imports the backend, this only adds a kernel to it.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-webgpu';
 * import { dhtLastAxis } from '@ssh-peft/tfjs';
 * import { registerWebGPUDhtKernel } from '@ssh-peft/tfjs/gpu';
 * registerWebGPUDhtKernel();
 * await tf.setBackend('webgpu');
 * const h = dhtLastAxis(tf.tensor2d([[1, 2, 3, 4]]));   // [[10, -4, -2, 0]]
 * ```
 */
export function registerWebGPUDhtKernel(): void {
  if (tf.getKernel(dhtWebGPUKernelConfig.kernelName, 'webgpu') === undefined) tf.registerKernel(dhtWebGPUKernelConfig);
}
