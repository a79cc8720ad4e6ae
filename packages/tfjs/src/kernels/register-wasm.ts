/**
 * Runs this package's host kernels (the DHT over the last axis, the sparse spectral mix)
 * on tfjs's WebAssembly backend (kernels/wasm/). With them registered, SSH trains on wasm,
 * where every other op of a model is several times faster than on the pure-JS cpu
 * backend. This module never imports `@tensorflow/tfjs-backend-wasm`: kernels are
 * registered by backend name.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerSshKernels } from './register';
import { registerLinearSegmentSum } from './host/segment-sum';
import { wasmKernelConfigs } from './wasm/index';

/**
 * Registers every SSH kernel for the `wasm` backend too, plus the `UnsortedSegmentSum`
 * that tfjs-backend-wasm 4.22 lacks (the gradient of `gather`, which an Embedding layer
 * needs to train). Idempotent.
 *
 * @returns the SSH kernel names now available on wasm.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * await tf.setBackend('wasm');
 * registerSshKernelsOnWasm();   // applySSH models now train on wasm
 * ```
 */
export function registerSshKernelsOnWasm(): string[] {
  registerSshKernels();
  registerLinearSegmentSum('wasm');
  for (const config of wasmKernelConfigs) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  }
  return wasmKernelConfigs.map((config) => config.kernelName);
}
