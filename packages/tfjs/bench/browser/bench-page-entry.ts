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
import { benchModelStep, type ModelStepRow } from './model-step';

export interface TrainingBenchApi {
  run(args: { backend: string; stepCase: StepCase; only?: string[] }): Promise<BrowserStepResult[]>;
  /**
   * The same step with this package's kernels unregistered from `backend` for the
   * duration (the composed route of stock ops, as on a backend we have no kernels for),
   * restricted to the variants starting with one of `only`.
   */
  runComposed(args: { backend: string; stepCase: StepCase; only: string[] }): Promise<BrowserStepResult[]>;
  model(args: { backend: string; repeats: number }): Promise<ModelStepRow[]>;
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
};

installHarness();
(window as unknown as { sshTrainingBench: TrainingBenchApi }).sshTrainingBench = api;
