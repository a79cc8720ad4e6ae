import { computeAdapterDigest, DIGEST_PATTERN, DIGESTED_METADATA_KEYS, type DigestTensor } from './digest';
import { AdapterFormatError, AdapterIntegrityError, AdapterValidationError } from './errors';
import { findCoefficientProblem, findIndexProblem, findNameProblem, findShapeProblem } from './invariants';
import {
  COEFFICIENTS_SUFFIX,
  INDICES_SUFFIX,
  META_CONFIG,
  META_DIGEST,
  META_FORMAT,
  META_LAYERS,
  META_METADATA,
  META_VERSION,
} from './metadata-keys';
import { describeValue } from './describe-value';
import { decodeSafetensors, type SafetensorsTensor } from './safetensors/decode';
import { encodeSafetensors, type SafetensorsTensorInput } from './safetensors/encode';
import { ADAPTER_FORMAT, ADAPTER_FORMAT_VERSION, type AdapterFormatVersion, type JsonValue, type SshAdapter, type SshAdapterConfig, type SshAdapterLayer } from './types';
import { validateAdapter, validateConfig } from './validate';

/**
 * Serialises an adapter to the bytes of one `.safetensors` file (see docs/adapter-format.md):
 * per layer an `I64` tensor `<name>.indices` and an `F32` tensor `<name>.coefficients`, all
 * other fields as JSON strings in `__metadata__`, always in the current format version
 * ({@link ADAPTER_FORMAT_VERSION}) with its integrity digest `ssh_peft.digest`. Validates the
 * adapter first ({@link validateAdapter}); the output is deterministic. Browser-safe (no Node APIs).
 *
 * @example
 * ```ts
 * import { encodeAdapter, decodeAdapter } from '@ssh-peft/adapter';
 * const bytes = encodeAdapter(adapter);   // Uint8Array, a valid safetensors file
 * const again = decodeAdapter(bytes);     // deep-equal to adapter
 * ```
 */
export function encodeAdapter(adapter: SshAdapter): Uint8Array {
  validateAdapter(adapter);
  const { config } = adapter;
  const metadata: Record<string, string> = {
    [META_FORMAT]: ADAPTER_FORMAT,
    [META_VERSION]: String(ADAPTER_FORMAT_VERSION),
    [META_CONFIG]: JSON.stringify({
      variant: config.variant,
      normalization: config.normalization,
      init: config.init,
      initStd: config.initStd,
      seed: config.seed,
      selection: config.selection,
    }),
    [META_METADATA]: JSON.stringify(config.metadata),
    [META_LAYERS]: JSON.stringify(
      adapter.layers.map((l) => ({ name: l.name, rows: l.rows, cols: l.cols, alpha: l.alpha, fingerprint: l.fingerprint })),
    ),
  };
  const tensors: SafetensorsTensorInput[] = [];
  for (const layer of adapter.layers) {
    const n = layer.indices.length;
    tensors.push({ name: layer.name + INDICES_SUFFIX, dtype: 'I64', shape: [n], bytes: indicesToI64(layer.indices) });
    tensors.push({ name: layer.name + COEFFICIENTS_SUFFIX, dtype: 'F32', shape: [n], bytes: float32ToLittleEndian(layer.coefficients) });
  }
  metadata[META_DIGEST] = computeAdapterDigest(metadata, tensors);
  return encodeSafetensors(tensors, metadata);
}

/**
 * Something a reader should know about a file that was nevertheless read: today, that it is a
 * version-1 file, which carries no integrity digest (damage to it cannot be detected).
 */
export interface AdapterNotice {
  readonly code: 'format-version-1';
  /** The file name given to the decoder, if any. */
  readonly file: string | undefined;
  /** One sentence for people, naming the file. */
  readonly message: string;
}

/** Options of {@link decodeAdapter}. */
export interface DecodeAdapterOptions {
  /** File name used in error messages. */
  file?: string;
  /** Largest safetensors header accepted (bytes); default 100 000 000. */
  maxHeaderBytes?: number;
  /**
   * Called with each {@link AdapterNotice} (e.g. a version-1 file without a digest). The library
   * never prints; without a callback notices are dropped.
   */
  onNotice?: (notice: AdapterNotice) => void;
}

/**
 * Parses the bytes of an adapter `.safetensors` file, validating everything: the safetensors
 * container (header length and cap, JSON, dtypes, shapes, contiguous `data_offsets`), the format
 * name and version, the integrity digest (version 2: `ssh_peft.digest` must match the contents,
 * else {@link AdapterIntegrityError}; version-1 files have none and are read with a notice through
 * `options.onNotice`), the layer table, one `indices` (I64, or U32 from other writers) and one
 * `coefficients` (F32) tensor per layer, positions in range and distinct, coefficients finite,
 * and no stray tensors. Returns a fresh adapter (no view into `bytes`, which is never modified)
 * or throws {@link AdapterFormatError} with `file`, `tensor`, `offset`/`key` filled in.
 * Browser-safe.
 *
 * @example
 * ```ts
 * import { decodeAdapter } from '@ssh-peft/adapter';
 * const adapter = decodeAdapter(new Uint8Array(await (await fetch('/adapter.safetensors')).arrayBuffer()));
 * ```
 */
export function decodeAdapter(bytes: Uint8Array, options: DecodeAdapterOptions = {}): SshAdapter {
  const { file } = options;
  const st = decodeSafetensors(bytes, { file, maxHeaderBytes: options.maxHeaderBytes });
  const meta = st.metadata;
  const at = (key: string) => ({ file, key, offset: 8 });

  const format = meta[META_FORMAT];
  if (format === undefined) throw new AdapterFormatError(`missing; not an ssh-peft adapter (a plain safetensors file?)`, at(META_FORMAT));
  if (format !== ADAPTER_FORMAT) throw new AdapterFormatError(`format ${describeValue(format)} is not "${ADAPTER_FORMAT}"`, at(META_FORMAT));
  const version = meta[META_VERSION];
  if (version === undefined) throw new AdapterFormatError('missing format version', at(META_VERSION));
  if (version !== '1' && version !== '2') {
    throw new AdapterFormatError(`unknown format version ${describeValue(version)} (this reader supports versions 1 and 2)`, at(META_VERSION));
  }
  const fileVersion: AdapterFormatVersion = version === '1' ? 1 : 2;
  const storedDigest = meta[META_DIGEST];
  if (fileVersion === 2) {
    if (storedDigest === undefined) throw new AdapterFormatError('missing: a version-2 file must carry its integrity digest', at(META_DIGEST));
    if (!DIGEST_PATTERN.test(storedDigest)) {
      throw new AdapterFormatError(`${describeValue(storedDigest)} is not "sha256:" followed by 64 lowercase hex digits`, at(META_DIGEST));
    }
  } else if (storedDigest !== undefined) {
    // Version-1 writers never wrote a digest: a digest here means the version itself was altered.
    throw new AdapterFormatError('a version-1 file carries no digest; this one has one, so its version entry was altered', at(META_VERSION));
  }

  const table = readLayerTable(meta, file);
  const used = new Set<string>();
  const pairs = table.map((entry) => {
    const indexName = entry.name + INDICES_SUFFIX;
    const coefName = entry.name + COEFFICIENTS_SUFFIX;
    const indexTensor = st.tensors.get(indexName);
    const coefTensor = st.tensors.get(coefName);
    if (indexTensor === undefined) throw new AdapterFormatError(`tensor missing for layer ${JSON.stringify(entry.name)}`, { file, tensor: indexName, offset: 8 });
    if (coefTensor === undefined) {
      throw new AdapterFormatError(`missing coefficients for the index tensor ${JSON.stringify(indexName)}`, { file, tensor: coefName, offset: 8 });
    }
    used.add(indexName);
    used.add(coefName);
    return { entry, indexTensor, coefTensor };
  });
  for (const name of st.tensors.keys()) {
    if (!used.has(name)) {
      const tensor = st.tensors.get(name)!;
      const hint = name.endsWith(COEFFICIENTS_SUFFIX)
        ? 'coefficients without an index tensor / layer entry'
        : 'tensor belongs to no layer listed in ' + META_LAYERS;
      throw new AdapterFormatError(hint, { file, tensor: name, offset: tensor.fileOffset });
    }
  }
  if (storedDigest !== undefined) {
    for (const key of DIGESTED_METADATA_KEYS) if (meta[key] === undefined) throw new AdapterFormatError('missing', at(key));
    // Before any value check: a damaged file is reported as damaged, not by its first odd value.
    const tensors: DigestTensor[] = pairs.flatMap(({ indexTensor, coefTensor }) => [indexTensor, coefTensor]);
    const actual = computeAdapterDigest(meta, tensors);
    if (actual !== storedDigest) throw new AdapterIntegrityError(storedDigest, actual, at(META_DIGEST));
  } else {
    options.onNotice?.({
      code: 'format-version-1',
      file,
      message: `${file === undefined ? 'the adapter' : `file ${JSON.stringify(file)}`} is in format version 1, which has no integrity digest: damage to it cannot be detected (save it again to write version 2)`,
    });
  }

  const config = readConfig(meta, file);
  const layers: SshAdapterLayer[] = pairs.map(({ entry, indexTensor, coefTensor }) => {
    const indices = readIndices(indexTensor, entry.rows, entry.cols, file);
    const coefficients = readCoefficients(coefTensor, indices.length, file);
    return { name: entry.name, rows: entry.rows, cols: entry.cols, indices, coefficients, alpha: entry.alpha, fingerprint: entry.fingerprint };
  });
  return { format: ADAPTER_FORMAT, version: fileVersion, config, layers };
}

function parseJsonEntry(meta: Readonly<Record<string, string>>, key: string, file: string | undefined): unknown {
  const text = meta[key];
  if (text === undefined) throw new AdapterFormatError('missing', { file, key, offset: 8 });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AdapterFormatError(`value is not valid JSON (${(e as Error).message})`, { file, key, offset: 8 });
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkFields(obj: Record<string, unknown>, allowed: readonly string[], where: string, location: { file?: string; key: string }): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new AdapterFormatError(`${where}: unknown field ${JSON.stringify(k)} (expected ${allowed.join(', ')})`, { ...location, offset: 8 });
  }
  for (const k of allowed) {
    if (!(k in obj)) throw new AdapterFormatError(`${where}: missing field ${JSON.stringify(k)}`, { ...location, offset: 8 });
  }
}

const CONFIG_FIELDS = ['variant', 'normalization', 'init', 'initStd', 'seed', 'selection'] as const;

function readConfig(meta: Readonly<Record<string, string>>, file: string | undefined): SshAdapterConfig {
  const raw = parseJsonEntry(meta, META_CONFIG, file);
  if (!isPlainObject(raw)) throw new AdapterFormatError(`is ${describeValue(raw)}, expected a JSON object`, { file, key: META_CONFIG, offset: 8 });
  checkFields(raw, CONFIG_FIELDS, 'config', { file, key: META_CONFIG });
  const metadataRaw = parseJsonEntry(meta, META_METADATA, file);
  const config = {
    variant: raw.variant,
    normalization: raw.normalization,
    init: raw.init,
    initStd: raw.initStd,
    seed: raw.seed,
    selection: raw.selection as Record<string, JsonValue>,
    metadata: copyStringMap(metadataRaw, file),
  } as SshAdapterConfig;
  try {
    validateConfig(config);
  } catch (e) {
    if (e instanceof AdapterValidationError) throw new AdapterFormatError(e.message, { file, key: e.path === 'config.metadata' ? META_METADATA : META_CONFIG, offset: 8 });
    throw e;
  }
  return config;
}

function copyStringMap(raw: unknown, file: string | undefined): Record<string, string> {
  if (!isPlainObject(raw)) throw new AdapterFormatError(`is ${describeValue(raw)}, expected a JSON object of strings`, { file, key: META_METADATA, offset: 8 });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') throw new AdapterFormatError(`entry ${JSON.stringify(k)} is ${describeValue(v)}, expected a string`, { file, key: META_METADATA, offset: 8 });
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

interface LayerEntry {
  name: string;
  rows: number;
  cols: number;
  alpha: number;
  fingerprint: string;
}

const LAYER_FIELDS = ['name', 'rows', 'cols', 'alpha', 'fingerprint'] as const;

function readLayerTable(meta: Readonly<Record<string, string>>, file: string | undefined): LayerEntry[] {
  const key = META_LAYERS;
  const raw = parseJsonEntry(meta, key, file);
  if (!Array.isArray(raw)) throw new AdapterFormatError(`is ${describeValue(raw)}, expected a JSON array of layers`, { file, key, offset: 8 });
  const seen = new Map<string, number>();
  return raw.map((entry: unknown, i: number) => {
    const where = `layers[${i}]`;
    const fail = (problem: string): never => {
      throw new AdapterFormatError(`${where}: ${problem}`, { file, key, offset: 8 });
    };
    if (!isPlainObject(entry)) fail(`is ${describeValue(entry)}, expected an object`);
    const e = entry as Record<string, unknown>;
    checkFields(e, LAYER_FIELDS, where, { file, key });
    const nameProblem = findNameProblem(e.name);
    if (nameProblem) fail(nameProblem);
    const name = e.name as string;
    const first = seen.get(name);
    if (first !== undefined) fail(`name ${JSON.stringify(name)} repeats layers[${first}]`);
    seen.set(name, i);
    const shapeProblem = findShapeProblem(e.rows, e.cols);
    if (shapeProblem) fail(shapeProblem);
    if (typeof e.alpha !== 'number' || !Number.isFinite(e.alpha)) fail(`alpha ${describeValue(e.alpha)} is not a finite number`);
    if (typeof e.fingerprint !== 'string' || e.fingerprint.length === 0) fail(`fingerprint ${describeValue(e.fingerprint)} is not a non-empty string`);
    return { name, rows: e.rows as number, cols: e.cols as number, alpha: e.alpha as number, fingerprint: e.fingerprint as string };
  });
}

function readIndices(tensor: SafetensorsTensor, rows: number, cols: number, file: string | undefined): Uint32Array {
  const { name, dtype, shape, bytes, fileOffset } = tensor;
  if (dtype !== 'I64' && dtype !== 'U32') throw new AdapterFormatError(`dtype ${dtype}, expected I64 (or U32)`, { file, tensor: name, offset: fileOffset });
  if (shape.length !== 1) throw new AdapterFormatError(`shape [${shape.join(', ')}], expected one dimension [n]`, { file, tensor: name, offset: fileOffset });
  const n = shape[0]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(n);
  const size = rows * cols;
  if (dtype === 'U32') {
    for (let k = 0; k < n; k++) out[k] = view.getUint32(4 * k, true);
  } else {
    for (let k = 0; k < n; k++) {
      const high = view.getInt32(8 * k + 4, true);
      if (high !== 0) {
        const value = view.getBigInt64(8 * k, true);
        throw new AdapterFormatError(`element ${k} = ${value} is not a position in [0, rows·cols = ${rows}·${cols} = ${size})`, {
          file,
          tensor: name,
          offset: fileOffset + 8 * k,
        });
      }
      out[k] = view.getUint32(8 * k, true);
    }
  }
  const problem = findIndexProblem(out, rows, cols);
  if (problem) {
    throw new AdapterFormatError(`element ${problem.index} = ${problem.problem}`, { file, tensor: name, offset: fileOffset + problem.index * (dtype === 'I64' ? 8 : 4) });
  }
  return out;
}

function readCoefficients(tensor: SafetensorsTensor, n: number, file: string | undefined): Float32Array {
  const { name, dtype, shape, bytes, fileOffset } = tensor;
  if (dtype !== 'F32') throw new AdapterFormatError(`dtype ${dtype}, expected F32`, { file, tensor: name, offset: fileOffset });
  if (shape.length !== 1 || shape[0] !== n) {
    throw new AdapterFormatError(`shape [${shape.join(', ')}], expected [${n}] (one coefficient per index)`, { file, tensor: name, offset: fileOffset });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) out[k] = view.getFloat32(4 * k, true);
  const problem = findCoefficientProblem(out);
  if (problem) {
    throw new AdapterFormatError(`element ${problem.index} = ${problem.problem}`, { file, tensor: name, offset: fileOffset + 4 * problem.index });
  }
  return out;
}

function indicesToI64(indices: Uint32Array): Uint8Array {
  const out = new Uint8Array(indices.length * 8);
  const view = new DataView(out.buffer);
  // High words stay 0: positions are < 2^32 by the Uint32Array type.
  for (let k = 0; k < indices.length; k++) view.setUint32(8 * k, indices[k]!, true);
  return out;
}

function float32ToLittleEndian(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let k = 0; k < values.length; k++) view.setFloat32(4 * k, values[k]!, true);
  return out;
}
