/**
 * Runs @ssh-peft/tfjs's cpu kernels (the DHT over the last axis and friends) on the wasm
 * backend. Those kernels touch exactly two members of the cpu backend — `data.get(id).values`
 * and `makeTensorInfo(shape, dtype, values)` — so a thin view over the wasm backend's heap
 * provides them: inputs are read in place from wasm memory (no copy), outputs are copied in
 * once. With them registered, SSH trains on wasm, where every other op of the model is
 * several times faster than on the pure-JS cpu backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerSshKernels } from '@ssh-peft/tfjs';

/** The members of tfjs-backend-wasm's BackendWasm the bridge uses. */
interface WasmBackendLike {
  dataIdMap: { get(dataId: object): { shape: number[]; dtype: tf.DataType } | undefined };
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.TypedArray): tf.TensorInfo;
}

/** The cpu-backend surface the SSH kernels expect, over a wasm backend. */
export function cpuViewOfWasm(wasm: WasmBackendLike) {
  return {
    data: {
      get(dataId: object): { values: tf.TypedArray } {
        const entry = wasm.dataIdMap.get(dataId);
        if (entry === undefined) throw new Error('wasm kernel bridge: tensor data not found on the wasm backend (disposed?)');
        // A view, valid until the next allocation; the kernels read all inputs before allocating.
        return { values: wasm.typedArrayFromHeap({ dataId, shape: entry.shape, dtype: entry.dtype }) };
      },
    },
    makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.TypedArray): tf.TensorInfo {
      return wasm.makeOutput(shape, dtype, undefined, values);
    },
  };
}

/**
 * `UnsortedSegmentSum` for wasm, which tfjs-backend-wasm 4.22 lacks and @ssh-peft/tfjs's
 * sparse mix needs off the cpu backend (it is also the gradient of `gather`):
 * out[segmentIds[i], …] += x[i, …]; ids outside [0, numSegments) are dropped, as in tfjs.
 */
export function unsortedSegmentSumValues(x: Float32Array, segmentIds: Int32Array, numSegments: number, inner: number): Float32Array {
  const out = new Float32Array(numSegments * inner);
  for (let i = 0; i < segmentIds.length; i++) {
    const segment = segmentIds[i];
    if (segment < 0 || segment >= numSegments) continue;
    const src = i * inner;
    const dst = segment * inner;
    for (let j = 0; j < inner; j++) out[dst + j] += x[src + j];
  }
  return out;
}

function registerUnsortedSegmentSumOnWasm(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm') !== undefined) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
      if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum (wasm bridge): only float32 is supported, got ${x.dtype}`);
      const view = cpuViewOfWasm(backend as unknown as WasmBackendLike);
      const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
      const size = x.shape.reduce((a, b) => a * b, 1);
      const inner = rows === 0 ? 0 : size / rows;
      const values = unsortedSegmentSumValues(
        view.data.get(x.dataId).values as Float32Array,
        view.data.get(segmentIds.dataId).values as Int32Array,
        numSegments,
        inner,
      );
      return view.makeTensorInfo([numSegments, ...x.shape.slice(segmentIds.shape.length)], 'float32', values);
    },
  });
}

/** Kernel names of @ssh-peft/tfjs (its kernels are all registered under this prefix). */
const SSH_KERNEL_PREFIX = 'Ssh';

/**
 * Registers every SSH cpu kernel for the wasm backend too (idempotent). Returns the names
 * registered for wasm.
 *
 * @example
 * ```ts
 * await tf.setBackend('wasm');
 * registerSshKernelsOnWasm();   // applySSH models now train on wasm
 * ```
 */
export function registerSshKernelsOnWasm(): string[] {
  registerSshKernels();
  registerUnsortedSegmentSumOnWasm();
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
