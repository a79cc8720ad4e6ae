/**
 * Page script of the browser bench: the test harness (window.sshHarness) plus the
 * training-step benchmark of the cpu table with async readback (training-step-async.ts),
 * exposed as window.sshTrainingBench. One bundle, so one tfjs-core.
 */
import * as tf from '@tensorflow/tfjs-core';
import { installHarness } from '../../test/browser/harness/page-entry';
import { dhtLastAxis } from '../../src/ops/dht';
import type { StepCase } from '../training-step';
import { benchTrainingStepAsync, type BrowserStepResult } from './training-step-async';
import { benchModelStep, prepareModelVariants, type ModelStepRow, type ModelVariants } from './model-step';
import { dhtWithPlan, gpuPlan } from '../../test/browser/harness/page-bench';
import { seededValues } from '../../test/browser/harness/seeded-values';
import type { PlanVariant } from '../../test/browser/harness/harness-api';
import { PASS_COST_SHAPE, runPassCost, type PassCostVariant } from './pass-cost';
import { disposeAdapterLayers, prepareAdapterLayers, runAdapterWork, type AdapterWork } from './adapter-work';

export interface TrainingBenchApi {
  run(args: { backend: string; stepCase: StepCase; only?: string[] }): Promise<BrowserStepResult[]>;
  /**
   * The same step with this package's kernels unregistered from `backend` for the
   * duration (the composed route of stock ops, as on a backend we have no kernels for),
   * restricted to the variants starting with one of `only`.
   */
  runComposed(args: { backend: string; stepCase: StepCase; only: string[] }): Promise<BrowserStepResult[]>;
  model(args: { backend: string; repeats: number }): Promise<ModelStepRow[]>;
  /**
   * For cpu-time.ts: `steps` training steps of one whole-model variant (the variants are
   * built and warmed up on the first call and kept until `disposeModels`); wall ms.
   */
  modelSteps(args: { backend: string; variant: string; steps: number }): Promise<number>;
  /** The whole-model variants' names on `backend`. */
  modelVariants(args: { backend: string }): Promise<string[]>;
  disposeModels(): Promise<void>;
  /** For cpu-time.ts: `runs` transforms of x [rows, n] with the schedule and layout of `plan`, one readback; wall ms. */
  dhtRuns(args: { backend: string; n: number; rows: number; plan: PlanVariant; runs: number }): Promise<number>;
  /** For cpu-time.ts: `runs` steps' worth of one adapter's own kernels on the whole model's shapes (adapter-work.ts), one readback; wall ms. */
  adapterRuns(args: { backend: string; work: AdapterWork; runs: number }): Promise<number>;
  /** For cpu-time.ts: `runs` webgl passes of a pass-cost shader (pass-cost.ts) over [512, 1024]; wall ms. */
  passCostRuns(args: { variant: PassCostVariant; runs: number }): Promise<number>;
}

let prepared: { backend: string; models: ModelVariants } | null = null;
let adapterLayers: { backend: string; layers: ReturnType<typeof prepareAdapterLayers> } | null = null;

async function preparedModels(backend: string): Promise<ModelVariants> {
  await use(backend);
  if (prepared !== null && prepared.backend !== backend) {
    prepared.models.dispose();
    prepared = null;
  }
  if (prepared === null) prepared = { backend, models: await prepareModelVariants() };
  return prepared.models;
}

async function use(backend: string): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
}

const api: TrainingBenchApi = {
  async run({ backend, stepCase, only }) {
    await use(backend);
    return benchTrainingStepAsync(stepCase, only);
  },
  async runComposed({ backend, stepCase, only }) {
    await use(backend);
    // One op first: ops re-register missing kernels when the active backend changes.
    tf.dispose(dhtLastAxis(tf.ones([1, 4])));
    const ours = tf.getKernelsForBackend(backend).filter((k) => k.kernelName.startsWith('Ssh'));
    for (const k of ours) tf.unregisterKernel(k.kernelName, backend);
    try {
      return await benchTrainingStepAsync(stepCase, only);
    } finally {
      for (const k of ours) tf.registerKernel(k);
    }
  },
  async model({ backend, repeats }) {
    await use(backend);
    return benchModelStep(repeats);
  },
  async modelSteps({ backend, variant, steps }) {
    const { variants, step } = await preparedModels(backend);
    const found = variants.find(([name]) => name === variant);
    if (found === undefined) throw new Error(`no whole-model variant '${variant}' on ${backend}`);
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step(variant, found[1]);
    return performance.now() - t0;
  },
  async modelVariants({ backend }) {
    return (await preparedModels(backend)).variants.map(([name]) => name);
  },
  async disposeModels() {
    prepared?.models.dispose();
    prepared = null;
  },
  async dhtRuns({ backend, n, rows, plan: variant, runs }) {
    await use(backend);
    const { label: _label, webglLayout, ...options } = variant;
    const plan = gpuPlan(backend, n, options);
    const x = tf.tensor2d(seededValues(n, rows * n), [rows, n]);
    tf.dispose(dhtWithPlan(backend, x as tf.Tensor2D, plan, webglLayout));
    await x.data();
    const t0 = performance.now();
    let last: tf.Tensor | null = null;
    for (let i = 0; i < runs; i++) {
      if (last !== null) last.dispose();
      last = dhtWithPlan(backend, x as tf.Tensor2D, plan, webglLayout);
    }
    await (last as tf.Tensor).data();
    const ms = performance.now() - t0;
    tf.dispose([x, last as tf.Tensor]);
    return ms;
  },
  async adapterRuns({ backend, work, runs }) {
    await use(backend);
    if (adapterLayers !== null && adapterLayers.backend !== backend) {
      disposeAdapterLayers(adapterLayers.layers);
      adapterLayers = null;
    }
    // Built and uploaded once per backend (the first call is the warm-up that cpu-time.ts discards).
    adapterLayers ??= { backend, layers: prepareAdapterLayers() };
    const { layers } = adapterLayers;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) {
      const out = runAdapterWork(work, layers);
      // Wait for the GPU once per step, as a training step does when it reads its loss.
      await out[out.length - 1].data();
      tf.dispose(out);
    }
    return performance.now() - t0;
  },
  async passCostRuns({ variant, runs }) {
    await use('webgl');
    const x = tf.tensor2d(seededValues(7, PASS_COST_SHAPE[0] * PASS_COST_SHAPE[1]), PASS_COST_SHAPE);
    try {
      return await runPassCost(x, variant, runs);
    } finally {
      x.dispose();
    }
  },
};

installHarness();
(window as unknown as { sshTrainingBench: TrainingBenchApi }).sshTrainingBench = api;
