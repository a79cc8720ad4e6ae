/**
 * `ssh-peft inspect <file>`: what a file holds, for people (or `--json`):
 * - an adapter (`.safetensors` with the ssh-peft header, or a PEFT directory): layers, shapes,
 *   coefficient counts and statistics, α, configuration;
 * - a selection plan (`.json`): layers, positions, energy captured;
 * - a model (`.onnx`, or `.safetensors` without the adapter header): its weight matrices and
 *   parameter counts.
 */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { decodeSafetensors, describeAdapter, type SshAdapter } from '@ssh-peft/adapter';
import { loadAdapter } from '@ssh-peft/adapter/node';
import type { AdaptableWeightInput } from '@ssh-peft/onnx';
import { parsePlan } from '@ssh-peft/selection';
import type { CommandContext, CommandOutput } from '../cli-context';
import { CliInputError } from '../errors';
import { readInputFile } from '../fs/read-input';
import { isAdapterFile } from '../model-io/safetensors-weights';
import { readModelWeights } from '../model-io/model-weights';
import { planSummary } from './inspect-plan';
import { formatTable } from './table';

/** min, max and root-mean-square of a coefficient vector. */
function stats(values: Float32Array): { min: number; max: number; rms: number } {
  let min = Infinity;
  let max = -Infinity;
  let sq = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sq += v * v;
  }
  return values.length === 0 ? { min: 0, max: 0, rms: 0 } : { min, max, rms: Math.sqrt(sq / values.length) };
}

/** Summary of an adapter. */
export function adapterSummary(adapter: SshAdapter): { json: Record<string, unknown>; text: string } {
  const description = describeAdapter(adapter);
  const layers = adapter.layers.map((l) => ({ name: l.name, rows: l.rows, cols: l.cols, coefficients: l.indices.length, alpha: l.alpha, ...stats(l.coefficients) }));
  const c = adapter.config;
  const text = [
    `ssh-peft adapter v${adapter.version}: ${c.variant} DHT (${c.normalization}), init ${c.init}, seed ${c.seed}` +
      (c.selection?.strategy ? `, selection ${c.selection.strategy}` : ''),
    formatTable(
      ['layer', 'shape', 'coefficients', 'alpha', 'min', 'max', 'rms'],
      layers.map((l) => [l.name, `${l.rows}×${l.cols}`, String(l.coefficients), String(l.alpha), l.min.toPrecision(3), l.max.toPrecision(3), l.rms.toPrecision(3)]),
      ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    ),
    description.text + ' (all params = the adapted weights + the adapter; the file does not know the rest of the model)',
  ].join('\n');
  return {
    json: { kind: 'adapter', config: c, layers, trainableParameters: description.trainableParameters, adaptedParameters: description.adaptedParameters },
    text,
  };
}

/** Summary of a model's weight matrices (for ONNX, also how each is stored and used). */
async function modelSummary(path: string): Promise<{ json: Record<string, unknown>; text: string }> {
  const layers = await readModelWeights(path);
  const rows = layers.map((l) => ({
    name: l.name,
    rows: l.rows,
    cols: l.cols,
    parameters: l.rows * l.cols,
    ...('orientation' in l ? { orientation: (l as AdaptableWeightInput).orientation, dtype: (l as AdaptableWeightInput).dtype } : {}),
  }));
  const total = rows.reduce((s, l) => s + l.parameters, 0);
  const onnx = rows.some((l) => 'orientation' in l);
  const stored = (l: (typeof rows)[number]) => ('orientation' in l ? `${l.orientation === 'gemm-transB' ? `Gemm transB=1, stored ${l.cols}×${l.rows}` : 'MatMul/Gemm B'}, ${l.dtype}` : '');
  return {
    json: { kind: 'model', layers: rows, matrixParameters: total },
    text: [
      `model ${path}: ${rows.length} weight matri${rows.length === 1 ? 'x' : 'ces'} that SSH can adapt (shapes [d_in, d_out])`,
      formatTable(
        ['weight', 'shape', 'parameters', ...(onnx ? ['use'] : [])],
        rows.map((l) => [l.name, `${l.rows}×${l.cols}`, l.parameters.toLocaleString('en-US'), ...(onnx ? [stored(l)] : [])]),
        ['left', 'left', 'right', ...(onnx ? (['left'] as const) : [])],
      ),
      `${total.toLocaleString('en-US')} parameters in these matrices`,
    ].join('\n'),
  };
}

/** Runs `inspect`. */
export async function runInspectCommand(_options: Record<string, unknown>, args: string[], _context: CommandContext): Promise<CommandOutput> {
  const [path] = args;
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliInputError(path, code === 'ENOENT' ? 'file not found' : `cannot access (${code ?? String(error)})`);
  }
  if (isDirectory) return adapterSummary(await loadAdapter(path));
  const ext = extname(path).toLowerCase();
  if (ext === '.json') {
    const text = readInputFile(path, 'plan').toString('utf8');
    return planSummary(parsePlan(text));
  }
  if (ext === '.safetensors') {
    const bytes = readInputFile(path, 'safetensors file');
    if (isAdapterFile(decodeSafetensors(bytes, { file: path }))) return adapterSummary(await loadAdapter(path));
    return modelSummary(path);
  }
  if (ext === '.onnx') return modelSummary(path);
  throw new CliInputError(path, `cannot tell what this is from its extension '${ext || '(none)'}' (expected .safetensors, .json, .onnx or an adapter directory)`);
}
