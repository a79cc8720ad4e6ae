/**
 * Training-step benchmark of one adapted layer: forward + backward + Adam update,
 * compared with the frozen layer's forward (+ loss) alone.
 *
 * Measurement (the machine is shared and noisy):
 * - every variant, the frozen layer included, runs in rounds; in each round every variant
 *   takes one step paired with one step of the frozen reference, in a rotated order (and
 *   the pair's order alternates), so a variant and its paired frozen step see the same
 *   load, and no variant always follows the same other one;
 * - the clock is the given {@link StepTimer}'s: in Node (step-clock.ts) the process's
 *   CPU time, which does not count the time other processes hold the core, with a full
 *   garbage collection before every timed step (so one step's garbage is not collected
 *   inside the next one's time); wall-clock times are recorded alongside;
 * - the result per variant is the median over rounds of (step − paired frozen) / paired
 *   frozen, with its range; variants much slower than the frozen step (FourierFT, SSH
 *   dense on wasm) run only `heavyRepeats` rounds.
 * Peak tensor memory is tf.profile's peakBytes over the variant's first (warm-up) step,
 * counting x, W0, the variant's own weights and optimizer state, not other variants'.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { AdaptedDense, SshDense, baselines } from '../src/index';

export interface StepResult {
  variant: string;
  trainable: number;
  /** Median step time over the timed rounds (ms, on {@link StepClock}). */
  ms: number;
  /** Median time of the frozen steps paired with this variant's (ms); absent → compare with the frozen row. */
  frozenMs?: number;
  /** Per round: (step − paired frozen step) / paired frozen step, on the same clock as `ms`. */
  overheads?: number[];
  /** The same per-round overheads by the wall clock. */
  wallOverheads?: number[];
  /** Peak bytes held by tensors during one step (x, W0 and this variant's weights and optimizer state). */
  peakBytes: number;
  /** tf.profile's kernel times after the rounds (frozen, SSH factored, LoRA only): per kernel name (matMuls with their input shapes), summed within a step, median of {@link PROFILED_STEPS} steps; largest first. */
  kernels?: Array<{ name: string; ms: number }>;
}

export interface StepCase {
  rows: number;
  cols: number;
  tokens: number;
  n: number;
  loraRank: number;
  /** Timed rounds (paired steps) per variant. */
  repeats: number;
  /** Timed rounds of a variant whose warm-up step took over {@link HEAVY_FACTOR}× the frozen step (default `repeats`). */
  heavyRepeats?: number;
  /** Only these variants (display names) when given; all of {@link adaptedVariants} otherwise. */
  variants?: string[];
}

/** Steps profiled per variant for the kernel-time breakdown. */
export const PROFILED_STEPS = 3;

/** A variant whose warm-up step exceeds this multiple of the frozen step runs `heavyRepeats` rounds. */
export const HEAVY_FACTOR = 8;

/** One timed call: on the timer's clock and by the wall clock (ms). */
export interface Timing {
  clockMs: number;
  wallMs: number;
}

/** How steps are timed: Node's is in step-clock.ts (main-thread CPU time, GC between steps). */
export interface StepTimer {
  /** The clock of {@link Timing.clockMs}, as the tables name it. */
  readonly clock: string;
  /** Whether a full garbage collection runs before every timed call. */
  readonly gcBetweenSteps: boolean;
  time(fn: () => void): Timing;
}

/** The wall clock alone (any runtime). */
export const wallClockTimer: StepTimer = {
  clock: 'wall clock',
  gcBetweenSteps: false,
  time(fn: () => void): Timing {
    const t0 = performance.now();
    fn();
    const ms = performance.now() - t0;
    return { clockMs: ms, wallMs: ms };
  },
};

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
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

/** Kernel name, with the input shapes for matMuls (the frozen x·W0 apart from an adapter's own). */
function kernelKey(k: { name: string; inputShapes: number[][] }): string {
  return k.name === 'BatchMatMul' || k.name === '_FusedMatMul' ? `${k.name} ${k.inputShapes.map((s) => `[${s.join(',')}]`).join('×')}` : k.name;
}

/** tf.profile's kernel times of `repeats` steps, summed per {@link kernelKey} within a step, median over the steps. */
async function kernelTimes(step: () => void, repeats: number): Promise<Array<{ name: string; ms: number }>> {
  const perKey = new Map<string, number[]>();
  for (let r = 0; r < repeats; r++) {
    const profile = await tf.profile(step);
    const byKey = new Map<string, number>();
    for (const k of profile.kernels) {
      const t = await k.kernelTimeMs;
      if (typeof t === 'number') byKey.set(kernelKey(k as never), (byKey.get(kernelKey(k as never)) ?? 0) + t);
    }
    for (const [key, ms] of byKey) perKey.set(key, [...(perKey.get(key) ?? []), ms]);
  }
  return [...perKey].map(([name, ms]) => ({ name, ms: median([...ms, ...new Array<number>(repeats - ms.length).fill(0)]) })).sort((a, b) => b.ms - a.ms);
}

interface Runner {
  name: string;
  trainable: number;
  step: () => void;
  peakBytes: number;
  rounds: number;
  steps: Timing[];
  frozen: Timing[];
  dispose: () => void;
}

/**
 * Runs every variant for one shape (or those whose names start with one of `only`) in
 * interleaved rounds; the first result is the frozen layer paired with itself (its
 * overhead range is the measurement's noise floor). Tensors are created and disposed here.
 *
 * @param options.timer the clock (default: wall clock); options.progress gets a line per round.
 */
export async function benchTrainingStep(
  c: StepCase,
  only?: readonly string[],
  options: { timer?: StepTimer; progress?: (line: string) => void } = {},
): Promise<StepResult[]> {
  const timed = (fn: () => void) => (options.timer ?? wallClockTimer).time(fn);
  const progress = options.progress;
  const x = randomTensor([c.tokens, c.rows], 1);
  const w0 = randomTensor([c.rows, c.cols], 2);
  const bias = randomTensor([c.cols], 3);
  const positions = baselines.randomPositions(c.rows * c.cols, c.n, 4);
  const loss = (y: tf.Tensor) => tf.mean(tf.square(y)) as tf.Scalar;
  const sharedBytes = tf.memory().numBytes;

  const frozenStep = () => {
    tf.tidy(() => loss(tf.add(tf.matMul(x as tf.Tensor2D, w0 as tf.Tensor2D), bias)).dataSync());
  };
  const frozenProfile = await tf.profile(frozenStep);
  const frozenWallMs = median([0, 1, 2].map(() => timed(frozenStep).wallMs));
  const runners: Runner[] = [
    { name: 'frozen layer', trainable: 0, step: frozenStep, peakBytes: frozenProfile.peakBytes, rounds: c.repeats, steps: [], frozen: [], dispose: () => {} },
  ];

  const heavyRepeats = c.heavyRepeats ?? c.repeats;
  const variants = adaptedVariants(c, positions).filter(([name]) => only === undefined || only.some((prefix) => name.startsWith(prefix)));
  for (const [name, make] of variants) {
    // Tensors of the variants built before this one are not this variant's memory.
    const othersBytes = tf.memory().numBytes - sharedBytes;
    const layer = buildAdaptedLayer(make(), c.rows, w0, bias);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = tf.train.adam(1e-3);
    const step = () => {
      const value = optimizer.minimize(() => loss(layer.apply(x, { training: true }) as tf.Tensor), true, vars);
      value?.dataSync();
      value?.dispose();
    };
    // Warm-up (optimizer slots, plans, trig tables), profiled for the peak memory.
    const t0 = performance.now();
    const peakBytes = (await tf.profile(step)).peakBytes - othersBytes;
    const limit = HEAVY_FACTOR * frozenWallMs;
    // A second warm-up step: the first runs kernels the JIT has not optimised yet (and a load
    // spike must not make a light variant heavy), so it is the second step that decides.
    let heavy = performance.now() - t0 > limit;
    if (heavy) heavy = timed(step).wallMs > limit;
    else step();
    runners.push({
      name,
      trainable: layer.adapterParameterCount,
      step,
      peakBytes,
      rounds: heavy ? Math.min(heavyRepeats, c.repeats) : c.repeats,
      steps: [],
      frozen: [],
      dispose: () => {
        optimizer.dispose();
        layer.dispose();
      },
    });
  }

  for (let round = 0; round < c.repeats; round++) {
    const active = runners.filter((r) => round < r.rounds);
    for (let i = 0; i < active.length; i++) {
      const r = active[(i + round) % active.length];
      if ((round + i) % 2 === 0) {
        r.frozen.push(timed(frozenStep));
        r.steps.push(timed(r.step));
      } else {
        r.steps.push(timed(r.step));
        r.frozen.push(timed(frozenStep));
      }
    }
    progress?.(
      `  round ${round + 1}/${c.repeats}: ` +
        active.map((r) => `${r.name} ${(r.steps[round].clockMs - r.frozen[round].clockMs).toFixed(1)} ms over ${r.frozen[round].clockMs.toFixed(1)}`).join('; '),
    );
  }

  const results: StepResult[] = [];
  for (const r of runners) {
    const overheads = r.steps.map((s, i) => (s.clockMs - r.frozen[i].clockMs) / r.frozen[i].clockMs);
    const wallOverheads = r.steps.map((s, i) => (s.wallMs - r.frozen[i].wallMs) / r.frozen[i].wallMs);
    const profiled = r.name === 'frozen layer' || r.name.startsWith('SSH factored') || r.name.startsWith('LoRA');
    results.push({
      variant: r.name,
      trainable: r.trainable,
      ms: median(r.steps.map((s) => s.clockMs)),
      frozenMs: median(r.frozen.map((s) => s.clockMs)),
      overheads,
      wallOverheads,
      peakBytes: r.peakBytes,
      kernels: profiled ? await kernelTimes(r.step, PROFILED_STEPS) : undefined,
    });
    r.dispose();
  }
  tf.dispose([x, w0, bias]);
  return results;
}
