/**
 * @packageDocumentation
 * `@ssh-peft/tfjs` — SSH (Sparse Spectrum Adaptation via the Discrete Hartley
 * Transform) for TensorFlow.js: the DHT op and its kernels, the `sshLinear` op,
 * `applySSH` for LayersModels, LoRA/FourierFT baselines and small transformer models.
 *
 * GPU kernels: this entry registers only the `cpu` kernel, so Node never loads
 * tfjs-backend-webgl/webgpu. The separate entry `@ssh-peft/tfjs/gpu` (src/gpu.ts)
 * imports `registerWebGLDhtKernel` from
 * src/kernels/webgl/index.ts and `registerWebGPUDhtKernel` from
 * src/kernels/webgpu/index.ts and hands them to `addBackendKernelRegistrar('webgl' |
 * 'webgpu', fn)`; `registerSshKernels()` (called by every op here) then registers
 * them as soon as the corresponding backend is registered with tfjs. Kernel names,
 * inputs and attributes: src/kernel-names.ts; on a backend without the sparse-mix kernels
 * `sparseMix` composes tfjs ops.
 */
export * from './errors';
export { DHT_KERNEL_NAME, dhtLastAxis, type DhtLastAxisAttrs } from './ops/dht';
export { registerSshKernels, addBackendKernelRegistrar } from './kernels/register';
export { registerSshKernelsOnWasm } from './kernels/register-wasm';
export { registerLinearSegmentSum, segmentSumValues } from './kernels/host/segment-sum';
export { registerBlockTile, tileValues } from './kernels/host/tile';
export { registerLinearTileGradient, tileGradient, linearTileGradConfig } from './gradients/tile-gradient';
export { cpuViewOfWasm, type HostBackendView, type WasmBackendLike } from './kernels/host/host-view';
export * from './models/index';
export { compileSpectralTerms, validatePositions, type SpectralTerms } from './ops/spectral-terms';
export {
  sshLinear,
  sshDeltaWeight,
  chooseSshPath,
  estimateSshCosts,
  type SshPath,
  type SshLayerState,
  type SshLinearOptions,
} from './ops/ssh-linear';
export { SshDense, type SshDenseArgs } from './layers/ssh-dense';
export { AdaptedDense, type AdaptedDenseArgs, type AdaptedLayer } from './layers/adapted-dense';
export { SUPPORTED_ACTIVATIONS } from './layers/activations';
export { AdapterHandle, type ParameterSummary } from './handle';
export { SshHandle, type AttachAdapterOptions } from './ssh-handle';
export { applySSH, attachSSH, DEFAULT_SSH_ALPHA, DEFAULT_ENERGY_RATIO, type ApplySshOptions, type SshWrapOptions } from './apply-ssh';
export { type LayerSelector } from './surgery/targets';
export { useLazyLinearDenseGradients } from './surgery/lazy-linear-dense';
export * as baselines from './baselines/index';
export { sparseMix } from './ops/sparse-mix';
export {
  clearComposedRouteTables,
  COMPOSED_CAS_CACHE_BYTES,
  COMPOSED_CAS_CACHE_MAX_LENGTH,
  COMPOSED_DHT_MAX_LENGTH,
} from './ops/composed-route';
export { SPARSE_MIX_KERNEL_NAME, SPARSE_MIX_COEF_GRAD_KERNEL_NAME, type SparseMixAttrs } from './kernel-names';
