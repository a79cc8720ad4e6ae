/**
 * The training-step benchmark of bench/training-step.ts (same variants and layers — imported
 * from there — same loss,
 * Adam update and peak measurement) with asynchronous readback: WebGPU in Chromium
 * cannot read GPU data synchronously (`dataSync` fails), so every step here ends with
 * `await data()` instead. If bench/training-step.ts moves to async readback, the
 * browser bench can call it directly and this file goes away.
 */
import * as tf from '@tensorflow/tfjs-core';
import { baselines } from '../../src/index';
import { adaptedVariants, buildAdaptedLayer, type StepCase, type StepResult } from '../training-step';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A step result plus where its time went (tf.profile's per-kernel times, summed by kernel name). */
export interface BrowserStepResult extends StepResult {
  kernels: Array<{ name: string; ms: number }>;
}

async function kernelTimes(profile: tf.TensorContainer & { kernels: Array<{ name: string; kernelTimeMs: unknown }> }): Promise<Array<{ name: string; ms: number }>> {
  const byName = new Map<string, number>();
  for (const k of profile.kernels) {
    const t = await k.kernelTimeMs;
    if (typeof t === 'number') byName.set(k.name, (byName.get(k.name) ?? 0) + t);
  }
  return [...byName].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}

async function timeAndPeak(step: () => Promise<void>, repeats: number): Promise<{ ms: number; peakBytes: number; kernels: Array<{ name: string; ms: number }> }> {
  await step(); // warm-up: shader compilation, optimizer slots, plan and trig tables
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  const profile = await tf.profile(step);
  return { ms: median(times), peakBytes: profile.peakBytes, kernels: await kernelTimes(profile as never) };
}

/** Same cases and variant names as the cpu table's benchTrainingStep (those starting with one of `only`, if given). */
export async function benchTrainingStepAsync(c: StepCase, only?: readonly string[]): Promise<BrowserStepResult[]> {
  const x = tf.randomUniform([c.tokens, c.rows], -1, 1, 'float32', 1);
  const w0 = tf.randomUniform([c.rows, c.cols], -1, 1, 'float32', 2);
  const bias = tf.randomUniform([c.cols], -1, 1, 'float32', 3);
  const positions = baselines.randomPositions(c.rows * c.cols, c.n, 4);
  const results: BrowserStepResult[] = [];
  const loss = (y: tf.Tensor) => tf.mean(tf.square(y)) as tf.Scalar;

  const frozen = await timeAndPeak(async () => {
    const value = tf.tidy(() => loss(tf.add(tf.matMul(x as tf.Tensor2D, w0 as tf.Tensor2D), bias)));
    await value.data();
    value.dispose();
  }, c.repeats);
  results.push({ variant: 'frozen layer', trainable: 0, ...frozen });

  const variants = adaptedVariants(c, positions).filter(([name]) => only === undefined || only.some((prefix) => name.startsWith(prefix)));
  for (const [name, make] of variants) {
    const layer = buildAdaptedLayer(make(), c.rows, w0, bias);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = tf.train.adam(1e-3);
    const step = async () => {
      const value = optimizer.minimize(() => loss(layer.apply(x, { training: true }) as tf.Tensor), true, vars);
      if (value) {
        await value.data();
        value.dispose();
      }
    };
    const r = await timeAndPeak(step, c.repeats);
    results.push({ variant: name, trainable: layer.adapterParameterCount, ...r });
    optimizer.dispose();
    layer.dispose();
  }
  tf.dispose([x, w0, bias]);
  return results;
}
