/**
 * @packageDocumentation
 * `@ssh-peft/cli` — the `ssh-peft` command line (demo, select, merge, inspect) and
 * the pieces of its demo pipeline, usable programmatically: MNIST loading, seeded splits,
 * target tasks, the base-model cache, atomic outputs and the report plots.
 */
export { runCli, buildProgram } from './program';
export type { CliIo, CommandContext, CommandOutput, GlobalFlags, TextSink } from './cli-context';
export {
  ExitCode,
  CliError,
  CliUsageError,
  CliInputError,
  CliOutputExistsError,
  CliNumericError,
  CliInterruptedError,
  MnistFormatError,
} from './errors';
export { formatError, exitCodeFor } from './format-error';
export { loadMnistDigits, takeDigits, mnistDigitsDirectory, MNIST_PIXELS, MNIST_SIDE, type DigitImages } from './data/mnist';
export { disjointSplit, type IntSource } from './data/split';
export { applyTargetTask, transformImage, TARGET_TASKS, TARGET_TASK_DESCRIPTIONS, type TargetTask } from './data/target-task';
export { ModelCache, defaultCacheDirectory, type CacheEntry } from './cache/model-cache';
export { modelToBytes, modelFromBytes, type ModelBytes } from './cache/model-artifacts';
export { configHash, canonicalJson, bytesHash } from './cache/config-hash';
export { StagedDirectory } from './fs/staged-directory';
export { renderVegaLiteSvg } from './report/render-svg';
export { lossCurvesSpec, accuracySpec, energyMapSpec, type LossPoint, type AccuracyBar, type EnergyMapInput } from './report/plots';
export { spectralEnergy } from './report/spectral-energy';
export { demoConfig, ADAPTED_LAYERS, type DemoConfig, type DemoOverrides, type PretrainConfig } from './pipeline/demo-config';
export { runDemo, type RunDemoOptions } from './pipeline/run-demo';
export { pretrainBaseModel, FROZEN_DURING_PRETRAINING } from './pipeline/pretrain';
export type { DemoReport, ReportLayer } from './pipeline/demo-report';
export { useBackend, type DemoBackend } from './train/backends';
export { silentProgress, terminalProgress, type ProgressReporter, type ProgressTask } from './progress';
export { CLI_VERSION } from './version';
