/**
 * The DHT over the last axis as a tfjs op.
 *
 * The kernel's contract (name, input, attributes) is in ../kernel-names.ts, its gradient
 * in ../gradients/dht-gradient.ts: the same kernel applied to `dy`, since the cas matrix
 * is symmetric.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SshDisposedError, SshDtypeError, SshOptionError, SshShapeError } from '../errors';
import { ensureSshKernels } from '../kernels/register';
import { DHT_KERNEL_NAME, type DhtLastAxisAttrs, type DhtLastAxisInputs } from '../kernel-names';
import { composedDhtLastAxis } from './composed-route';

export { DHT_KERNEL_NAME, type DhtLastAxisAttrs } from '../kernel-names';

/**
 * Discrete Hartley transform of every vector along the last axis of `x`, times `scale`.
 *
 * Differentiable (the gradient is the same transform of `dy`). Runs the O(N log N)
 * kernel where the active backend has one (`cpu` always; `wasm`, `webgl` and `webgpu`
 * once registered); on any other backend, a matMul with the N×N cas matrix (stock ops,
 * N ≤ 8192, see composed-route.ts). The inverse is `dhtLastAxis(h, 1 / N)`.
 *
 * @param x float32 tensor of rank ≥ 1; the transform runs along its last axis.
 * @param scale finite multiplier, default 1 (unnormalised forward transform).
 * @throws {SshDtypeError} when `x` is not float32.
 * @throws {SshShapeError} when `x` is a scalar or its last axis is empty, or N > 8192 on a backend without the kernel.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { dhtLastAxis } from '@ssh-peft/tfjs';
 * const h = dhtLastAxis(tf.tensor2d([[1, 0, 0, 0]]));   // [[1, 1, 1, 1]]
 * const x = dhtLastAxis(h, 1 / 4);                       // back to [[1, 0, 0, 0]]
 * ```
 */
export function dhtLastAxis<R extends tf.Rank>(x: tf.Tensor<R>, scale = 1): tf.Tensor<R> {
  assertDhtInput(x, 'x');
  if (typeof scale !== 'number' || !Number.isFinite(scale)) {
    throw new SshOptionError(`dhtLastAxis: scale must be a finite number, got ${String(scale)}`);
  }
  // A backend without the kernel (tfjs-node, a third-party backend; webgl/webgpu when
  // '@ssh-peft/tfjs/gpu' was not registered) gets the composed route of stock ops.
  if (!hasDhtKernel()) return composedDhtLastAxis(x, scale);
  const attrs: DhtLastAxisAttrs = { scale };
  const inputs: DhtLastAxisInputs = { x };
  return tf.engine().runKernel(DHT_KERNEL_NAME, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor<R>;
}

/** Whether the active backend has the {@link DHT_KERNEL_NAME} kernel (else ops take the composed route). */
export function hasDhtKernel(): boolean {
  ensureSshKernels();
  return tf.getKernel(DHT_KERNEL_NAME, tf.getBackend()) !== undefined;
}

/** Validates a tensor argument of the DHT op (shared with the layer code). */
export function assertDhtInput(x: tf.Tensor, argName: string): void {
  if (!(x instanceof tf.Tensor)) {
    throw new SshOptionError(`${argName} must be a tf.Tensor, got ${x === null ? 'null' : typeof x}`);
  }
  if (x.isDisposed) throw new SshDisposedError(`${argName} (tensor id ${x.id}, shape [${x.shape}]) is disposed`);
  if (x.dtype !== 'float32') throw new SshDtypeError(`${argName} must be float32, got ${x.dtype} (shape [${x.shape}])`);
  if (x.rank < 1) throw new SshShapeError(`${argName} must have rank ≥ 1 (the transform runs along the last axis), got a scalar`);
  const n = x.shape[x.rank - 1];
  if (n < 1) throw new SshShapeError(`${argName}: last axis has length ${n}; the transform needs at least 1 (shape [${x.shape}])`);
}
