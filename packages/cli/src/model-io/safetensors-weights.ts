/**
 * Weight matrices of a `.safetensors` model file, for `select` and `inspect`. Every 2-D
 * F32/F64 tensor is a candidate layer, read as `[d_in, d_out]` row-major — the project's
 * convention (tfjs Dense kernels, ONNX MatMul weights). PyTorch `nn.Linear` stores
 * `[out, in]`: read such checkpoints with `select --layout torch` (torch-checkpoint.ts), which
 * transposes them and streams sharded checkpoints.
 */
import { decodeSafetensors, type SafetensorsFile } from '@ssh-peft/adapter';
import type { LayerInput } from '@ssh-peft/selection';
import { CliInputError } from '../errors';

/** The ssh-peft adapter marker in a safetensors header. */
export const ADAPTER_FORMAT_KEY = 'ssh_peft.format';

/** Whether a decoded safetensors file is an ssh-peft adapter rather than a model. */
export function isAdapterFile(file: SafetensorsFile): boolean {
  return Object.prototype.hasOwnProperty.call(file.metadata, ADAPTER_FORMAT_KEY);
}

/** Little-endian bytes of an F32/F64 tensor as a typed array (copied: the source may be unaligned). */
function floats(bytes: Uint8Array, dtype: 'F32' | 'F64'): Float32Array | Float64Array {
  const size = dtype === 'F32' ? 4 : 8;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = dtype === 'F32' ? new Float32Array(bytes.length / size) : new Float64Array(bytes.length / size);
  for (let i = 0; i < out.length; i++) out[i] = dtype === 'F32' ? view.getFloat32(i * size, true) : view.getFloat64(i * size, true);
  return out;
}

/**
 * The 2-D float weights of a safetensors model, optionally filtered by name.
 *
 * @example
 * ```ts
 * const layers = safetensorsWeights(readFileSync('model.safetensors'), 'model.safetensors', /_(q|v)$/);
 * ```
 */
export function safetensorsWeights(bytes: Uint8Array, path: string, targets?: RegExp): LayerInput[] {
  const file = decodeSafetensors(bytes, { file: path });
  if (isAdapterFile(file)) throw new CliInputError(path, 'is an ssh-peft adapter, not a model (select needs the base model weights)');
  const layers: LayerInput[] = [];
  for (const tensor of file.tensors.values()) {
    if (tensor.shape.length !== 2 || (tensor.dtype !== 'F32' && tensor.dtype !== 'F64')) continue;
    if (targets && !targets.test(tensor.name)) continue;
    const [rows, cols] = tensor.shape;
    if (rows === 0 || cols === 0) continue;
    layers.push({ name: tensor.name, rows, cols, weights: floats(tensor.bytes, tensor.dtype) });
  }
  return layers;
}
