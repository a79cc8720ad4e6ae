/**
 * This package's kernels for tfjs's `cpu` backend: the host kernels, which read and write
 * the backend's Float32Arrays directly.
 */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { DHT_KERNEL_NAME, SPARSE_MIX_COEF_GRAD_KERNEL_NAME, SPARSE_MIX_KERNEL_NAME } from '../../kernel-names';
import { dhtHost } from '../host/dht-host';
import { sparseMixCoefGradHost, sparseMixHost } from '../host/sparse-mix-host';

/** Kernel registration records for the `cpu` backend. */
export const cpuKernelConfigs: readonly KernelConfig[] = [
  { kernelName: DHT_KERNEL_NAME, backendName: 'cpu', kernelFunc: dhtHost },
  { kernelName: SPARSE_MIX_KERNEL_NAME, backendName: 'cpu', kernelFunc: sparseMixHost },
  { kernelName: SPARSE_MIX_COEF_GRAD_KERNEL_NAME, backendName: 'cpu', kernelFunc: sparseMixCoefGradHost },
];
