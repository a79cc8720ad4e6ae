/**
 * A backend with tfjs's stock kernels and none of this package's — what tfjs-node's
 * 'tensorflow' or a third-party backend looks like to @ssh-peft/tfjs. It is a fresh
 * MathBackendCPU registered under another name, with every kernel config of the cpu
 * backend copied except the `Ssh*` ones. Shared by the tests and the cpu bench.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

/**
 * Registers backend `name` (idempotent) with the cpu backend's stock kernels as
 * registered now. Returns the names of the copied kernels.
 */
export function registerStockOnlyBackend(name: string): string[] {
  if (tf.findBackendFactory(name) === null || tf.findBackendFactory(name) === undefined) {
    tf.registerBackend(name, () => new MathBackendCPU());
  }
  const copied: string[] = [];
  for (const config of tf.getKernelsForBackend('cpu')) {
    if (config.kernelName.startsWith('Ssh')) continue;
    if (tf.getKernel(config.kernelName, name) === undefined) tf.registerKernel({ ...config, backendName: name });
    copied.push(config.kernelName);
  }
  return copied;
}
