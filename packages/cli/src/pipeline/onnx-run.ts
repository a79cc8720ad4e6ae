/**
 * Batched inference of a `[N, features]` → `[N, classes]` classifier in onnxruntime-node.
 */
import * as ort from 'onnxruntime-node';
import { CliInputError } from '../errors';

/**
 * Runs the ONNX model at `path` on `count` rows of `features` values; returns the
 * row-major outputs of its first output.
 *
 * @example
 * ```ts
 * const probabilities = await runOnnxClassifier('merged.onnx', images, 1000, 784);
 * ```
 */
export async function runOnnxClassifier(path: string, inputs: Float32Array, count: number, features: number, batchSize = 500): Promise<Float32Array> {
  if (inputs.length !== count * features) throw new RangeError(`runOnnxClassifier: ${inputs.length} input values, expected ${count}×${features}`);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
  } catch (error) {
    throw new CliInputError(path, `onnxruntime cannot load this model (${(error as Error).message.split('\n')[0]})`);
  }
  try {
    const inputName = session.inputNames[0];
    const outputName = session.outputNames[0];
    let out: Float32Array | undefined;
    let width = 0;
    for (let start = 0; start < count; start += batchSize) {
      const rows = Math.min(batchSize, count - start);
      const feed = { [inputName]: new ort.Tensor('float32', inputs.subarray(start * features, (start + rows) * features), [rows, features]) };
      const result = (await session.run(feed))[outputName];
      const data = result.data as Float32Array;
      if (out === undefined) {
        width = data.length / rows;
        out = new Float32Array(count * width);
      }
      out.set(data, start * width);
    }
    return out ?? new Float32Array(0);
  } finally {
    await session.release();
  }
}
