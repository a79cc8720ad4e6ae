/**
 * @packageDocumentation
 * `@ssh-peft/tfjs/gpu` — the WebGL and WebGPU kernels of the DHT op (`SshDhtLastAxis`:
 * an O(N log N) mixed-radix Hartley transform in shaders, one program per pass) and of
 * the sparse mix (`SshSparseMix`, `SshSparseMixCoefGrad`: gather-only, index tables
 * cached per position set), data kept on the GPU. Kept out of the main entry so that Node code never loads the GPU
 * backends; this entry imports neither backend itself either — the application does.
 */
import { addBackendKernelRegistrar, registerSshKernels } from './kernels/register';
import { registerWebGLDhtKernel } from './kernels/webgl/index';
import { registerWebGPUDhtKernel } from './kernels/webgpu/index';

export {
  registerWebGLDhtKernel,
  dhtWebGLKernelConfig,
  clearWebGLDhtTables,
  WEBGL_DIRECT_MAX_LENGTH,
  WEBGL_RADICES,
  clearWebGLSparseMixTables,
} from './kernels/webgl/index';
export {
  registerWebGPUDhtKernel,
  dhtWebGPUKernelConfig,
  clearWebGPUDhtTables,
  WEBGPU_DIRECT_MAX_LENGTH,
  WEBGPU_RADICES,
  clearWebGPUSparseMixTables,
} from './kernels/webgpu/index';

// Lets the main entry's registerSshKernels() pick the GPU kernels up as soon as a
// backend appears. This module is listed in package.json's `sideEffects`, so a bare
// `import '@ssh-peft/tfjs/gpu'` keeps it; registerGpuKernels() registers eagerly.
addBackendKernelRegistrar('webgl', registerWebGLDhtKernel);
addBackendKernelRegistrar('webgpu', registerWebGPUDhtKernel);

/**
 * Registers the SSH kernels for `webgl` and `webgpu` (whether or not those backends
 * are loaded yet — tfjs's kernel registry is keyed by backend name) plus the
 * gradients and the cpu kernels. Idempotent; call it once at start-up.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-webgl';
 * import { dhtLastAxis } from '@ssh-peft/tfjs';
 * import { registerGpuKernels } from '@ssh-peft/tfjs/gpu';
 * registerGpuKernels();
 * await tf.setBackend('webgl');
 * dhtLastAxis(tf.tensor2d([[1, 2, 3, 4]])).print();   // [[10, -4, -2, 0]]
 * ```
 */
export function registerGpuKernels(): void {
  registerWebGLDhtKernel();
  registerWebGPUDhtKernel();
  registerSshKernels();
}
