/**
 * The gather → scale → scatter-add step of the factored route as one differentiable op:
 * y[t, s_j] = Σ_j w_j · c[k_j] · x[t, g_j] for the terms of a {@link SpectralTerms}.
 * Where the active backend has the `SshSparseMix` kernel (contract in ../kernel-names.ts;
 * cpu, wasm, webgl and webgpu kernels in ../kernels/) it runs, and its registered gradient
 * (../gradients/sparse-mix-gradient.ts) runs the same kernel transposed for ∂L/∂x and
 * `SshSparseMixCoefGrad` for ∂L/∂c. Otherwise tfjs's gather / unsortedSegmentSum
 * composition runs and tfjs differentiates it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SPARSE_MIX_KERNEL_NAME, type SparseMixAttrs, type SparseMixInputs } from '../kernel-names';
import { ensureSshKernels } from '../kernels/register';
import type { SpectralTerms } from './spectral-terms';

/**
 * The forward attributes of a position set. One object per {@link SpectralTerms}, so the
 * typed arrays a kernel sees keep their identity from call to call (GPU kernels cache the
 * index tables they derive from them).
 */
const forwardAttrs = new WeakMap<SpectralTerms, SparseMixAttrs>();

/** The kernel attributes of a position set's forward mix (one object per terms). */
export function sparseMixAttrs(terms: SpectralTerms): SparseMixAttrs {
  let attrs = forwardAttrs.get(terms);
  if (attrs === undefined) {
    attrs = { gather: terms.gatherIndex, scatter: terms.scatterIndex, coefIndex: terms.coefficientIndex, weight: terms.termWeight, outSize: terms.cols };
    forwardAttrs.set(terms, attrs);
  }
  return attrs;
}

/** Whether the active backend has a registered kernel. */
function hasKernel(kernelName: string): boolean {
  ensureSshKernels();
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/**
 * Terms per coefficient when coefficient k owns the consecutive terms k·r … k·r + r − 1
 * (how compileSpectralTerms lays out the true-2D variant), else 0.
 */
function termsPerCoefficient(a: SparseMixAttrs, count: number): number {
  if (a.coefIndex === null) return 1;
  const m = a.coefIndex.length;
  if (count === 0 || m % count !== 0) return 0;
  const r = m / count;
  for (let j = 0; j < m; j++) if (a.coefIndex[j] !== Math.floor(j / r)) return 0;
  return r;
}

/**
 * The mix composed of stock tfjs ops (differentiated by tfjs), for backends without our
 * kernels. The per-term coefficients w_j·c[k_j] are formed by broadcasting c over its r
 * terms (gradient: a sum over r) rather than by gather(c) (gradient: UnsortedSegmentSum):
 * tfjs-backend-webgl 4.22's UnsortedSegmentSum finds the window of output slot
 * w·numSegments + s as floor(float(w·numSegments) / float(numSegments)), which GPUs that
 * divide by multiplying with the reciprocal (SwiftShader does) round down to w − 1 for
 * some numSegments (94 is one): window w − 1 is then summed twice and window w never, so
 * ∂L/∂c of coefficient 0 came out exactly 2× the cpu value for 94 positions of the
 * true-2D variant. The gather-only kernels (kernels/webgl, kernels/webgpu) never call it.
 */
export function composedMix(x: tf.Tensor2D, c: tf.Tensor, a: SparseMixAttrs): tf.Tensor2D {
  return tf.tidy(() => {
    const picked = tf.gather(x, tf.tensor1d(a.gather, 'int32'), 1);
    const m = a.gather.length;
    const count = c.shape[0] as number;
    const r = termsPerCoefficient(a, count);
    let termCoef: tf.Tensor = c;
    if (a.weight !== null && r > 0) {
      termCoef = tf.reshape(tf.mul(tf.reshape(c, [count, 1]), tf.tensor2d(a.weight, [count, r])), [m]);
    } else if (a.coefIndex !== null || a.weight !== null) {
      const gathered = a.coefIndex === null ? c : tf.gather(c, tf.tensor1d(a.coefIndex, 'int32'));
      termCoef = a.weight === null ? gathered : tf.mul(gathered, tf.tensor1d(a.weight, 'float32'));
    }
    const weighted = tf.mul(picked, termCoef);
    // unsortedSegmentSum adds along axis 0 only, hence the two transposes.
    return tf.transpose(tf.unsortedSegmentSum(tf.transpose(weighted), tf.tensor1d(a.scatter, 'int32'), a.outSize)) as tf.Tensor2D;
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
  const attrs = sparseMixAttrs(terms);
  if (!hasKernel(SPARSE_MIX_KERNEL_NAME)) return composedMix(x, c, attrs);
  const inputs: SparseMixInputs = { x, c };
  return tf.engine().runKernel(SPARSE_MIX_KERNEL_NAME, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
