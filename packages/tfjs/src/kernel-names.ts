/**
 * Names, inputs and attributes of this package's kernels — the one contract that ops,
 * gradients and every backend's kernels import (as tfjs-core's kernel_names.ts does for
 * its own kernels). Nothing else is shared between those layers.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

/**
 * DHT over the last axis: one input `x` (float32, rank ≥ 1, length N along the last
 * axis), attributes {@link DhtLastAxisAttrs}, output of the same shape:
 * `y[..., k] = scale · Σ_j x[..., j] · cas(2πkj/N)`. The cas matrix is symmetric, so the
 * gradient is the same kernel applied to `dy`.
 */
export const DHT_KERNEL_NAME = 'SshDhtLastAxis';
/** Inputs of the {@link DHT_KERNEL_NAME} kernel. */
export interface DhtLastAxisInputs {
  x: TensorInfo;
}
/** Attributes of the {@link DHT_KERNEL_NAME} kernel. */
export interface DhtLastAxisAttrs {
  /** Multiplies the unnormalised transform (1 → forward `backward` normalisation, 1/N → its inverse). */
  scale: number;
}

/**
 * Sparse spectral mix: inputs `x` [T, inDim] and `c` [n] (float32), attributes
 * {@link SparseMixAttrs}; output [T, outSize] with
 * `out[t, scatter_j] += weight_j · c[coefIndex_j] · x[t, gather_j]` over the terms j.
 */
export const SPARSE_MIX_KERNEL_NAME = 'SshSparseMix';
/** Inputs of the {@link SPARSE_MIX_KERNEL_NAME} kernel. */
export interface SparseMixInputs {
  x: TensorInfo;
  c: TensorInfo;
}

/**
 * Coefficient gradient of the sparse mix: inputs `x` [T, inDim] (the mix's input) and
 * `dy` [T, outDim] (gradient of its output), attributes {@link SparseMixAttrs} with
 * `outSize` = n; output [n] with `g[coefIndex_j] += weight_j · Σ_t x[t, gather_j] · dy[t, scatter_j]`.
 */
export const SPARSE_MIX_COEF_GRAD_KERNEL_NAME = 'SshSparseMixCoefGrad';
/** Inputs of the {@link SPARSE_MIX_COEF_GRAD_KERNEL_NAME} kernel. */
export interface SparseMixCoefGradInputs {
  x: TensorInfo;
  dy: TensorInfo;
}

/**
 * Attributes shared by both sparse-mix kernels (typed arrays passed through tfjs's
 * attribute map). Kernels may cache tables derived from them keyed by the identity of
 * the `gather` / `scatter` arrays: callers keep one set of arrays per position set and
 * never mutate them.
 */
export interface SparseMixAttrs {
  /** Column of x each term reads. */
  gather: Int32Array;
  /** Output column each term adds into. */
  scatter: Int32Array;
  /** Coefficient of each term, or null for term j ↔ coefficient j. */
  coefIndex: Int32Array | null;
  /** Weight of each term, or null for all 1. */
  weight: Float32Array | null;
  /** Width of the output (SshSparseMix) or number of coefficients (SshSparseMixCoefGrad). */
  outSize: number;
}

/** Every kernel name of this package (all share the `Ssh` prefix). */
export const SSH_KERNEL_NAMES: readonly string[] = [DHT_KERNEL_NAME, SPARSE_MIX_KERNEL_NAME, SPARSE_MIX_COEF_GRAD_KERNEL_NAME];
