/**
 * The adaptable weight matrices of a model file, whatever its format: `.safetensors`
 * (2-D float tensors) or `.onnx` (the MatMul/Gemm weight initializers, via @ssh-peft/onnx).
 */
import { extname } from 'node:path';
import type { LayerInput } from '@ssh-peft/selection';
import { CliInputError, CliUsageError } from '../errors';
import { readInputFile } from '../fs/read-input';
import { safetensorsWeights } from './safetensors-weights';
import { onnxWeights } from './onnx-weights';

/** Model formats `select` and `inspect` read. */
export type ModelFormat = 'onnx' | 'safetensors';

/** The format of `path` from its extension (a usage error otherwise: the user named the file). */
export function modelFormatOf(path: string): ModelFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.onnx') return 'onnx';
  if (ext === '.safetensors') return 'safetensors';
  throw new CliUsageError(`--model ${path}: unknown model format '${ext || '(no extension)'}' (expected .onnx or .safetensors)`);
}

/**
 * Reads the weight matrices of a model file (the file is only read).
 *
 * @example
 * ```ts
 * const layers = await readModelWeights('base.onnx', /_(q|k|v|o)$/);
 * ```
 */
export async function readModelWeights(path: string, targets?: RegExp): Promise<LayerInput[]> {
  const format = modelFormatOf(path);
  const bytes = readInputFile(path, 'model');
  const layers = format === 'onnx' ? await onnxWeights(bytes, path, targets) : safetensorsWeights(bytes, path, targets);
  if (layers.length === 0) {
    throw new CliInputError(path, `has no 2-D float weight${targets ? ` whose name matches /${targets.source}/` : ''} to select positions in`);
  }
  return layers;
}
