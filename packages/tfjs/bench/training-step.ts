/**
 * Training-step benchmark of one adapted layer: forward + backward + Adam update,
 * compared with the frozen layer's forward (+ loss) alone. Reports the minimum step time
 * and peak tensor memory (tf.profile's peakBytes) per variant.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { AdaptedDense, SshDense, baselines } from '../src/index';

export interface StepResult {
  variant: string;
  trainable: number;
  /** Minimum step time over the runs (ms). */
  ms: number;
  /** Minimum time of the frozen reference, run alternately with this variant (ms); absent → compare with the frozen row. */
  frozenMs?: number;
  /** Peak bytes held by tensors during one step (includes x, W0 and the optimizer state). */
  peakBytes: number;
}

export interface StepCase {
  rows: number;
  cols: number;
  tokens: number;
  n: number;
  loraRank: number;
  repeats: number;
  /** Only these variants (display names) when given; all of {@link adaptedVariants} otherwise. */
  variants?: string[];
}

function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

/**
 * Runs the frozen reference and the variant alternately (so both see the same load on
 * the shared machine). The variant's first step also warms up (optimizer slots, plans,
 * trig tables); one of its steps runs under tf.profile for the peak memory. Times are
 * minima, the least disturbed by other processes.
 */
async function pairedTimes(frozen: () => void, step: () => void, repeats: number): Promise<{ ms: number; frozenMs: number; peakBytes: number }> {
  const times: number[] = [];
  const frozenTimes: number[] = [];
  let peakBytes = 0;
  for (let i = 0; i < repeats; i++) {
    let t0 = performance.now();
    frozen();
    frozenTimes.push(performance.now() - t0);
    t0 = performance.now();
    if (i === repeats - 1) peakBytes = (await tf.profile(step)).peakBytes;
    else step();
    times.push(performance.now() - t0);
  }
  return { ms: Math.min(...times), frozenMs: Math.min(...frozenTimes), peakBytes };
}

/** Builds an adapted layer for `[rows]` inputs and gives it the frozen base weights. */
export function buildAdaptedLayer(layer: AdaptedDense, rows: number, w0: tf.Tensor, bias: tf.Tensor): AdaptedDense {
  layer.apply(tfl.input({ shape: [rows] }));
  layer.copyBaseFrom(w0, bias);
  return layer;
}

/** The adapted variants every training-step table compares (cpu and browser), by display name. */
export function adaptedVariants(c: StepCase, positions: Uint32Array): Array<[string, () => AdaptedDense]> {
  const all: Array<[string, () => AdaptedDense]> = [
    ['SSH factored', () => new SshDense({ name: 'ssh_factored', units: c.cols, inputDim: c.rows, indices: positions, alpha: 300, path: 'factored', checkFinite: false })],
    ['SSH dense', () => new SshDense({ name: 'ssh_dense', units: c.cols, inputDim: c.rows, indices: positions, alpha: 300, path: 'dense', checkFinite: false })],
    [`LoRA r=${c.loraRank}`, () => new baselines.LoraDense({ name: 'lora', units: c.cols, inputDim: c.rows, rank: c.loraRank, alpha: c.loraRank })],
    ['FourierFT (dense ΔW)', () => new baselines.FourierFTDense({ name: 'fourierft', units: c.cols, inputDim: c.rows, indices: positions, alpha: 300 })],
  ];
  return c.variants === undefined ? all : all.filter(([name]) => c.variants?.includes(name));
}

/**
 * Runs every variant for one shape (or those whose names start with one of `only`);
 * tensors are created and disposed here.
 */
export async function benchTrainingStep(c: StepCase, only?: readonly string[]): Promise<StepResult[]> {
  const x = randomTensor([c.tokens, c.rows], 1);
  const w0 = randomTensor([c.rows, c.cols], 2);
  const bias = randomTensor([c.cols], 3);
  const positions = baselines.randomPositions(c.rows * c.cols, c.n, 4);
  const results: StepResult[] = [];
  const loss = (y: tf.Tensor) => tf.mean(tf.square(y)) as tf.Scalar;

  const frozenStep = () => {
    tf.tidy(() => loss(tf.add(tf.matMul(x as tf.Tensor2D, w0 as tf.Tensor2D), bias)).dataSync());
  };
  const frozenPeak = (await tf.profile(frozenStep)).peakBytes;
  const frozenTimes = await pairedTimes(frozenStep, frozenStep, c.repeats);
  const frozenMs = Math.min(frozenTimes.ms, frozenTimes.frozenMs);
  results.push({ variant: 'frozen layer', trainable: 0, ms: frozenMs, frozenMs, peakBytes: frozenPeak });

  const variants = adaptedVariants(c, positions).filter(([name]) => only === undefined || only.some((prefix) => name.startsWith(prefix)));
  for (const [name, make] of variants) {
    const layer = buildAdaptedLayer(make(), c.rows, w0, bias);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = tf.train.adam(1e-3);
    const step = () => {
      const value = optimizer.minimize(() => loss(layer.apply(x, { training: true }) as tf.Tensor), true, vars);
      value?.dataSync();
      value?.dispose();
    };
    const r = await pairedTimes(frozenStep, step, c.repeats);
    results.push({ variant: name, trainable: layer.adapterParameterCount, ...r });
    optimizer.dispose();
    layer.dispose();
  }
  tf.dispose([x, w0, bias]);
  return results;
}
