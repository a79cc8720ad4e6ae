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
  /**
   * Cancels {@link mergeAdapter}/{@link mergeAdapterFile}: checked between layers and between
   * blocks of rows (the event loop runs every ~20 ms so that a SIGINT handler can abort it), and
   * before anything is published. Once aborted, nothing is written, no temporary file is left,
   * and the signal's reason is thrown.
   */
  signal?: AbortSignal;
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
  const steps = mergeSteps(model, adapter, options);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/** Elements merged between two cancellation checks (about a millisecond of work). */
const ELEMENTS_PER_STEP = 1 << 18;

/**
 * The merge as a sequence of short steps: locate and verify every layer, then per layer read W0,
 * compute ΔW and add it in row blocks. It yields between steps so that the async callers can let a
 * SIGINT arrive and check their AbortSignal; nothing in the model changes until the last step.
 */
function* mergeSteps(model: ModelProto, adapter: SshAdapter, options: MergeAdapterOptions): Generator<void, MergeReport> {
  try {
    validateAdapter(adapter);
  } catch (e) {
    throw new OnnxAdapterError(`invalid adapter: ${(e as Error).message}`, { cause: e });
  }
  const located = locateAdapterWeights(model, adapter, options);
  const updates: Array<{ entry: LocatedWeight; raw: Uint8Array }> = [];
  for (const entry of located) {
    yield;
    const { layer, initializer, orientation } = entry;
    const stored = readTensorValues(initializer);
    yield;
    const delta = deltaWeight64(adapter, layer.name);
    yield;
    const merged = new Float64Array(stored.length);
    const { rows, cols } = layer;
    const rowsPerStep = Math.max(1, Math.floor(ELEMENTS_PER_STEP / cols));
    for (let r0 = 0; r0 < rows; r0 += rowsPerStep) {
      const r1 = Math.min(rows, r0 + rowsPerStep);
      if (orientation === 'matmul') {
        for (let i = r0 * cols; i < r1 * cols; i++) merged[i] = stored[i]! + delta[i]!;
      } else {
        // Gemm transB=1 stores Wᵀ: element [j, i] of the stored matrix is W[i, j].
        for (let j = 0; j < cols; j++) for (let i = r0; i < r1; i++) merged[j * rows + i] = stored[j * rows + i]! + delta[i * cols + j]!;
      }
      yield;
    }
    updates.push({ entry, raw: encodeValues(merged, entry.dtype, initializer.name ?? '') });
  }
  yield;
  for (const { entry, raw } of updates) setRawData(entry.initializer, raw);
  recordMerge(model, adapter, options.adapterName);
  return {
    layers: located.map((l) => ({ layer: l.layer.name, weight: l.initializer.name ?? '', orientation: l.orientation, dtype: l.dtype })),
    warnings: located.flatMap((l) => l.warnings),
    files: [],
  };
}

/**
 * Runs {@link mergeSteps}, letting pending events run between steps (a SIGINT handler can then
 * abort `signal`) and throwing the signal's reason as soon as it is aborted. Without a signal it
 * runs straight through.
 */
async function mergeCancellable(model: ModelProto, adapter: SshAdapter, options: MergeAdapterOptions): Promise<MergeReport> {
  const { signal } = options;
  const steps = mergeSteps(model, adapter, options);
  // -Infinity: the first step always lets pending events in, however fast the machine.
  let last = -Infinity;
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (signal === undefined) continue;
    signal.throwIfAborted();
    // Yield to the event loop at most every ~20 ms: often enough to react within well under a second.
    if (performance.now() - last > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
      last = performance.now();
    }
  }
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
  await mergeCancellable(loaded.model, await resolveAdapter(adapter), options);
  options.signal?.throwIfAborted();
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
  options.signal?.throwIfAborted();
  const loaded = await loadOnnxModel(inputPath);
  options.signal?.throwIfAborted();
  const report = await mergeCancellable(loaded.model, await resolveAdapter(adapter), options);
  const files = await saveOnnxModel(loaded.model, outputPath, {
    signal: options.signal,
    overwrite: options.overwrite,
    externalTensors: loaded.externalTensors,
    protectedFiles: [loaded.sourcePath!, ...loaded.externalFiles],
  });
  return { ...report, files };
}
