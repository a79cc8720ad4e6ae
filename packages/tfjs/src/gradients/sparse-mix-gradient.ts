/**
 * Gradient of {@link SPARSE_MIX_KERNEL_NAME}. With y = mix(x, c):
 * ∂L/∂x is the same mix of `dy` with gather and scatter swapped (the mix is linear in x
 * and its transpose reads where the forward writes), and ∂L/∂c_k =
 * Σ_{j: coefIndex_j = k} weight_j · Σ_t x[t, gather_j] · dy[t, scatter_j]
 * ({@link SPARSE_MIX_COEF_GRAD_KERNEL_NAME}). A backend that registers the mix kernel
 * registers the coefficient-gradient kernel too, so both run as kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SPARSE_MIX_COEF_GRAD_KERNEL_NAME, SPARSE_MIX_KERNEL_NAME, type SparseMixAttrs } from '../kernel-names';

/** Attributes of the transposed mix (∂L/∂x): gather and scatter swapped, output width `inDim`. */
export function transposedMixAttrs(attrs: SparseMixAttrs, inDim: number): SparseMixAttrs {
  return { gather: attrs.scatter, scatter: attrs.gather, coefIndex: attrs.coefIndex, weight: attrs.weight, outSize: inDim };
}

export const sparseMixGradConfig: tf.GradConfig = {
  kernelName: SPARSE_MIX_KERNEL_NAME,
  inputsToSave: ['x', 'c'],
  gradFunc: (dy, saved, attrs) => {
    const [x, c] = saved;
    const a = attrs as unknown as SparseMixAttrs;
    const g = dy as tf.Tensor;
    return {
      x: () =>
        tf.engine().runKernel(SPARSE_MIX_KERNEL_NAME, { x: g, c }, transposedMixAttrs(a, x.shape[1] as number) as unknown as tf.NamedAttrMap) as tf.Tensor,
      c: () => {
        const coefAttrs: SparseMixAttrs = { ...a, outSize: c.shape[0] as number };
        return tf.engine().runKernel(SPARSE_MIX_COEF_GRAD_KERNEL_NAME, { x, dy: g }, coefAttrs as unknown as tf.NamedAttrMap) as tf.Tensor;
      },
    };
  },
};
