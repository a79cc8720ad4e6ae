/**
 * This package's kernels for tfjs's `webgpu` backend: the DHT op and the sparse mix.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dhtWebGPUKernelConfig } from './dht-webgpu';
import { sparseMixWebGPUKernelConfigs } from './sparse-mix-webgpu';

export { dhtWebGPUKernelConfig, clearWebGPUDhtTables, WEBGPU_DIRECT_MAX_LENGTH, WEBGPU_RADICES } from './dht-webgpu';
export { sparseMixWebGPUKernelConfigs, clearWebGPUSparseMixTables } from './sparse-mix-webgpu';

/** Kernel registration records of every SSH kernel for the `webgpu` backend. */
export const webgpuKernelConfigs: readonly tf.KernelConfig[] = [dhtWebGPUKernelConfig, ...sparseMixWebGPUKernelConfigs];

/**
 * Registers this package's kernels (`SshDhtLastAxis`, `SshSparseMix`,
 * `SshSparseMixCoefGrad`) for the `webgpu` backend with tfjs's kernel registry.
 * Idempotent. It does not import `@tensorflow/tfjs-backend-webgpu`: the application
 * imports the backend, this only adds kernels to it.
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
  for (const config of webgpuKernelConfigs) {
    if (tf.getKernel(config.kernelName, 'webgpu') === undefined) tf.registerKernel(config);
  }
}
