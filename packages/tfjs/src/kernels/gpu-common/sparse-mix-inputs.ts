/**
 * Input checks of the GPU sparse-mix kernels, one for both GPU backends: the contract
 * (../../kernel-names.ts) is backend-independent, so its violations read the same on
 * webgl and webgpu, with the backend named.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { SshDtypeError, SshShapeError } from '../../errors';
import { SPARSE_MIX_COEF_GRAD_KERNEL_NAME, SPARSE_MIX_KERNEL_NAME } from '../../kernel-names';

function checkFloat2D(t: TensorInfo, name: string, kernel: string, backendName: string): void {
  if (t.dtype !== 'float32') throw new SshDtypeError(`${kernel} (${backendName}): ${name} must be float32, got ${t.dtype} (shape [${t.shape}])`);
  if (t.shape.length !== 2) throw new SshShapeError(`${kernel} (${backendName}): ${name} must be rank 2 [T, d], got shape [${t.shape}]`);
}

/** `[tokens, inDim]` of the mix's activations `x`, after checking dtype and rank. */
export function mixInputDims(x: TensorInfo, backendName: string): { tokens: number; inDim: number } {
  checkFloat2D(x, 'x', SPARSE_MIX_KERNEL_NAME, backendName);
  const [tokens, inDim] = x.shape as [number, number];
  return { tokens, inDim };
}

/** Token count and widths of the coefficient gradient's `x` [T, d_in] and `dy` [T, d_out], after checking both. */
export function coefGradInputDims(x: TensorInfo, dy: TensorInfo, backendName: string): { tokens: number; inDim: number; outDim: number } {
  checkFloat2D(x, 'x', SPARSE_MIX_COEF_GRAD_KERNEL_NAME, backendName);
  checkFloat2D(dy, 'dy', SPARSE_MIX_COEF_GRAD_KERNEL_NAME, backendName);
  const [tokens, inDim] = x.shape as [number, number];
  const outDim = dy.shape[1] as number;
  if (dy.shape[0] !== tokens) throw new SshShapeError(`${SPARSE_MIX_COEF_GRAD_KERNEL_NAME} (${backendName}): x has ${tokens} rows, dy ${dy.shape[0]}`);
  return { tokens, inDim, outDim };
}
