/**
 * The two members of a tfjs backend that this package's host (CPU-memory) kernels use:
 * read an input's values, and wrap output values as a tensor. The cpu backend has them
 * as they are; {@link cpuViewOfWasm} provides them over the wasm backend's heap, so the
 * same kernel functions serve both backends.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Read input values, make an output: all a host kernel needs from its backend. */
export interface HostBackendView {
  data: { get(dataId: object): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.TypedArray): tf.TensorInfo;
}

/** The members of tfjs-backend-wasm's BackendWasm the view uses. */
export interface WasmBackendLike {
  dataIdMap: { get(dataId: object): { shape: number[]; dtype: tf.DataType } | undefined };
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.TypedArray): tf.TensorInfo;
}

/**
 * A {@link HostBackendView} over a wasm backend: inputs are read in place from wasm memory
 * (no copy), outputs are copied in once.
 *
 * @example
 * ```ts
 * const view = cpuViewOfWasm(tf.backend() as unknown as WasmBackendLike);
 * const values = view.data.get(x.dataId).values;
 * ```
 */
export function cpuViewOfWasm(wasm: WasmBackendLike): HostBackendView {
  return {
    data: {
      get(dataId: object): { values: tf.TypedArray } {
        const entry = wasm.dataIdMap.get(dataId);
        if (entry === undefined) throw new Error('wasm kernel bridge: tensor data not found on the wasm backend (disposed?)');
        // A view, valid until the next allocation; host kernels read all inputs before allocating.
        return { values: wasm.typedArrayFromHeap({ dataId, shape: entry.shape, dtype: entry.dtype }) };
      },
    },
    makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.TypedArray): tf.TensorInfo {
      return wasm.makeOutput(shape, dtype, undefined, values);
    },
  };
}

/** The host view of `backend`, which is registered under `backendName` (`cpu` or `wasm`). */
export function hostViewOf(backendName: 'cpu' | 'wasm', backend: unknown): HostBackendView {
  return backendName === 'wasm' ? cpuViewOfWasm(backend as WasmBackendLike) : (backend as HostBackendView);
}

const replacedKernels = new Map<string, tf.KernelFunc | null>();

/**
 * Makes `make(stock)` the `kernelName` kernel of `backendName`, once (idempotent), where
 * `stock` is the kernel it replaces (`undefined` when the backend had none).
 *
 * @returns the replaced kernel function, also on later calls.
 *
 * @example
 * ```ts
 * replaceKernelOnce(tf.Tile, 'wasm', (stock) => myTile(stock));
 * ```
 */
export function replaceKernelOnce(kernelName: string, backendName: string, make: (stock: tf.KernelFunc | undefined) => tf.KernelFunc): tf.KernelFunc | undefined {
  const key = `${kernelName}/${backendName}`;
  if (replacedKernels.has(key)) return replacedKernels.get(key) ?? undefined;
  const stock = tf.getKernel(kernelName, backendName)?.kernelFunc;
  if (stock !== undefined) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc: make(stock) });
  replacedKernels.set(key, stock ?? null);
  return stock;
}
