/**
 * `ssh-peft merge --model in.onnx --adapter a.safetensors --out out.onnx [--map layer=init]`:
 * W = W0 + ΔW into a copy of the model with @ssh-peft/onnx's `mergeAdapterFile` (the input is
 * never modified; the base is verified by shape and fingerprint before any weight changes).
 */
import { loadAdapter } from '@ssh-peft/adapter/node';
import { mergeAdapterFile } from '@ssh-peft/onnx';
import type { CommandContext, CommandOutput } from '../cli-context';
import { assertNotSameFile, assertOutputWritable } from '../fs/output-guard';
import { checkInputFile } from '../fs/read-input';
import { modelFormatOf } from '../model-io/model-weights';
import { CliUsageError } from '../errors';
import { throwIfInterrupted } from '../interrupt';

/** Parsed options of `merge`. */
export interface MergeCommandOptions {
  model: string;
  adapter: string;
  out: string;
  map: string[];
  force: boolean;
}

/** Parses `--map layer=initializer` flags. */
export function parseLayerMap(entries: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) throw new CliUsageError(`--map '${entry}': expected <adapter layer>=<onnx initializer>`);
    const layer = entry.slice(0, eq);
    if (map.has(layer)) throw new CliUsageError(`--map: layer '${layer}' is mapped twice`);
    map.set(layer, entry.slice(eq + 1));
  }
  return map;
}

/** Runs `merge`. */
export async function runMergeCommand(options: MergeCommandOptions, _args: string[], context: CommandContext): Promise<CommandOutput> {
  if (modelFormatOf(options.model) !== 'onnx') throw new CliUsageError(`merge: --model must be an .onnx file, got ${options.model}`);
  const map = parseLayerMap(options.map);
  assertNotSameFile(options.model, options.out);
  assertNotSameFile(options.adapter, options.out);
  const out = assertOutputWritable(options.out, options.force);
  // Only checked here: mergeAdapterFile reads the model, once.
  checkInputFile(options.model, 'model');
  const adapter = await loadAdapter(options.adapter);
  for (const layer of map.keys()) {
    if (!adapter.layers.some((l) => l.name === layer)) {
      throw new CliUsageError(`--map: the adapter has no layer '${layer}' (its layers: ${adapter.layers.map((l) => l.name).join(', ')})`);
    }
  }
  // @ssh-peft/onnx maps graph names to layer names; the flag reads the other way round.
  const mapping = Object.fromEntries([...map].map(([layer, initializer]) => [initializer, layer]));
  throwIfInterrupted(context.signal, 'merge');
  if (context.flags.verbose) context.progress.note(`merging ${adapter.layers.length} layer(s) into ${out}`);
  let report;
  try {
    report = await mergeAdapterFile(options.model, adapter, out, { mapping, overwrite: options.force, signal: context.signal });
  } catch (error) {
    // Aborted by Ctrl-C: mergeAdapterFile has removed its temporary files and written nothing.
    throwIfInterrupted(context.signal, 'merge');
    throw error;
  }
  const coefficients = adapter.layers.reduce((s, l) => s + l.indices.length, 0);
  return {
    json: { ok: true, out, layers: report.layers, warnings: report.warnings, files: report.files, coefficients },
    text: [
      ...report.layers.map((l) => `${l.layer} → ${l.weight} (${l.orientation})`),
      ...report.warnings.map((w) => `warning: ${w}`),
      `merged ${report.layers.length} layer(s), ${coefficients} coefficients → ${report.files.join(', ')}`,
    ].join('\n'),
  };
}
