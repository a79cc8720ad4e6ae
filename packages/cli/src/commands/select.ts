/**
 * `ssh-peft select --model <onnx|safetensors> --budget N [--strategy global] --out plan.json`:
 * scores every weight's Hartley spectrum and writes the chosen positions as a plan.
 */
import { selectSpectrum, serializePlan, type SelectionOptions, type SelectionPlan } from '@ssh-peft/selection';
import type { CommandContext, CommandOutput } from '../cli-context';
import { CliUsageError } from '../errors';
import { writeFileAtomic } from '@ssh-peft/adapter/node';
import { assertNotSameFile, assertOutputWritable } from '../fs/output-guard';
import { throwIfInterrupted } from '../interrupt';
import { readModelWeights } from '../model-io/model-weights';
import { planSummary } from './inspect-plan';

/** Parsed options of `select`. */
export interface SelectOptions {
  model: string;
  out: string;
  budget?: number;
  perLayer?: number;
  strategy: 'global' | 'per-layer';
  energyRatio: number;
  seed: number;
  targets?: string;
  force: boolean;
}

/** Compiles `--targets`, reporting a bad expression as a usage error. */
export function targetsPattern(source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch (error) {
    throw new CliUsageError(`--targets: invalid regular expression '${source}' (${(error as Error).message})`);
  }
}

/** The selection options implied by the flags; contradictory flags are usage errors. */
export function selectionOptionsOf(options: SelectOptions): SelectionOptions {
  if (options.strategy === 'global') {
    if (options.budget === undefined) throw new CliUsageError("select: --strategy global needs --budget <n>");
    if (options.perLayer !== undefined) throw new CliUsageError('select: --per-layer applies to --strategy per-layer only');
    return { strategy: 'global', budget: options.budget, energyRatio: options.energyRatio, seed: options.seed };
  }
  const perLayer = options.perLayer ?? options.budget;
  if (perLayer === undefined) throw new CliUsageError('select: --strategy per-layer needs --per-layer <n> (or --budget <n> as the per-layer count)');
  return { strategy: 'per-layer', perLayer, energyRatio: options.energyRatio, seed: options.seed };
}

/** Runs `select`. */
export async function runSelectCommand(options: SelectOptions, _args: string[], context: CommandContext): Promise<CommandOutput> {
  const selection = selectionOptionsOf(options);
  const targets = targetsPattern(options.targets);
  assertNotSameFile(options.model, options.out);
  const out = assertOutputWritable(options.out, options.force);
  const layers = await readModelWeights(options.model, targets);
  const task = context.progress.start('select', layers.length);
  let plan: SelectionPlan;
  try {
    plan = await selectSpectrum(layers, { ...selection, onProgress: () => task.tick() });
  } finally {
    task.stop();
  }
  throwIfInterrupted(context.signal, 'selection');
  await writeFileAtomic(out, serializePlan(plan), { overwrite: options.force, signal: context.signal });
  const summary = planSummary(plan);
  return {
    json: { ok: true, out, ...summary.json },
    text: `${summary.text}\nwrote ${out}`,
  };
}
