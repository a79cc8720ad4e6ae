/**
 * One task end to end: pretrain the base model, then for every method a learning-rate
 * search on the validation split (seed 0, same number of candidates for every method) and
 * the remaining seeds at the chosen rate; test accuracy mean ± std over seeds.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { applyMethod, type MethodEntry } from './methods';
import type { MethodResult, RunRecord, TaskResult } from './results-types';
import { argmaxFirst, meanStd } from './stats';
import type { PreparedTask } from './tasks';
import { accuracy, train } from './train';

export interface ProtocolOptions {
  pretrainEpochs: number;
  pretrainLearningRate: number;
  adaptEpochs: number;
  batchSize: number;
  seeds: number;
  log(line: string): void;
}

type Snapshot = Array<{ shape: number[]; values: Float32Array }>;

function freshCopy(task: PreparedTask, snapshot: Snapshot): tfl.LayersModel {
  const model = task.buildModel();
  const tensors = snapshot.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

async function pretrain(task: PreparedTask, o: ProtocolOptions): Promise<{ snapshot: Snapshot; base: TaskResult['base'] }> {
  const started = performance.now();
  const model = task.buildModel();
  for (const l of model.layers) l.trainable = true;
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const outcome = await train(model, vars, [], task.pretrain, {
    epochs: o.pretrainEpochs,
    batchSize: o.batchSize,
    bodyLearningRate: o.pretrainLearningRate,
    headLearningRate: o.pretrainLearningRate,
    seed: 12345,
    numClasses: task.numClasses,
  });
  if (outcome.diverged) throw new Error(`${task.id}: pretraining diverged (loss ${outcome.finalLoss}); lower --pretrain-lr`);
  const base = {
    sourceValAccuracy: accuracy(model, task.pretrainVal),
    targetTestAccuracyBeforeAdaptation: accuracy(model, task.test),
    pretrainSeconds: (performance.now() - started) / 1000,
    parameters: model.countParams(),
  };
  const snapshot = model.getWeights().map((t) => ({ shape: t.shape.slice(), values: Float32Array.from(t.dataSync()) }));
  model.dispose();
  tf.disposeVariables();
  return { snapshot, base };
}

async function runOnce(task: PreparedTask, snapshot: Snapshot, method: MethodEntry, lr: number, headLr: number, seed: number, o: ProtocolOptions) {
  const applied = await applyMethod(freshCopy(task, snapshot), method.spec, seed);
  const outcome = await train(applied.model, applied.bodyVariables, applied.headVariables, task.adapt, {
    epochs: o.adaptEpochs,
    batchSize: o.batchSize,
    bodyLearningRate: lr,
    headLearningRate: method.family === 'head' ? lr : headLr,
    seed,
    numClasses: task.numClasses,
  });
  const record: RunRecord = {
    seed,
    learningRate: lr,
    valAccuracy: accuracy(applied.model, task.val),
    testAccuracy: accuracy(applied.model, task.test),
    secondsPerEpoch: outcome.secondsPerEpoch,
    diverged: outcome.diverged,
  };
  const params = { adapterParameters: applied.adapterParameters, trainableParameters: applied.trainableParameters };
  applied.model.dispose();
  tf.disposeVariables();
  o.log(`  ${method.id.padEnd(22)} lr ${lr.toExponential(0)} seed ${seed}: val ${record.valAccuracy.toFixed(3)} test ${record.testAccuracy.toFixed(3)} ${record.secondsPerEpoch.toFixed(1)} s/epoch${record.diverged ? ' DIVERGED' : ''}`);
  return { record, params };
}

/**
 * Runs `methods` on `task`. The head-only method must come first: its chosen rate becomes
 * the head rate of every other method.
 */
export async function runTask(task: PreparedTask, methods: MethodEntry[], o: ProtocolOptions): Promise<TaskResult> {
  const started = performance.now();
  o.log(`[${task.id}] pretraining on ${task.pretrain.count} examples…`);
  const { snapshot, base } = await pretrain(task, o);
  o.log(`[${task.id}] base model: source val ${base.sourceValAccuracy.toFixed(3)}, target test before adaptation ${base.targetTestAccuracyBeforeAdaptation.toFixed(3)} (${base.pretrainSeconds.toFixed(0)} s)`);
  if (methods[0]?.family !== 'head') throw new Error('runTask: the head-only method must come first (it sets the head learning rate)');
  let headLr = Number.NaN;
  const results: MethodResult[] = [];
  for (const method of methods) {
    const search: RunRecord[] = [];
    let params = { adapterParameters: 0, trainableParameters: 0 };
    for (const lr of method.learningRates) {
      const r = await runOnce(task, snapshot, method, lr, headLr, 0, o);
      search.push(r.record);
      params = r.params;
    }
    const best = argmaxFirst(search.map((r) => (r.diverged ? -1 : r.valAccuracy)));
    const lr = method.learningRates[best];
    if (method.family === 'head') headLr = lr;
    const seeds = [search[best]];
    for (let seed = 1; seed < o.seeds; seed++) seeds.push((await runOnce(task, snapshot, method, lr, headLr, seed, o)).record);
    const { mean, std } = meanStd(seeds.map((r) => r.testAccuracy));
    results.push({
      id: method.id,
      label: method.label,
      family: method.family,
      group: method.group,
      ...params,
      search,
      chosenLearningRate: lr,
      seeds,
      testMean: mean,
      testStd: std,
      secondsPerEpochMean: meanStd(seeds.map((r) => r.secondsPerEpoch)).mean,
    });
    o.log(`[${task.id}] ${method.id}: test ${(100 * mean).toFixed(1)} ± ${(100 * std).toFixed(1)} % (lr ${lr}, ${params.adapterParameters} adapter params)`);
  }
  return { id: task.id, title: task.title, description: task.description, facts: task.facts, base, headLearningRate: headLr, methods: results, wallSeconds: (performance.now() - started) / 1000 };
}
