/** Running exported bytes in ONNX Runtime and comparing outputs with tfjs. */
import * as ort from 'onnxruntime-node';
import { createRandom } from '@ssh-peft/selection';

/** Deterministic uniform values in [-1, 1) from the project's seeded PRNG. */
export function seeded(count: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: count }, () => 2 * random.nextDouble() - 1);
}

/** The outputs of one CPU run of `bytes`, by output name. */
export async function runModel(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  try {
    const outputs = await session.run(feeds);
    return Object.fromEntries(Object.keys(outputs).map((name) => [name, outputs[name]!.data as Float32Array]));
  } finally {
    await session.release();
  }
}

/** max|a−b| / max|b|; NaN anywhere gives NaN, so a comparison never passes silently. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  const diffs = Array.from(a, (v, i) => Math.abs(v - b[i]!));
  if (diffs.some(Number.isNaN)) return NaN;
  return Math.max(0, ...diffs) / Math.max(Number.MIN_VALUE, ...Array.from(b, Math.abs));
}
