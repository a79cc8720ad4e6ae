/**
 * Runs this package's cpu kernels (the DHT over the last axis, the sparse spectral mix) on
 * tfjs's WebAssembly backend. Those kernels touch only the two members of
 * {@link HostBackendView}, which {@link cpuViewOfWasm} provides over the wasm heap. With
 * them registered, SSH trains on wasm, where every other op of a model is several times
 * faster than on the pure-JS cpu backend. This module never imports
 * `@tensorflow/tfjs-backend-wasm`: kernels are registered by backend name.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerSshKernels } from '../register';
import { cpuViewOfWasm, type WasmBackendLike } from './host-view';
import { registerLinearSegmentSum } from './segment-sum';

/** Kernel names of this package (all registered under this prefix). */
const SSH_KERNEL_PREFIX = 'Ssh';

/**
 * Registers every SSH cpu kernel for the `wasm` backend too, plus the `UnsortedSegmentSum`
 * that tfjs-backend-wasm 4.22 lacks (the gradient of `gather`, and what the sparse mix
 * composes from when no kernel of its own exists). Idempotent.
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
  const names: string[] = [];
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    if (!kernel.kernelName.startsWith(SSH_KERNEL_PREFIX)) continue;
    names.push(kernel.kernelName);
    if (tf.getKernel(kernel.kernelName, 'wasm') !== undefined) continue;
    const cpuKernel = kernel.kernelFunc;
    tf.registerKernel({
      kernelName: kernel.kernelName,
      backendName: 'wasm',
      kernelFunc: (args) => cpuKernel({ ...args, backend: cpuViewOfWasm(args.backend as unknown as WasmBackendLike) as unknown as tf.KernelBackend }),
    });
  }
  return names;
}
