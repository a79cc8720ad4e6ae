/**
 * Page script of the browser bench: the test harness (window.sshHarness) plus the
 * training-step benchmark of the cpu table with async readback (training-step-async.ts),
 * exposed as window.sshTrainingBench. One bundle, so one tfjs-core.
 */
import * as tf from '@tensorflow/tfjs-core';
import { installHarness } from '../../test/browser/harness/page-entry';
import type { StepCase } from '../training-step';
import { benchTrainingStepAsync, type BrowserStepResult } from './training-step-async';
import { benchModelStep, type ModelStepRow } from './model-step';

export interface TrainingBenchApi {
  run(args: { backend: string; stepCase: StepCase }): Promise<BrowserStepResult[]>;
  model(args: { backend: string; repeats: number }): Promise<ModelStepRow[]>;
}

async function use(backend: string): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
}

const api: TrainingBenchApi = {
  async run({ backend, stepCase }) {
    await use(backend);
    return benchTrainingStepAsync(stepCase);
  },
  async model({ backend, repeats }) {
    await use(backend);
    return benchModelStep(repeats);
  },
};

installHarness();
(window as unknown as { sshTrainingBench: TrainingBenchApi }).sshTrainingBench = api;
