/**
 * Frozen linear Dense layers behind an adapter (src/surgery/lazy-linear-dense.ts): the
 * training-mode forward of unfused ops gives the same outputs and gradients as tfjs's fused
 * kernel (the reference: the same layers called with training off, which keeps it), and no
 * longer computes the frozen kernel's weight gradient, which the fused kernel's customGrad does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { applySSH, baselines, useLazyLinearDenseGradients } from '../src/index';
import { relativeError, useCpu } from './helpers';

beforeAll(useCpu);

const TOKENS = 3;
const DIM = 8;
const HIDDEN = 12;
const OUT = 6;

/** up (target, linear) → down (frozen, linear, with bias) → mid (frozen, ReLU) → head (linear). */
function buildModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [TOKENS, DIM] });
  const dense = (units: number, name: string, seed: number, activation: 'linear' | 'relu' = 'linear') =>
    tfl.layers.dense({ units, name, activation, kernelInitializer: tfl.initializers.glorotUniform({ seed }), biasInitializer: tfl.initializers.randomNormal({ seed: seed + 100 }) });
  let h = dense(HIDDEN, 'up', 1).apply(input) as tfl.SymbolicTensor;
  h = dense(OUT, 'down', 2).apply(h) as tfl.SymbolicTensor;
  h = dense(OUT, 'mid', 3, 'relu').apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: dense(4, 'head', 4).apply(h) as tfl.SymbolicTensor });
}

const x = () => tf.randomUniform([2, TOKENS, DIM], -1, 1, 'float32', 7);

/** ∂(Σ y²)/∂(trainable weights) of `model` called with `training`. */
function gradients(model: tfl.LayersModel, training: boolean): Float32Array[] {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return tf.tidy(() => {
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(model.apply(x(), { training }) as tf.Tensor)) as tf.Scalar, vars);
    return vars.map((v) => grads[v.name].dataSync() as Float32Array);
  });
}

/** Output shapes of every matMul kernel of one backward pass of `model` called with `training`. */
async function matMulOutputShapes(model: tfl.LayersModel, training: boolean): Promise<number[][]> {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const profile = await tf.profile(() => {
    tf.tidy(() => {
      tf.variableGrads(() => tf.sum(tf.square(model.apply(x(), { training }) as tf.Tensor)) as tf.Scalar, vars);
    });
  });
  return profile.kernels.filter((k) => /MatMul/.test(k.name)).map((k) => k.outputShapes.flat() as number[]);
}

const isDownKernelShape = (s: number[]) => s.slice(-2).join() === `${HIDDEN},${OUT}`;

describe('frozen linear Dense layers behind an adapter', () => {
  it('no longer compute their weight gradient (the fused kernel does)', async () => {
    const { model } = baselines.applyLoRA(buildModel(), { targets: 'up', rank: 2, trainable: ['head'] });
    expect(model.getLayer('down').trainable).toBe(false);
    // With training off, 'down' runs tfjs's fused kernel: its customGrad forms the [12, 6] ∂L/∂kernel.
    expect((await matMulOutputShapes(model, false)).some(isDownKernelShape)).toBe(true);
    expect((await matMulOutputShapes(model, true)).some(isDownKernelShape)).toBe(false);
  });

  it('give the same outputs and trainable gradients as the fused kernel (LoRA and SSH)', async () => {
    const lora = baselines.applyLoRA(buildModel(), { targets: 'up', rank: 2, trainable: ['head'] });
    // B = 0 makes LoRA's ΔW vanish; a nonzero B makes the check exercise the adapter too.
    const up = lora.model.getLayer('up');
    const weights = up.getWeights();
    const b = weights.findIndex((w) => w.shape.join() === `2,${HIDDEN}`);
    weights[b] = tf.randomNormal([2, HIDDEN], 0, 0.5, 'float32', 5);
    up.setWeights(weights);
    const ssh = await applySSH(buildModel(), { targets: 'up', perLayer: 20, init: 'normal', trainable: ['head'] });
    for (const model of [lora.model, ssh.model]) {
      const fused = gradients(model, false);
      const lazy = gradients(model, true);
      expect(lazy.length).toBe(model.trainableWeights.length);
      lazy.forEach((g, i) => expect(relativeError(g, fused[i])).toBeLessThan(1e-5));
      const yFused = (model.apply(x(), { training: false }) as tf.Tensor).dataSync();
      const yLazy = (model.apply(x(), { training: true }) as tf.Tensor).dataSync();
      expect(relativeError(yLazy, yFused)).toBeLessThan(1e-6);
    }
  });

  it('changes linear Dense layers only, once, and leaves their class and config alone', () => {
    const model = buildModel();
    const config = JSON.stringify(model.getLayer('down').getConfig());
    expect(useLazyLinearDenseGradients(model)).toBe(3); // up, down, head; not the ReLU layer
    expect(useLazyLinearDenseGradients(model)).toBe(0);
    expect(model.getLayer('down').getClassName()).toBe('Dense');
    expect(JSON.stringify(model.getLayer('down').getConfig())).toBe(config);
  });
});
