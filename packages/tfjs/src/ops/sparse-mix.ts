/**
 * The gather → scale → scatter-add step of the factored route as one differentiable op:
 * y[t, s_j] = Σ_j w_j · c[k_j] · x[t, g_j] for the terms of a {@link SpectralTerms}.
 * Gradients: ∂L/∂x is the same op with gather and scatter swapped; ∂L/∂c_k =
 * Σ_{j: k_j = k} w_j Σ_t x[t, g_j]·dy[t, s_j]. Where the active backend has the kernels
 * `SshSparseMix` / `SshSparseMixCoefGrad` (cpu: O(T·m) loops; a GPU entry may register its
 * own with the same contract, see kernels/cpu/sparse-mix-cpu.ts) they run; otherwise tfjs's
 * gather / unsortedSegmentSum composition does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SPARSE_MIX_COEF_GRAD_KERNEL_NAME, SPARSE_MIX_KERNEL_NAME, type SparseMixAttrs } from '../kernels/cpu/sparse-mix-cpu';
import { ensureSshKernels } from '../kernels/register';
import type { SpectralTerms } from './spectral-terms';

/** One direction of the mix: which columns are read, which are written. */
interface MixPlan {
  gather: Int32Array;
  scatter: Int32Array;
  coefIndex: Int32Array | null;
  weight: Float32Array | null;
}

const forwardPlan = (terms: SpectralTerms): MixPlan => ({
  gather: terms.gatherIndex,
  scatter: terms.scatterIndex,
  coefIndex: terms.coefficientIndex,
  weight: terms.termWeight,
});

const transposedPlan = (terms: SpectralTerms): MixPlan => ({ ...forwardPlan(terms), gather: terms.scatterIndex, scatter: terms.gatherIndex });

/** Whether the active backend has a registered kernel (cpu here; a GPU entry may add its own). */
function hasKernel(kernelName: string): boolean {
  ensureSshKernels();
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

function termCoefficients(c: tf.Tensor, plan: MixPlan): tf.Tensor1D {
  if (plan.coefIndex === null || plan.weight === null) return c as tf.Tensor1D;
  return tf.mul(tf.gather(c, tf.tensor1d(plan.coefIndex, 'int32')), tf.tensor1d(plan.weight, 'float32'));
}

/** x [T, in] → [T, outSize] without gradient bookkeeping (called inside customGrad). */
function mix(x: tf.Tensor2D, c: tf.Tensor, plan: MixPlan, outSize: number): tf.Tensor2D {
  if (hasKernel(SPARSE_MIX_KERNEL_NAME)) {
    const attrs: SparseMixAttrs = { ...plan, outSize };
    return tf.engine().runKernel(SPARSE_MIX_KERNEL_NAME, { x, c }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  }
  return tf.tidy(() => {
    const picked = tf.gather(x, tf.tensor1d(plan.gather, 'int32'), 1);
    const weighted = tf.mul(picked, termCoefficients(c, plan));
    // unsortedSegmentSum adds along axis 0 only, hence the two transposes.
    return tf.transpose(tf.unsortedSegmentSum(tf.transpose(weighted), tf.tensor1d(plan.scatter, 'int32'), outSize)) as tf.Tensor2D;
  });
}

function coefficientGradient(x: tf.Tensor2D, dy: tf.Tensor2D, plan: MixPlan, n: number): tf.Tensor1D {
  if (hasKernel(SPARSE_MIX_COEF_GRAD_KERNEL_NAME)) {
    const attrs: SparseMixAttrs = { ...plan, outSize: n };
    return tf.engine().runKernel(SPARSE_MIX_COEF_GRAD_KERNEL_NAME, { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor1D;
  }
  return tf.tidy(() => {
    const perTerm = tf.sum(tf.mul(tf.gather(x, tf.tensor1d(plan.gather, 'int32'), 1), tf.gather(dy, tf.tensor1d(plan.scatter, 'int32'), 1)), 0);
    if (plan.coefIndex === null || plan.weight === null) return perTerm as tf.Tensor1D;
    return tf.unsortedSegmentSum(tf.mul(perTerm, tf.tensor1d(plan.weight, 'float32')), tf.tensor1d(plan.coefIndex, 'int32'), n) as tf.Tensor1D;
  });
}

/**
 * y = mix(x, c) for the terms of one layer: x `[T, terms.rows]`, c `[terms.count]` →
 * `[T, terms.cols]`. Differentiable w.r.t. x and c.
 *
 * @example
 * ```ts
 * const terms = compileSpectralTerms([1, 5], 2, 4, 'separable');    // (u,v) = (0,1), (1,1)
 * sparseMix(tf.tensor2d([[1, 2]]), tf.tensor1d([10, 100]), terms);  // [[0, 210, 0, 0]]
 * ```
 */
export function sparseMix(x: tf.Tensor2D, c: tf.Tensor, terms: SpectralTerms): tf.Tensor2D {
  const fwd = forwardPlan(terms);
  const bwd = transposedPlan(terms);
  const op = tf.customGrad(((xIn: tf.Tensor, cIn: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xIn, cIn]);
    return {
      value: mix(xIn as tf.Tensor2D, cIn, fwd, terms.cols),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = dy as tf.Tensor2D;
        const [xs, cs] = saved;
        return [mix(g, cs, bwd, terms.rows), coefficientGradient(xs as tf.Tensor2D, g, fwd, terms.count)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, c) as tf.Tensor2D;
}
