/**
 * `ssh-peft demo` (what `npm start` runs): the whole pipeline on MNIST, see
 * docs/demo.md. Prints the report's summary (`--json`: one JSON object).
 */
import { resolve } from 'node:path';
import type { CommandContext, CommandOutput } from '../cli-context';
import { defaultCacheDirectory, ModelCache } from '../cache/model-cache';
import { CliOutputExistsError } from '../errors';
import { existsSync } from 'node:fs';
import type { TargetTask } from '../data/target-task';
import { demoConfig } from '../pipeline/demo-config';
import { demoSummary } from '../pipeline/demo-report';
import { runDemo } from '../pipeline/run-demo';

/** Parsed options of `demo`. */
export interface DemoOptions {
  seed: number;
  quick: boolean;
  task: TargetTask;
  out: string;
  budget?: number;
  steps?: number;
  cacheDir?: string;
  cache: boolean;
  headBaseline: boolean;
  force: boolean;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Runs `demo`. */
export async function runDemoCommand(options: DemoOptions, _args: string[], context: CommandContext): Promise<CommandOutput> {
  const outDir = resolve(context.io.cwd, options.out);
  // Checked before any work: a long run must not fail at its very end.
  if (existsSync(outDir) && !options.force) throw new CliOutputExistsError(options.out);
  const cacheDir = options.cacheDir ? resolve(context.io.cwd, options.cacheDir) : defaultCacheDirectory(context.io.cwd);
  // Also before any work: a cache root that is a file or not writable would fail after pretraining.
  new ModelCache(cacheDir).assertUsable();
  const config = demoConfig({ seed: options.seed, quick: options.quick, task: options.task, budget: options.budget, steps: options.steps, headBaseline: options.headBaseline });
  const report = await runDemo(config, {
    outDir,
    force: options.force,
    cacheDir,
    useCache: options.cache,
    progress: context.progress,
    signal: context.signal,
    onForcedExit: context.onForcedExit,
  });
  const head = report.baselines.headOnly;
  const text = [
    `target task: ${report.task.name} (${report.task.description})`,
    `base model: ${pct(report.pretraining.sourceAccuracy)} on upright digits, ${pct(report.baseAccuracy)} on the target task${report.pretraining.cached ? ' (from cache)' : ''}`,
    ...(head ? [`head-only baseline: ${pct(head.accuracy)} with ${head.trainableParams} trainable parameters`] : []),
    `SSH: ${pct(report.adaptedAccuracy)} with ${report.trainableParams.toLocaleString('en-US')} trainable of ${report.totalParams.toLocaleString('en-US')} parameters (${report.adaptation.trainablePercent.toFixed(2)} %)`,
    `ONNX (merged): ${pct(report.onnxAccuracy)}, max |ONNX − tfjs| = ${report.maxAbsDiff.toExponential(2)}`,
    `report: ${report.reportDir}/report.md (${report.seconds.toFixed(1)} s)`,
  ].join('\n');
  return { json: demoSummary(report), text };
}
