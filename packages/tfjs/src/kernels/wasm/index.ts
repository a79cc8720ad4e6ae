/**
 * This package's kernels for tfjs's `wasm` backend: the host kernels run on a view of the
 * wasm heap ({@link cpuViewOfWasm}: inputs read in place, outputs copied in once).
 */
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { DHT_KERNEL_NAME, SPARSE_MIX_COEF_GRAD_KERNEL_NAME, SPARSE_MIX_KERNEL_NAME } from '../../kernel-names';
import { dhtHost } from '../host/dht-host';
import { cpuViewOfWasm, type WasmBackendLike } from '../host/host-view';
import { sparseMixCoefGradHost, sparseMixHost } from '../host/sparse-mix-host';

function onWasmHeap(hostKernel: KernelFunc): KernelFunc {
  return (args) => hostKernel({ ...args, backend: cpuViewOfWasm(args.backend as unknown as WasmBackendLike) as never });
}

/** Kernel registration records for the `wasm` backend. */
export const wasmKernelConfigs: readonly KernelConfig[] = [
  { kernelName: DHT_KERNEL_NAME, backendName: 'wasm', kernelFunc: onWasmHeap(dhtHost) },
  { kernelName: SPARSE_MIX_KERNEL_NAME, backendName: 'wasm', kernelFunc: onWasmHeap(sparseMixHost) },
  { kernelName: SPARSE_MIX_COEF_GRAD_KERNEL_NAME, backendName: 'wasm', kernelFunc: onWasmHeap(sparseMixCoefGradHost) },
];
