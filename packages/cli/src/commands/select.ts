/**
 * `ssh-peft select --model <onnx|safetensors> --budget N [--strategy global] --out plan.json`:
 * scores every weight's Hartley spectrum and writes the chosen positions as a plan.
 */
import { DEFAULT_GLOBAL_SCORE, selectSpectrum, serializePlan, type GlobalScore, type SelectionOptions, type SelectionPlan } from '@ssh-peft/selection';
import type { CommandContext, CommandOutput } from '../cli-context';
import { CliUsageError } from '../errors';
import { writeFileAtomic } from '@ssh-peft/adapter/node';
import { assertNotSameFile, assertOutputWritable } from '../fs/output-guard';
import { throwIfInterrupted } from '../interrupt';
import { readModelWeights } from '../model-io/model-weights';
import { TorchCheckpointLayers } from '../model-io/torch-checkpoint';
import { planSummary } from './inspect-plan';

/** Parsed options of `select`. */
export interface SelectOptions {
  model: string;
  out: string;
  budget?: number;
  perLayer?: number;
  strategy: 'global' | 'per-layer';
  /** `'global'` score across layers (default {@link DEFAULT_GLOBAL_SCORE}). */
  score?: GlobalScore;
  energyRatio: number;
  seed: number;
  targets?: string;
  /** Weight layout: 'in-out' ([d_in, d_out] as stored) or 'torch' (nn.Linear [d_out, d_in], sharded checkpoints streamed). */
  layout?: 'in-out' | 'torch';
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
    return { strategy: 'global', budget: options.budget, energyRatio: options.energyRatio, seed: options.seed, score: options.score ?? DEFAULT_GLOBAL_SCORE };
  }
  if (options.score !== undefined) throw new CliUsageError('select: --score applies to --strategy global only');
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
  const layers = options.layout === 'torch' ? new TorchCheckpointLayers(options.model, targets) : await readModelWeights(options.model, targets);
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
