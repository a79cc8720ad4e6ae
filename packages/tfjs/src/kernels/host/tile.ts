/**
 * A block-copy `Tile` kernel for the cpu and wasm backends.
 *
 * Why: both backends of tfjs 4.22 tile through the shared cpu implementation, which walks
 * the output one element at a time through a TensorBuffer (index ↔ coordinates per
 * element): ~150 ns per output value here. tfjs-layers' LayerNormalization tiles its
 * mean, variance, γ and β to the input's shape on every call, so Tile was a third of a
 * training step of the tiny transformers. Copying whole rows and then whole blocks
 * (`set`, `copyWithin`, `fill`) gives the same values.
 */
import * as tf from '@tensorflow/tfjs-core';
import { hostViewOf, replaceKernelOnce } from './host-view';

type Numeric = Float32Array | Int32Array;

/**
 * `x` (row-major, shape `shape`) tiled `reps` times along each axis into a new array.
 *
 * @example
 * ```ts
 * tileValues(Float32Array.from([1, 2]), [1, 2], [2, 2], 'float32'); // [1, 2, 1, 2, 1, 2, 1, 2]
 * ```
 */
export function tileValues(x: ArrayLike<number>, shape: readonly number[], reps: readonly number[], dtype: 'float32' | 'int32'): Numeric {
  const rank = shape.length;
  const outShape = shape.map((s, i) => s * reps[i]);
  const size = outShape.reduce((a, b) => a * b, 1);
  const out: Numeric = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  if (size === 0) return out;
  if (rank === 0) {
    out[0] = x[0];
    return out;
  }
  const inStride = new Array<number>(rank).fill(1);
  const outStride = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) {
    inStride[d] = inStride[d + 1] * shape[d + 1];
    outStride[d] = outStride[d + 1] * outShape[d + 1];
  }
  const input: ArrayLike<number> = x;
  const last = rank - 1;
  // Fills the output block at `outOffset` for axes dim…rank−1 from the input block at `inOffset`.
  const fill = (dim: number, inOffset: number, outOffset: number): void => {
    const n = shape[dim];
    if (dim === last) {
      if (n === 1) {
        out.fill(input[inOffset], outOffset, outOffset + reps[dim]);
        return;
      }
      for (let j = 0; j < n; j++) out[outOffset + j] = input[inOffset + j];
    } else {
      for (let i = 0; i < n; i++) fill(dim + 1, inOffset + i * inStride[dim], outOffset + i * outStride[dim]);
    }
    const block = n * outStride[dim];
    for (let k = 1; k < reps[dim]; k++) out.copyWithin(outOffset + k * block, outOffset, outOffset + block);
  };
  fill(0, 0, 0);
  return out;
}

function tileKernelFor(backendName: 'cpu' | 'wasm', stock: tf.KernelFunc | undefined): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { reps } = args.attrs as unknown as { reps: number[] };
    if (x.dtype !== 'float32' && x.dtype !== 'int32') {
      // bool and string tensors keep tfjs's own kernel.
      if (stock === undefined) throw new TypeError(`Tile (${backendName}, @ssh-peft/tfjs): no kernel for dtype ${x.dtype}`);
      return stock(args);
    }
    if (reps.length !== x.shape.length) {
      throw new RangeError(`Tile (${backendName}, @ssh-peft/tfjs): reps [${reps.join(', ')}] do not match the rank of x [${x.shape.join(', ')}]`);
    }
    const view = hostViewOf(backendName, args.backend);
    const values = tileValues(view.data.get(x.dataId).values, x.shape, reps, x.dtype);
    return view.makeTensorInfo(x.shape.map((s, i) => s * reps[i]), x.dtype, values);
  };
}

/**
 * Registers the block-copy `Tile` kernel for `backendName` (idempotent), replacing tfjs's
 * own for float32 and int32 (other dtypes still go to it).
 *
 * @returns the kernel function it replaced.
 *
 * @example
 * ```ts
 * registerBlockTile('wasm');   // LayerNormalization's forward pass: Tile by rows, not by elements
 * ```
 */
export function registerBlockTile(backendName: 'cpu' | 'wasm'): tf.KernelFunc | undefined {
  return replaceKernelOnce(tf.Tile, backendName, (stock) => tileKernelFor(backendName, stock));
}
