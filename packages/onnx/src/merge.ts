/** Merging an SSH adapter into an ONNX model's weights: W = W0 + ΔW, rounded once into the weight's dtype. */
import { deltaWeight64, type SshAdapter, validateAdapter } from '@ssh-peft/adapter';
import { loadAdapter } from '@ssh-peft/adapter/node';
import { resolve } from 'node:path';
import { OnnxAdapterError, OnnxPathError } from './errors';
import { type LocatedWeight, type LocateOptions, locateAdapterWeights } from './locate';
import { loadOnnxModel, saveOnnxModel } from './model-io';
import { encodeModel, type ModelProto } from './proto';
import { encodeValues, readTensorValues, setRawData } from './tensor-values';

/** metadata_props key listing the adapters merged into a model (a JSON array, one entry per merge). */
export const MERGED_ADAPTERS_KEY = 'ssh_peft.merged_adapters';

/** Options of {@link mergeAdapter} and {@link mergeAdapterFile}. */
export interface MergeAdapterOptions extends LocateOptions {
  /** Directory of external data when the model is given as bytes. */
  baseDir?: string;
  /** Name recorded in the metadata entry (default: the adapter's `metadata.name`, else `"adapter"`). */
  adapterName?: string;
}

/** What a merge did. */
export interface MergeReport {
  /** Per adapter layer: the weight it was merged into and how. */
  layers: Array<{ layer: string; weight: string; orientation: LocatedWeight['orientation']; dtype: LocatedWeight['dtype'] }>;
  warnings: string[];
  /** Files written by {@link mergeAdapterFile} (model first, then its external data, if any). */
  files: string[];
}

/**
 * Merges in place into a decoded model (that the caller owns). All layers are located and
 * verified before the first weight is changed, so a refused adapter leaves the model untouched.
 *
 * @example
 * ```ts
 * const { model } = await loadOnnxModel('model.onnx');
 * const report = mergeIntoModel(model, adapter, { mapping: { 'W_17': 'encoder.0.query' } });
 * const bytes = encodeModel(model);
 * ```
 */
export function mergeIntoModel(model: ModelProto, adapter: SshAdapter, options: MergeAdapterOptions = {}): MergeReport {
  try {
    validateAdapter(adapter);
  } catch (e) {
    throw new OnnxAdapterError(`invalid adapter: ${(e as Error).message}`, { cause: e });
  }
  const located = locateAdapterWeights(model, adapter, options);
  const updates = located.map((entry) => {
    const { layer, initializer, orientation } = entry;
    const stored = readTensorValues(initializer);
    const delta = deltaWeight64(adapter, layer.name);
    const merged = new Float64Array(stored.length);
    if (orientation === 'matmul') {
      for (let i = 0; i < merged.length; i++) merged[i] = stored[i]! + delta[i]!;
    } else {
      // Gemm transB=1 stores Wᵀ: element [j, i] of the stored matrix is W[i, j].
      const { rows, cols } = layer;
      for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) merged[j * rows + i] = stored[j * rows + i]! + delta[i * cols + j]!;
    }
    return { entry, raw: encodeValues(merged, entry.dtype, initializer.name ?? '') };
  });
  for (const { entry, raw } of updates) setRawData(entry.initializer, raw);
  recordMerge(model, adapter, options.adapterName);
  return {
    layers: located.map((l) => ({ layer: l.layer.name, weight: l.initializer.name ?? '', orientation: l.orientation, dtype: l.dtype })),
    warnings: located.flatMap((l) => l.warnings),
    files: [],
  };
}

function recordMerge(model: ModelProto, adapter: SshAdapter, adapterName: string | undefined): void {
  const props = model.metadataProps ?? (model.metadataProps = []);
  const entry = {
    name: adapterName ?? adapter.config.metadata['name'] ?? 'adapter',
    layers: adapter.layers.map((l) => l.name),
    parameters: adapter.layers.reduce((s, l) => s + l.indices.length, 0),
    variant: adapter.config.variant,
    normalization: adapter.config.normalization,
    metadata: adapter.config.metadata,
  };
  const existing = props.find((p) => p.key === MERGED_ADAPTERS_KEY);
  if (existing) {
    let list: unknown[] = [];
    try {
      const parsed: unknown = JSON.parse(existing.value ?? '[]');
      if (Array.isArray(parsed)) list = parsed;
    } catch {
      list = [existing.value];
    }
    existing.value = JSON.stringify([...list, entry]);
  } else {
    props.push({ key: MERGED_ADAPTERS_KEY, value: JSON.stringify([entry]) });
  }
}

async function resolveAdapter(adapter: SshAdapter | string): Promise<SshAdapter> {
  return typeof adapter === 'string' ? await loadAdapter(adapter) : adapter;
}

/**
 * Returns the bytes of `model` with the adapter merged (all tensor data inline). `model` may be
 * bytes or a path (external data is then read from the model's directory); the input is never
 * modified. The graph is otherwise identical: same nodes, names, opsets and metadata, plus a
 * `ssh_peft.merged_adapters` metadata entry.
 *
 * @example
 * ```ts
 * import { mergeAdapter } from '@ssh-peft/onnx';
 * import { loadAdapter } from '@ssh-peft/adapter/node';
 * const merged = await mergeAdapter('model.onnx', await loadAdapter('adapter.safetensors'));
 * ```
 */
export async function mergeAdapter(model: Uint8Array | string, adapter: SshAdapter | string, options: MergeAdapterOptions = {}): Promise<Uint8Array> {
  const loaded = await loadOnnxModel(model, { baseDir: options.baseDir });
  mergeIntoModel(loaded.model, await resolveAdapter(adapter), options);
  return encodeModel(loaded.model);
}

/**
 * Merges an adapter into the model at `inputPath` and writes the result to `outputPath`
 * atomically (temporary file + fsync + rename). A source with external data gives an output with
 * its external tensors in `<output>.data` next to it. Refuses an output equal to the input or to
 * one of its external data files, and an existing output unless `overwrite`.
 *
 * @example
 * ```ts
 * import { mergeAdapterFile } from '@ssh-peft/onnx';
 * const report = await mergeAdapterFile('model.onnx', 'adapter.safetensors', 'model.merged.onnx');
 * console.log(report.files, report.warnings);
 * ```
 */
export async function mergeAdapterFile(
  inputPath: string,
  adapter: SshAdapter | string,
  outputPath: string,
  options: MergeAdapterOptions & { overwrite?: boolean } = {},
): Promise<MergeReport> {
  if (resolve(inputPath) === resolve(outputPath)) {
    throw new OnnxPathError(`output path ${resolve(outputPath)} equals the input path; the input model is never modified, choose another output`);
  }
  const loaded = await loadOnnxModel(inputPath);
  const report = mergeIntoModel(loaded.model, await resolveAdapter(adapter), options);
  const files = await saveOnnxModel(loaded.model, outputPath, {
    overwrite: options.overwrite,
    externalTensors: loaded.externalTensors,
    protectedFiles: [loaded.sourcePath!, ...loaded.externalFiles],
  });
  return { ...report, files };
}
