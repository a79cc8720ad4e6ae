/**
 * A linear-time `UnsortedSegmentSum` kernel for the tfjs cpu backend.
 *
 * Why: tfjs-backend-cpu 4.22 computes UnsortedSegmentSum as one equal/cast/multiply/sum
 * pass over the whole input per segment, O(numSegments · size) plus 5 kernel launches per
 * segment. The gradient of an Embedding layer is exactly this op with numSegments = the
 * vocabulary size, so one text-model training step took 8–20 s here; SSH's factored route
 * and the dense ΔW route also scatter with it. This kernel does one pass, O(size), and
 * gives the same result (tested against the original kernel with fast-check).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

type CpuBackendLike = {
  data: { get(dataId: unknown): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array | Int32Array): tf.TensorInfo;
};

/**
 * out[segmentIds[i], j] += x[i, j] over the leading `segmentIds.length` entries of x
 * flattened; ids outside [0, numSegments) are dropped (as the original kernel does).
 * Accumulates in float64, then rounds once.
 */
export function segmentSumValues(
  x: ArrayLike<number>,
  segmentIds: ArrayLike<number>,
  numSegments: number,
  inner: number,
  dtype: 'float32' | 'int32',
): Float32Array | Int32Array {
  const acc = new Float64Array(numSegments * inner);
  for (let i = 0; i < segmentIds.length; i++) {
    const s = segmentIds[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) acc[dst + j] += x[src + j];
  }
  return dtype === 'int32' ? Int32Array.from(acc) : Float32Array.from(acc);
}

const fastKernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as { numSegments: number };
  const cpu = backend as unknown as CpuBackendLike;
  const idsRank = segmentIds.shape.length;
  const outer = segmentIds.shape.reduce((a, b) => a * b, 1);
  const innerShape = x.shape.slice(idsRank);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const values = segmentSumValues(
    cpu.data.get(x.dataId).values,
    cpu.data.get(segmentIds.dataId).values,
    numSegments,
    outer === 0 ? 0 : inner,
    x.dtype === 'int32' ? 'int32' : 'float32',
  );
  return cpu.makeTensorInfo([numSegments, ...innerShape], x.dtype, values);
};

let original: tf.KernelFunc | undefined;

/**
 * Replaces the cpu backend's UnsortedSegmentSum kernel by the linear-time one (idempotent)
 * and returns the original kernel function (the test oracle).
 *
 * @example
 * ```ts
 * installFastSegmentSum();
 * tf.unsortedSegmentSum(x, ids, 1000); // one pass instead of 1000
 * ```
 */
export function installFastSegmentSum(): tf.KernelFunc {
  if (original !== undefined) return original;
  const existing = tf.getKernel(tf.UnsortedSegmentSum, 'cpu');
  if (existing === undefined) throw new Error('installFastSegmentSum: the cpu backend has no UnsortedSegmentSum kernel to replace');
  original = existing.kernelFunc;
  tf.unregisterKernel(tf.UnsortedSegmentSum, 'cpu');
  tf.registerKernel({ kernelName: tf.UnsortedSegmentSum, backendName: 'cpu', kernelFunc: fastKernelFunc });
  return original;
}
