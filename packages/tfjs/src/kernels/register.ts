/**
 * Registration of the SSH kernels and of their gradients with tfjs's registries.
 *
 * The cpu kernel is always available. GPU kernels live in a separate entry
 * (`@ssh-peft/tfjs/gpu`) so that the Node path never loads tfjs-backend-webgl/webgpu:
 * that entry calls {@link addBackendKernelRegistrar} for `webgl` and `webgpu`, and
 * {@link registerSshKernels} then registers them once those backends exist.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DHT_KERNEL_NAME } from '../kernel-names';
import { dhtLastAxisGradConfig } from '../gradients/dht-gradient';
import { sparseMixGradConfig } from '../gradients/sparse-mix-gradient';
import { cpuKernelConfigs } from './cpu/index';

const registrars = new Map<string, () => void>();
let gradientsRegistered = false;

/**
 * Makes a backend's kernel registration function known to {@link registerSshKernels}.
 * Called by the `@ssh-peft/tfjs/gpu` entry with `registerWebGLDhtKernel` /
 * `registerWebGPUDhtKernel`; the function runs only once that backend is registered.
 *
 * @example
 * ```ts
 * addBackendKernelRegistrar('webgl', registerWebGLDhtKernel);
 * registerSshKernels();
 * ```
 */
export function addBackendKernelRegistrar(backendName: string, register: () => void): void {
  registrars.set(backendName, register);
}

/**
 * Registers the gradients, the cpu kernels and every GPU kernel whose backend is
 * registered with tfjs. Idempotent: kernels already present are left alone. Ops of
 * this package call it themselves, so users only need it after registering a backend
 * late (e.g. importing `@tensorflow/tfjs-backend-webgl` after the first op ran).
 *
 * @example
 * ```ts
 * import { registerSshKernels } from '@ssh-peft/tfjs';
 * registerSshKernels();
 * ```
 */
export function registerSshKernels(): void {
  if (!gradientsRegistered) {
    for (const config of [dhtLastAxisGradConfig, sparseMixGradConfig]) {
      if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config);
    }
    gradientsRegistered = true;
  }
  for (const config of cpuKernelConfigs) {
    if (tf.getKernel(config.kernelName, 'cpu') === undefined) tf.registerKernel(config);
  }
  for (const [backendName, register] of registrars) {
    if (tf.findBackendFactory(backendName) != null && tf.getKernel(DHT_KERNEL_NAME, backendName) === undefined) {
      register();
    }
  }
}

let lastSeenBackend: string | undefined;

/** Cheap per-op guard: re-runs {@link registerSshKernels} when the active backend changed. */
export function ensureSshKernels(): void {
  const current = tf.getBackend();
  if (current !== lastSeenBackend || !gradientsRegistered) {
    registerSshKernels();
    lastSeenBackend = current;
  }
}
