/**
 * A linear-time `UnsortedSegmentSum` kernel for the cpu and wasm backends.
 *
 * Why: tfjs-backend-cpu 4.22 computes UnsortedSegmentSum as one equal/cast/multiply/sum
 * pass over the whole input per segment — O(numSegments · size) and five kernel launches
 * per segment. It is the gradient of `gather`, so an Embedding layer's backward pass over
 * a vocabulary of a few thousand words took 8–20 s per step here. tfjs-backend-wasm 4.22
 * has no UnsortedSegmentSum at all, so nothing that gathers can train on it. This kernel
 * does one pass, O(size), accumulating in float64.
 */
import * as tf from '@tensorflow/tfjs-core';
import { hostViewOf, replaceKernelOnce } from './host-view';

/**
 * out[segmentIds[i], j] += x[i·inner + j] for every row i; rows whose id is outside
 * [0, numSegments) are dropped, as tfjs does. Accumulates in float64 and rounds once.
 *
 * @example
 * ```ts
 * segmentSumValues([1, 2, 3], [0, 1, 0], 2, 1, 'float32'); // Float32Array [4, 2]
 * ```
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
    const segment = segmentIds[i];
    if (!(segment >= 0 && segment < numSegments)) continue;
    const src = i * inner;
    const dst = segment * inner;
    for (let j = 0; j < inner; j++) acc[dst + j] += x[src + j];
  }
  return dtype === 'int32' ? Int32Array.from(acc) : Float32Array.from(acc);
}

function segmentSumKernelFor(backendName: 'cpu' | 'wasm'): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
    const { numSegments } = attrs as unknown as { numSegments: number };
    if (x.dtype !== 'float32' && x.dtype !== 'int32') {
      throw new TypeError(`UnsortedSegmentSum (${backendName}, @ssh-peft/tfjs): x must be float32 or int32, got ${x.dtype}`);
    }
    const view = hostViewOf(backendName, backend);
    const innerShape = x.shape.slice(segmentIds.shape.length);
    // From the shape, not size / rows: with zero rows the output is still numSegments × inner zeros.
    const inner = innerShape.reduce((a, b) => a * b, 1);
    const values = segmentSumValues(view.data.get(x.dataId).values, view.data.get(segmentIds.dataId).values, numSegments, inner, x.dtype);
    return view.makeTensorInfo([numSegments, ...innerShape], x.dtype, values);
  };
}

/**
 * Registers the linear-time `UnsortedSegmentSum` for `backendName` (idempotent): on `cpu`
 * it replaces the stock kernel, on `wasm` it adds the missing one. Opt-in because it
 * changes a kernel that is not this package's; the results agree with the stock kernel up
 * to float32 rounding (this one rounds once, after a float64 sum).
 *
 * @returns the kernel function it replaced (the stock cpu kernel), or `undefined` when
 *   there was none (wasm).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { registerLinearSegmentSum } from '@ssh-peft/tfjs';
 * registerLinearSegmentSum('cpu');   // Embedding gradients now cost O(tokens · dim)
 * ```
 */
export function registerLinearSegmentSum(backendName: 'cpu' | 'wasm'): tf.KernelFunc | undefined {
  return replaceKernelOnce(tf.UnsortedSegmentSum, backendName, () => segmentSumKernelFor(backendName));
}
