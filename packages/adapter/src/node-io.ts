/**
 * Saving and loading adapters on disk (Node only). `node:fs` is imported lazily inside the
 * functions, so the package's main entry stays importable in browsers, where only
 * {@link encodeAdapter}/{@link decodeAdapter} are meant to be used.
 */
import { type AtomicFs, errorCode, exists, syncDirectory, temporaryPath, writeFileAtomic } from './atomic-write';
import { type AdapterNotice, decodeAdapter, encodeAdapter } from './codec';
import { describeValue } from './describe-value';
import { AdapterIOError, AdapterValidationError } from './errors';
import { buildPeftConfig, checkPeftConfig, PEFT_CONFIG_FILE, PEFT_WEIGHTS_FILE } from './peft-config';
import type { SshAdapter } from './types';

/** Options of {@link saveAdapter}. */
export interface SaveAdapterOptions {
  /** Replace existing files (default `false`: an existing target is an {@link AdapterIOError}). */
  overwrite?: boolean;
  /** File-system implementation (tests inject failures); default `node:fs/promises`. */
  fs?: AtomicFs;
}

/** What {@link saveAdapter} wrote. */
export interface SavedAdapter {
  layout: 'file' | 'directory';
  /** Absolute paths of the files written. */
  files: string[];
}

/** Options of {@link loadAdapter}. */
export interface LoadAdapterOptions {
  /** Refuse files larger than this many bytes before reading them (default 1 GiB). */
  maxBytes?: number;
  /** Largest safetensors header accepted (default 100 000 000 bytes). */
  maxHeaderBytes?: number;
  /** Receives notices about a file that was read (e.g. format version 1: no digest); see {@link decodeAdapter}. */
  onNotice?: (notice: AdapterNotice) => void;
}

const DEFAULT_MAX_BYTES = 2 ** 30;

/**
 * Saves an adapter. A path ending in `.safetensors` gets one self-contained file; any other path
 * is a directory in the PEFT layout (`adapter_config.json` + `adapter_model.safetensors`).
 * Writes are atomic (temporary file in the same directory, fsync, rename): a failed save leaves
 * no partial file. Existing files are refused unless `{ overwrite: true }`. The adapter is
 * validated before anything touches the disk. Node only.
 *
 * @example
 * ```ts
 * import { saveAdapter } from '@ssh-peft/adapter/node';
 * await saveAdapter(adapter, 'out/my-adapter.safetensors');
 * await saveAdapter(adapter, 'out/my-adapter', { overwrite: true }); // PEFT directory layout
 * ```
 */
export async function saveAdapter(adapter: SshAdapter, path: string, options: SaveAdapterOptions = {}): Promise<SavedAdapter> {
  checkArguments('saveAdapter', path, options);
  const bytes = encodeAdapter(adapter);
  const nodeFs = await import('node:fs/promises');
  const { resolve, dirname, basename } = await import('node:path');
  const fs: AtomicFs = options.fs ?? (nodeFs as unknown as AtomicFs);
  const overwrite = options.overwrite === true;
  const target = resolve(path);

  if (target.endsWith('.safetensors')) {
    const dir = dirname(target);
    await ensureDirectory(nodeFs, dir);
    await writeFileAtomic(target, bytes, { fs, overwrite });
    return { layout: 'file', files: [target] };
  }

  const configText = `${JSON.stringify(buildPeftConfig(adapter), null, 2)}\n`;
  const files = [`${target}/${PEFT_CONFIG_FILE}`, `${target}/${PEFT_WEIGHTS_FILE}`];
  if (!(await exists(fs, target))) {
    // Fresh directory: build it under a temporary name and rename it into place in one step.
    const parent = dirname(target);
    await ensureDirectory(nodeFs, parent);
    const tmpDir = temporaryPath(parent, basename(target));
    await ensureDirectory(nodeFs, tmpDir);
    try {
      await writeFileAtomic(`${tmpDir}/${PEFT_WEIGHTS_FILE}`, bytes, { fs });
      await writeFileAtomic(`${tmpDir}/${PEFT_CONFIG_FILE}`, configText, { fs });
      await fs.rename(tmpDir, target);
    } catch (e) {
      await nodeFs.rm(tmpDir, { recursive: true, force: true });
      if (e instanceof AdapterIOError) throw e;
      throw new AdapterIOError(target, `could not create the adapter directory (${(e as Error).message})`, { cause: e });
    }
    await syncDirectory(parent);
    return { layout: 'directory', files };
  }
  const stat = await nodeFs.stat(target);
  if (!stat.isDirectory()) throw new AdapterIOError(target, 'exists and is not a directory (use a path ending in .safetensors for a single file)');
  if (!overwrite) {
    for (const f of files) if (await exists(fs, f)) throw new AdapterIOError(f, 'already exists; pass { overwrite: true } to replace it');
  }
  // Weights first: a reader that sees the new config always finds matching weights or fails loudly.
  await writeFileAtomic(files[1]!, bytes, { fs, overwrite });
  await writeFileAtomic(files[0]!, configText, { fs, overwrite });
  await syncDirectory(target);
  return { layout: 'directory', files };
}

/**
 * Loads an adapter from a `.safetensors` file or a PEFT-layout directory (whose
 * `adapter_config.json` must agree with `adapter_model.safetensors`). Read-only: the files are
 * never modified. Throws {@link AdapterIOError} (missing/unreadable/too large) or
 * {@link AdapterFormatError} (invalid content, with file, tensor and byte offset). Node only.
 *
 * @example
 * ```ts
 * import { describeAdapter } from '@ssh-peft/adapter';
 * import { loadAdapter } from '@ssh-peft/adapter/node';
 * const adapter = await loadAdapter('out/my-adapter.safetensors');
 * console.log(describeAdapter(adapter).text);
 * ```
 */
export async function loadAdapter(path: string, options: LoadAdapterOptions = {}): Promise<SshAdapter> {
  checkArguments('loadAdapter', path, options);
  if (options.onNotice !== undefined && typeof options.onNotice !== 'function') {
    throw new AdapterValidationError('options.onNotice', `is ${describeValue(options.onNotice)}, expected a function`);
  }
  const nodeFs = await import('node:fs/promises');
  const { resolve } = await import('node:path');
  const target = resolve(path);
  const stat = await statOrThrow(nodeFs, target);
  if (stat.isDirectory()) {
    const weightsFile = `${target}/${PEFT_WEIGHTS_FILE}`;
    const configFile = `${target}/${PEFT_CONFIG_FILE}`;
    const adapter = await loadFile(nodeFs, weightsFile, options);
    const stat2 = await statOrThrow(nodeFs, configFile);
    if (stat2.size > 64 * 2 ** 20) throw new AdapterIOError(configFile, `is ${stat2.size} bytes, too large for an adapter config`);
    const text = await nodeFs.readFile(configFile, 'utf8');
    checkPeftConfig(text, adapter, configFile);
    return adapter;
  }
  return loadFile(nodeFs, target, options);
}

type NodeFs = typeof import('node:fs/promises');

/** Wrong argument types are typed errors here, not TypeErrors from deep inside node:path. */
function checkArguments(fn: string, path: unknown, options: unknown): void {
  if (typeof path !== 'string' || path === '') {
    throw new AdapterValidationError('path', `${fn} needs a file or directory path (a non-empty string), got ${describeValue(path)}`);
  }
  if (path.includes('\0')) throw new AdapterValidationError('path', `${JSON.stringify(path)} contains a NUL byte`);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new AdapterValidationError('options', `${fn} options must be an object, got ${describeValue(options)}`);
  }
}

async function ensureDirectory(fs: NodeFs, dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw new AdapterIOError(dir, `cannot create the directory (${(e as Error).message})`, { cause: e });
  }
}

async function statOrThrow(fs: NodeFs, file: string) {
  try {
    return await fs.stat(file);
  } catch (e) {
    const code = errorCode(e);
    const problem = code === 'ENOENT' ? 'does not exist' : `cannot be read (${(e as Error).message})`;
    throw new AdapterIOError(file, problem, { cause: e });
  }
}

async function loadFile(fs: NodeFs, file: string, options: LoadAdapterOptions): Promise<SshAdapter> {
  const stat = await statOrThrow(fs, file);
  if (!stat.isFile()) throw new AdapterIOError(file, 'is not a regular file');
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(typeof maxBytes === 'number' && maxBytes >= 0)) throw new AdapterValidationError('options.maxBytes', `${String(maxBytes)} is not a number ≥ 0`);
  if (stat.size > maxBytes) throw new AdapterIOError(file, `is ${stat.size} bytes, larger than maxBytes = ${maxBytes} (is this a base model rather than an adapter?)`);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    throw new AdapterIOError(file, `cannot be read (${(e as Error).message})`, { cause: e });
  }
  return decodeAdapter(bytes, { file, maxHeaderBytes: options.maxHeaderBytes, onNotice: options.onNotice });
}
