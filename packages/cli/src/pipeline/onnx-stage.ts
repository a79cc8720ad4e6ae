/**
 * The demo's ONNX step (step 7 of run-demo.ts): export the base model to ONNX (@ssh-peft/tfjs-onnx) and merge the adapter
 * into it (@ssh-peft/onnx); running the models is in onnx-run.ts.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { SshAdapter } from '@ssh-peft/adapter';
import { decodeModel, mergeAdapter } from '@ssh-peft/onnx';
import { exportLayersModelToOnnx } from '@ssh-peft/tfjs-onnx';
import { writeFileAtomic } from '@ssh-peft/adapter/node';
export { runOnnxClassifier } from './onnx-run';

/** File names of the ONNX models in the report folder. */
export const ONNX_FILES = { base: 'base.onnx', merged: 'merged.onnx' } as const;

/** Writes the base model as ONNX; returns its bytes and default-domain opset. */
export async function exportBaseToOnnx(model: tfl.LayersModel, path: string): Promise<{ bytes: Uint8Array; opset: number | null }> {
  const bytes = exportLayersModelToOnnx(model);
  await writeFileAtomic(path, bytes);
  const opset = decodeModel(bytes, path).opsetImport?.find((o) => !o.domain)?.version;
  return { bytes, opset: opset === undefined || opset === null ? null : Number(opset) };
}

/** Writes `base` with `adapter` merged (layers found by name) to `path`. */
export async function writeMergedOnnx(base: Uint8Array, adapter: SshAdapter, path: string): Promise<void> {
  await writeFileAtomic(path, await mergeAdapter(base, adapter));
}
