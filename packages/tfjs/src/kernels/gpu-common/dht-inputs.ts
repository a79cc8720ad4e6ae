/**
 * Input checks of the GPU DHT kernels, one for both GPU backends: the contract
 * (../../kernel-names.ts) is backend-independent, so its violations read the same on
 * webgl and webgpu, with the backend named.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { SshDtypeError, SshShapeError } from '../../errors';
import { DHT_KERNEL_NAME } from '../../kernel-names';

/** Length `n` of the transformed last axis and element count `size` of `x`, after checking dtype and rank. */
export function dhtInputDims(x: TensorInfo, backendName: string): { n: number; size: number } {
  if (x.dtype !== 'float32') throw new SshDtypeError(`${DHT_KERNEL_NAME} (${backendName}): x must be float32, got ${x.dtype} (shape [${x.shape}])`);
  if (x.shape.length < 1) throw new SshShapeError(`${DHT_KERNEL_NAME} (${backendName}): x must have rank ≥ 1, got a scalar`);
  return { n: x.shape[x.shape.length - 1]!, size: tf.util.sizeFromShape(x.shape) };
}
