/**
 * tfjs-layers' Dense with a linear activation runs tfjs-core's fused matMul even while
 * gradients are recorded (with any other activation tfjs falls back to matMul, bias add and
 * activation there), and the fused op's gradient is a `customGrad`, which computes ∂L/∂kernel
 * and ∂L/∂bias in every backward pass whether or not anything asks for them. A frozen linear
 * Dense behind an adapter — in a transformer block with adapters on q and v, the frozen k,
 * output and MLP-down projections — therefore pays a full weight-gradient matMul xᵀ·dy per
 * training step. Given a training-mode forward of unfused ops (matMul, add) instead, the
 * registered gradients of those ops run only for the inputs that need one; inference keeps
 * tfjs's fused kernel, and the layer's class, config and weights are untouched (it saves and
 * loads as the same Dense).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { denseForward } from '../layers/dense-forward';

const PATCHED = Symbol.for('@ssh-peft/tfjs/lazy-linear-dense');

/** The members of tfjs-layers' Dense this module reads. */
interface DenseInternals {
  kernel: { read(): tf.Tensor } | null;
  bias: { read(): tf.Tensor } | null;
  invokeCallHook?(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): void;
  [PATCHED]?: true;
}

type CallFn = (inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }) => tf.Tensor | tf.Tensor[];

/** Whether `layer` is a tfjs-layers Dense with a linear activation. */
function isLinearDense(layer: tfl.layers.Layer): boolean {
  return layer.getClassName() === 'Dense' && (layer.getConfig().activation ?? 'linear') === 'linear';
}

/**
 * Gives every tfjs-layers Dense layer of `model` with a linear activation a training-mode
 * forward whose backward computes only the gradients that are needed (see the module
 * comment); returns how many layers changed. Idempotent. `applySSH`, `attachSSH`, `applyLoRA`
 * and `applyFourierFT` call it on the models they return; call it yourself for a model you
 * fine-tune another way. Same outputs, same gradients.
 *
 * @example
 * ```ts
 * const model = await tf.loadLayersModel('file://model/model.json');
 * useLazyLinearDenseGradients(model);   // frozen linear Dense layers stop computing ∂L/∂kernel
 * ```
 */
export function useLazyLinearDenseGradients(model: tfl.LayersModel): number {
  let changed = 0;
  for (const layer of model.layers) {
    const dense = layer as unknown as DenseInternals;
    if (!isLinearDense(layer) || dense[PATCHED]) continue;
    const fused = layer.call.bind(layer) as CallFn;
    (layer as unknown as { call: CallFn }).call = (inputs, kwargs) => {
      if (kwargs?.training !== true || dense.kernel === null) return fused(inputs, kwargs);
      return tf.tidy(() => {
        dense.invokeCallHook?.(inputs, kwargs);
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        return denseForward(x, (dense.kernel as { read(): tf.Tensor }).read(), dense.bias?.read() ?? null);
      });
    };
    dense[PATCHED] = true;
    changed++;
  }
  return changed;
}
