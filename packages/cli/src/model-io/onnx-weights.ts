import type { LayerInput } from '@ssh-peft/selection';
import { adaptableWeights, decodeOnnx, readInitializer } from '../onnx-io/onnx-model';

/** The MatMul/Gemm weights of an ONNX model as selection inputs, optionally filtered by name. */
export async function onnxWeights(bytes: Uint8Array, path: string, targets?: RegExp): Promise<LayerInput[]> {
  const model = decodeOnnx(bytes, path);
  return adaptableWeights(model)
    .filter((w) => !targets || targets.test(w.name))
    .map((w) => ({ name: w.name, rows: w.rows, cols: w.cols, weights: readInitializer(model, w.name, path) }));
}
