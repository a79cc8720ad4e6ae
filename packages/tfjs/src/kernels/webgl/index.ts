/**
 * This package's kernels for tfjs's `webgl` backend: the DHT op and the sparse mix.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dhtWebGLKernelConfig } from './dht-webgl';
import { sparseMixWebGLKernelConfigs } from './sparse-mix-webgl';

export { dhtWebGLKernelConfig, clearWebGLDhtTables, WEBGL_DIRECT_MAX_LENGTH, WEBGL_RADICES } from './dht-webgl';
export { sparseMixWebGLKernelConfigs, clearWebGLSparseMixTables } from './sparse-mix-webgl';

/** Kernel registration records of every SSH kernel for the `webgl` backend. */
export const webglKernelConfigs: readonly tf.KernelConfig[] = [dhtWebGLKernelConfig, ...sparseMixWebGLKernelConfigs];

/**
 * Registers this package's kernels (`SshDhtLastAxis`, `SshSparseMix`,
 * `SshSparseMixCoefGrad`) for the `webgl` backend with tfjs's kernel registry.
 * Idempotent. It does not import `@tensorflow/tfjs-backend-webgl`: the application
 * imports the backend, this only adds kernels to it (the ops report a missing DHT kernel
 * with a clear error).
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
  for (const config of webglKernelConfigs) {
    if (tf.getKernel(config.kernelName, 'webgl') === undefined) tf.registerKernel(config);
  }
}
