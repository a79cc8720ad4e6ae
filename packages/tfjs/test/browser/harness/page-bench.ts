/**
 * Benchmarks that run inside the page (bundled with page-entry.ts). Times are wall
 * clock around queued GPU work with one readback at the end, amortised over the runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dhtLastAxis } from '../../../src/ops/dht';
import type { HartleyPassPlan } from '../../../src/kernels/gpu-common/hartley-pass-plan';
import { runWebGLHartley, WEBGL_BLUESTEIN_MIN_PRIME, WEBGL_DIRECT_MAX_LENGTH, WEBGL_PASS_LAYOUT, WEBGL_RADICES } from '../../../src/kernels/webgl/dht-webgl';
import type { WebGLPassLayout } from '../../../src/kernels/webgl/hartley-pass-program';
import { runWebGPUHartley, WEBGPU_BLUESTEIN_MIN_PRIME, WEBGPU_DIRECT_MAX_LENGTH, WEBGPU_RADICES } from '../../../src/kernels/webgpu/dht-webgpu';
import { planGpuDht, type GpuDhtPlan, type GpuDhtPlanOptions } from '../../../src/kernels/gpu-common/bluestein-stage';
import type { BenchDhtArgs, BenchDhtResult, Timing } from './harness-api';
import { seededValues } from './seeded-values';

/**
 * Times `make` (which returns a fresh tensor) with repetitions fitted to `budgetMs`.
 * The first call compiles shaders and is not counted, unless a single call is far over
 * budget (tfjs's O(N²) rfft at large N), where compilation is negligible and one run is
 * all the budget allows.
 */
async function timeOp(make: () => tf.Tensor | tf.Tensor[], budgetMs: number, maxRuns = 30): Promise<Timing> {
  const sync = async (t: tf.Tensor | tf.Tensor[]) => {
    for (const x of Array.isArray(t) ? t : [t]) await x.data();
    tf.dispose(t);
  };
  let t0 = performance.now();
  await sync(make());
  const warm = performance.now() - t0;
  if (warm > 4 * budgetMs) return { ms: warm, runs: 1 };
  t0 = performance.now();
  await sync(make());
  const probe = performance.now() - t0;
  if (probe > budgetMs) return { ms: probe, runs: 1 };
  const runs = Math.max(2, Math.min(maxRuns, Math.floor(budgetMs / Math.max(probe, 0.05))));
  t0 = performance.now();
  let last: tf.Tensor | tf.Tensor[] | null = null;
  for (let i = 0; i < runs; i++) {
    if (last !== null) tf.dispose(last);
    last = make();
  }
  await sync(last as tf.Tensor | tf.Tensor[]);
  return { ms: (performance.now() - t0) / runs, runs };
}

function casMatrix(n: number): Float32Array {
  const c = new Float32Array(n * n);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      const a = (2 * Math.PI * ((k * j) % n)) / n;
      c[k * n + j] = Math.cos(a) + Math.sin(a);
    }
  }
  return c;
}

/** The backend's default schedule options, with `overrides` applied. */
export function gpuPlan(backendName: string, n: number, overrides: Partial<GpuDhtPlanOptions>): GpuDhtPlan {
  const defaults: GpuDhtPlanOptions =
    backendName === 'webgl'
      ? { directMaxLength: WEBGL_DIRECT_MAX_LENGTH, radices: WEBGL_RADICES, bluesteinMinPrime: WEBGL_BLUESTEIN_MIN_PRIME }
      : { directMaxLength: WEBGPU_DIRECT_MAX_LENGTH, radices: WEBGPU_RADICES, bluesteinMinPrime: WEBGPU_BLUESTEIN_MIN_PRIME };
  return planGpuDht(n, { ...defaults, ...overrides });
}

/** Runs the kernel's pass loop with an explicit schedule (for the threshold measurement). */
export function dhtWithPlan(
  backendName: string,
  x: tf.Tensor2D,
  plan: HartleyPassPlan & { bluestein?: GpuDhtPlan['bluestein'] },
  webglLayout: WebGLPassLayout = WEBGL_PASS_LAYOUT,
): tf.Tensor {
  const backend = tf.backend() as never;
  const info = { dataId: x.dataId, shape: x.shape, dtype: 'float32' as const };
  const out = backendName === 'webgl' ? runWebGLHartley(backend, info, 1, plan, webglLayout) : runWebGPUHartley(backend, info, 1, plan);
  return tf.engine().makeTensorFromTensorInfo(out);
}

export async function benchDhtOp(args: BenchDhtArgs): Promise<BenchDhtResult> {
  const { backend, n, rows, budgetMs, rfftBudgetMs } = args;
  const x = tf.tensor2d(seededValues(n, rows * n), [rows, n]);
  const dht = await timeOp(() => dhtLastAxis(x), budgetMs);
  let rfft: Timing | null = null;
  let casMatMul: Timing | null = null;
  if (args.rfft) rfft = await timeOp(() => tf.spectral.rfft(x), rfftBudgetMs, 10);
  // The dense N×N cas matrix is the "small N" alternative; beyond 4096 it no longer fits comfortably.
  if (args.casMatMul && n <= 4096) {
    const c = tf.tensor2d(casMatrix(n), [n, n]);
    casMatMul = await timeOp(() => tf.matMul(x, c), budgetMs);
    c.dispose();
  }
  const plans: BenchDhtResult['plans'] = {};
  for (const variant of args.plans) {
    const { label, webglLayout, ...options } = variant;
    const plan = gpuPlan(backend, n, options);
    const stage = plan.bluestein;
    const bluestein = stage ? `Q = ${stage.length}, M = ${stage.convLength}, ${plan.passes.length} passes` : undefined;
    plans[label] = { ...(await timeOp(() => dhtWithPlan(backend, x, plan, webglLayout), budgetMs)), passes: plan.passes.length + (stage ? 2 * stage.convPlan.passes.length + 3 : 0), bluestein };
  }
  x.dispose();
  return { dht, rfft, casMatMul, plans };
}
