/** Loading ONNX models from bytes or paths (external data pulled into memory) and writing them back. */
import { readFile, realpath, rm, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { AdapterIOError } from '@ssh-peft/adapter';
import { checkOutputPath, writeFileAtomic } from '@ssh-peft/adapter/node';
import { OnnxExternalDataError, OnnxPathError } from './errors';
import { EXTERNAL, isExternal, readExternalBytes } from './external-data';
import { decodeModel, encodeModel, type ModelProto, type TensorProto } from './proto';

/** A decoded model whose tensor data is all in memory. */
export interface LoadedModel {
  model: ModelProto;
  /** Directory external data was resolved against (null for bytes without external data). */
  baseDir: string | null;
  /** Names of the initializers whose data came from external files. */
  externalTensors: Set<string>;
  /** Real paths of the external files read (never written to). */
  externalFiles: Set<string>;
  /** Real path of the model file, when loaded from a path. */
  sourcePath: string | null;
}

/** Options of {@link loadOnnxModel}. */
export interface LoadModelOptions {
  /** Directory for external data when `input` is bytes (default: none — external data is then an error). */
  baseDir?: string;
  /** How errors name `input` when it is bytes (e.g. the file it was read from; default "model bytes"). */
  source?: string;
}

/** Every tensor of the main graph and of nested subgraphs. */
export function* allInitializers(model: ModelProto): Generator<TensorProto> {
  const stack = [model.graph!];
  while (stack.length > 0) {
    const graph = stack.pop()!;
    yield* graph.initializer ?? [];
    for (const node of graph.node ?? []) {
      for (const attr of node.attribute ?? []) {
        if (attr.g) stack.push(attr.g);
        for (const g of attr.graphs ?? []) stack.push(g);
      }
    }
  }
}

/**
 * Reads an ONNX model from bytes or a file path; every external tensor is read (safely, see
 * `external-data.ts`) into `raw_data`, remembering which ones were external so that a saved
 * result keeps the same layout.
 *
 * @example
 * ```ts
 * const { model } = await loadOnnxModel('model.onnx');
 * console.log(model.graph?.node?.length);
 * ```
 */
export async function loadOnnxModel(input: Uint8Array | string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  let bytes: Uint8Array;
  let baseDir: string | null = options.baseDir ?? null;
  let sourcePath: string | null = null;
  let source = options.source ?? 'model bytes';
  if (typeof input === 'string') {
    try {
      sourcePath = await realpath(input);
      bytes = await readFile(sourcePath);
    } catch (e) {
      throw new OnnxPathError(`cannot read ONNX model ${input}: ${(e as Error).message}`, { cause: e });
    }
    baseDir = dirname(sourcePath);
    source = sourcePath;
  } else {
    bytes = input;
  }
  const model = decodeModel(bytes, source);
  const externalTensors = new Set<string>();
  const externalFiles = new Set<string>();
  for (const tensor of allInitializers(model)) {
    if (!isExternal(tensor)) continue;
    if (baseDir === null) {
      throw new OnnxExternalDataError(`tensor ${JSON.stringify(tensor.name)} uses external data but the model was given as bytes without options.baseDir`);
    }
    const { bytes: data, file } = await readExternalBytes(baseDir, tensor);
    tensor.rawData = data;
    tensor.dataLocation = 0;
    tensor.externalData = [];
    externalTensors.add(tensor.name ?? '');
    externalFiles.add(file);
  }
  return { model, baseDir, externalTensors, externalFiles, sourcePath };
}

/** Options of {@link saveOnnxModel}. */
export interface SaveModelOptions {
  /** Replace an existing output (default false). */
  overwrite?: boolean;
  /** Write the tensors named here to `<output>.data` as external data. */
  externalTensors?: ReadonlySet<string>;
  /** Files that must never be written to (the inputs). */
  protectedFiles?: Iterable<string>;
  /** Once aborted, nothing is published (temporary files are removed) and the signal's reason is thrown. */
  signal?: AbortSignal;
}

async function realOrResolved(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

const ALIGN = 64;

/** The atomic writer's I/O errors (existing output, a directory or device in the way) as this package's OnnxPathError. */
async function asPathError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof AdapterIOError) throw new OnnxPathError(`output ${e.message.replace(/^file /, '')}`, { cause: e });
    throw e;
  }
}

/**
 * Writes a model atomically. Tensors listed in `externalTensors` go to `<output>.data` next to the
 * model (written first, also atomically), with fresh location/offset/length entries. Refuses to
 * write over any `protectedFiles` entry (the input model and its external data) and, unless
 * `overwrite`, over existing files. Returns the paths written. The `model` object is modified
 * only in the external tensors' data fields, and restored before returning.
 *
 * @example
 * ```ts
 * const loaded = await loadOnnxModel('in/model.onnx');
 * await saveOnnxModel(loaded.model, 'out/model.onnx', { externalTensors: loaded.externalTensors, protectedFiles: [loaded.sourcePath!, ...loaded.externalFiles] });
 * ```
 */
export async function saveOnnxModel(model: ModelProto, outputPath: string, options: SaveModelOptions = {}): Promise<string[]> {
  const output = resolve(outputPath);
  const dataName = `${basename(output)}.data`;
  const dataPath = resolve(dirname(output), dataName);
  const external = [...allInitializers(model)].filter((t) => options.externalTensors?.has(t.name ?? ''));
  const targets = external.length > 0 ? [output, dataPath] : [output];
  const protectedReal = new Set<string>();
  for (const p of options.protectedFiles ?? []) protectedReal.add(await realOrResolved(p));
  for (const target of targets) {
    if (protectedReal.has(await realOrResolved(target))) {
      throw new OnnxPathError(`output ${target} is the input model or one of its external data files; choose another output path (inputs are never modified)`);
    }
    if (!options.overwrite && (await exists(target))) throw new OnnxPathError(`output ${target} already exists; pass overwrite: true to replace it`);
    await asPathError(checkOutputPath(target));
  }
  const saved = external.map((t) => ({ tensor: t, raw: t.rawData! }));
  try {
    if (external.length > 0) {
      const chunks: Uint8Array[] = [];
      let offset = 0;
      for (const { tensor, raw } of saved) {
        const pad = (ALIGN - (offset % ALIGN)) % ALIGN;
        if (pad > 0) chunks.push(new Uint8Array(pad));
        offset += pad;
        tensor.dataLocation = EXTERNAL;
        tensor.externalData = [
          { key: 'location', value: dataName },
          { key: 'offset', value: String(offset) },
          { key: 'length', value: String(raw.length) },
        ];
        tensor.rawData = new Uint8Array(0);
        chunks.push(raw);
        offset += raw.length;
      }
      const dataIsNew = !(await exists(dataPath));
      await asPathError(writeFileAtomic(dataPath, chunks, { overwrite: options.overwrite, signal: options.signal }));
      try {
        options.signal?.throwIfAborted();
        await asPathError(writeFileAtomic(output, [encodeModel(model)], { overwrite: options.overwrite, signal: options.signal }));
      } catch (e) {
        // The model never appeared: a data file it would have pointed to must not stay behind either.
        if (dataIsNew) await rm(dataPath, { force: true });
        throw e;
      }
    } else {
      options.signal?.throwIfAborted();
      await asPathError(writeFileAtomic(output, [encodeModel(model)], { overwrite: options.overwrite, signal: options.signal }));
    }
  } finally {
    for (const { tensor, raw } of saved) {
      tensor.rawData = raw;
      tensor.dataLocation = 0;
      tensor.externalData = [];
    }
  }
  return targets;
}
