/**
 * The adaptable weights of an ONNX model for `select` and `inspect`, found by @ssh-peft/onnx's
 * one weight discovery (the walk `merge` and hot-swap use): MatMul and Gemm B inputs of any float
 * dtype, through precision Casts, inline or external data, in `[d_in, d_out]` orientation (a
 * `Gemm transB=1` weight is transposed), named by initializer — so a plan made from them merges
 * back into the same model with no mapping.
 */
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { readAdaptableWeights, type AdaptableWeightInput } from '@ssh-peft/onnx';

/**
 * The adaptable weights of the ONNX model in `bytes` (read from `path`; external data is read
 * from `path`'s directory), optionally filtered by name.
 *
 * @example
 * ```ts
 * const weights = await onnxWeights(readFileSync('model.onnx'), 'model.onnx', /\.weight$/);
 * ```
 */
export async function onnxWeights(bytes: Uint8Array, path: string, targets?: RegExp): Promise<AdaptableWeightInput[]> {
  return readAdaptableWeights(bytes, { baseDir: dirname(realpathSync(path)), source: path, filter: targets ? (name) => targets.test(name) : undefined });
}
