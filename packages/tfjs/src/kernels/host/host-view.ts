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
  /**
   * Optional: a new output tensor and a writable view of its memory, for backends whose
   * `makeTensorInfo` copies (wasm: the kernel then writes its result in place instead of
   * into a JavaScript array that is copied in afterwards). The values are NOT zero-filled,
   * and views of inputs taken before the call may be invalid after it (the wasm heap can grow).
   */
  allocateOutput?(shape: number[], dtype: 'float32'): { info: tf.TensorInfo; values: Float32Array };
}

/** A float32 output being written by a host kernel; {@link HostOutput.finish} hands it to the backend. */
export interface HostOutput {
  /** Where the kernel writes: every element must be written (not zero-filled on wasm). */
  readonly values: Float32Array;
  /** The output tensor, once `values` holds the result. */
  finish(): tf.TensorInfo;
}

/**
 * Allocates a kernel's float32 output on `view`: in place where the view can
 * ({@link HostBackendView.allocateOutput}), else a JavaScript array handed over by
 * `makeTensorInfo` in {@link HostOutput.finish}. Call it before reading the inputs: on wasm,
 * input views taken before an allocation may be detached by it.
 *
 * @example
 * ```ts
 * const out = hostOutput(view, [rows, cols]);
 * const x = view.data.get(xInfo.dataId).values;   // read inputs after allocating
 * out.values.set(x);
 * return out.finish();
 * ```
 */
export function hostOutput(view: HostBackendView, shape: number[]): HostOutput {
  if (view.allocateOutput !== undefined) {
    const { info, values } = view.allocateOutput(shape, 'float32');
    return { values, finish: () => info };
  }
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  return { values, finish: () => view.makeTensorInfo(shape, 'float32', values) };
}

/** The members of tfjs-backend-wasm's BackendWasm the view uses. */
export interface WasmBackendLike {
  dataIdMap: { get(dataId: object): { shape: number[]; dtype: tf.DataType } | undefined };
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.TypedArray): tf.TensorInfo;
}

/**
 * A {@link HostBackendView} over a wasm backend: inputs are read in place from wasm memory
 * (no copy); outputs are written in place ({@link hostOutput}) or copied in once.
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
    allocateOutput(shape: number[], dtype: 'float32'): { info: tf.TensorInfo; values: Float32Array } {
      // makeOutput without values only reserves heap memory; the view is taken after it.
      const info = wasm.makeOutput(shape, dtype);
      return { info, values: wasm.typedArrayFromHeap(info) as Float32Array };
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
