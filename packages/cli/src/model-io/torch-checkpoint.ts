/**
 * PyTorch checkpoints for `select --layout torch`: one `.safetensors` file, a sharded checkpoint's
 * index (`*.safetensors.index.json`, `weight_map`) or a directory of shards. `nn.Linear` stores its
 * weight as `[d_out, d_in]`; each 2-D float tensor named `<layer>.weight` becomes the layer
 * `<layer>` with rows = d_in, cols = d_out and the weights transposed into the adapter's
 * `[d_in, d_out]` row-major orientation (so plan positions and fingerprints are the ones an ONNX
 * export's `Gemm(transB = 1)` and the torch bridge check).
 *
 * Only headers are read up front; each layer's bytes are read when the selection asks for it,
 * in row blocks, straight into the transposed array — one matrix in memory at a time, as
 * `@ssh-peft/selection`'s streaming bound assumes.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DTYPE_BYTES, MAX_HEADER_BYTES, type SafetensorsDtype } from '@ssh-peft/adapter';
import type { LayerInput } from '@ssh-peft/selection';
import { CliInputError } from '../errors';
import { ADAPTER_FORMAT_KEY } from './safetensors-weights';

/** Dtypes a torch weight may be stored in; F16/BF16 widen to float32 exactly. */
const FLOAT_DTYPES = new Set<SafetensorsDtype>(['F32', 'F64', 'F16', 'BF16']);

/** Bytes read per block while transposing (bounded scratch, independent of the layer size). */
const BLOCK_BYTES = 4 << 20;

/** One `nn.Linear` weight found in a checkpoint, not yet read. */
export interface TorchLinearWeight {
  /** Layer name: the tensor name without `.weight`. */
  readonly name: string;
  readonly file: string;
  readonly dtype: 'F32' | 'F64' | 'F16' | 'BF16';
  /** d_out (rows of the stored tensor). */
  readonly outFeatures: number;
  /** d_in (columns of the stored tensor). */
  readonly inFeatures: number;
  /** Absolute byte offset of the tensor's data in `file`. */
  readonly offset: number;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** One reusable read buffer for the blocks of every layer, so that streaming leaves no garbage per block. */
let scratch = Buffer.alloc(0);
let scratchF32 = new Float32Array(0);

function readExactly(fd: number, length: number, position: number, file: string, what: string, into?: Buffer): Buffer {
  const buf = into ? into.subarray(0, length) : Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new CliInputError(file, `${what}: file ends at byte ${position + done}, expected ${length} bytes from byte ${position}`);
    done += n;
  }
  return buf;
}

/** The `nn.Linear` weights of one safetensors file, from its header only, in data order. */
export function torchLinearWeightsOfFile(file: string): TorchLinearWeight[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliInputError(file, code === 'ENOENT' ? 'checkpoint file not found' : `cannot open checkpoint file (${code ?? String(error)})`);
  }
  try {
    const size = statSync(file).size;
    if (size < 8) throw new CliInputError(file, `${size} bytes: not a safetensors file`);
    const head = readExactly(fd, 8, 0, file, 'header length');
    if (head.readUInt32LE(4) !== 0 || head.readUInt32LE(0) > MAX_HEADER_BYTES || 8 + head.readUInt32LE(0) > size) {
      throw new CliInputError(file, `header length at byte 0 is not plausible for a ${size}-byte safetensors file`);
    }
    const n = head.readUInt32LE(0);
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(readExactly(fd, n, 8, file, 'header').toString('utf8')) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof CliInputError) throw error;
      throw new CliInputError(file, `header (bytes 8…${8 + n}) is not JSON: ${(error as Error).message}`);
    }
    if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new CliInputError(file, 'header is not a JSON object');
    const meta = header.__metadata__ as Record<string, unknown> | undefined;
    if (meta && Object.prototype.hasOwnProperty.call(meta, ADAPTER_FORMAT_KEY)) {
      throw new CliInputError(file, 'is an ssh-peft adapter, not a model (select needs the base model weights)');
    }
    const base = 8 + n;
    const out: TorchLinearWeight[] = [];
    for (const [tensor, raw] of Object.entries(header)) {
      if (tensor === '__metadata__') continue;
      const entry = raw as HeaderEntry;
      const dtype = entry?.dtype as SafetensorsDtype;
      if (!entry || typeof entry !== 'object' || !(dtype in DTYPE_BYTES) || !Array.isArray(entry.shape) || !Array.isArray(entry.data_offsets)) {
        throw new CliInputError(file, `tensor ${JSON.stringify(tensor)}: malformed header entry`);
      }
      const [start, end] = entry.data_offsets;
      const elements = entry.shape.reduce((a, d) => a * d, 1);
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end - start !== elements * DTYPE_BYTES[dtype] || base + end > size) {
        throw new CliInputError(file, `tensor ${JSON.stringify(tensor)}: data_offsets [${start}, ${end}] do not hold ${dtype} [${entry.shape.join(', ')}] inside the file`);
      }
      if (!tensor.endsWith('.weight') || entry.shape.length !== 2 || !FLOAT_DTYPES.has(dtype)) continue;
      const [outFeatures, inFeatures] = entry.shape as [number, number];
      if (outFeatures === 0 || inFeatures === 0) continue;
      out.push({ name: tensor.slice(0, -'.weight'.length), file, dtype: dtype as TorchLinearWeight['dtype'], outFeatures, inFeatures, offset: base + start });
    }
    return out.sort((a, b) => a.offset - b.offset);
  } finally {
    closeSync(fd);
  }
}

/** The shard files of a checkpoint path: a file, an index json (`weight_map`), or a directory. */
export function checkpointShards(path: string): string[] {
  if (!existsSync(path)) throw new CliInputError(path, 'checkpoint not found');
  if (statSync(path).isDirectory()) {
    const index = readdirSync(path).find((f) => f.endsWith('.safetensors.index.json'));
    if (index) return checkpointShards(join(path, index));
    const files = readdirSync(path).filter((f) => f.endsWith('.safetensors')).sort();
    if (files.length === 0) throw new CliInputError(path, 'directory holds no .safetensors file');
    return files.map((f) => join(path, f));
  }
  if (path.endsWith('.json')) {
    let index: { weight_map?: Record<string, unknown> };
    try {
      index = JSON.parse(readFileText(path)) as typeof index;
    } catch (error) {
      if (error instanceof CliInputError) throw error;
      throw new CliInputError(path, `index is not JSON: ${(error as Error).message}`);
    }
    const map = index?.weight_map;
    if (map === null || typeof map !== 'object' || Array.isArray(map)) throw new CliInputError(path, 'index has no "weight_map" object (tensor name → shard file)');
    const shards: string[] = [];
    for (const [tensor, shard] of Object.entries(map)) {
      if (typeof shard !== 'string' || shard.includes('/') || shard.includes('\\') || shard === '..') {
        throw new CliInputError(path, `weight_map[${JSON.stringify(tensor)}] = ${JSON.stringify(shard)} is not a file name next to the index`);
      }
      const file = resolve(dirname(path), shard);
      if (!shards.includes(file)) shards.push(file);
    }
    return shards.sort();
  }
  if (!path.endsWith('.safetensors')) throw new CliInputError(path, `unknown checkpoint kind '${basename(path)}' (expected .safetensors, *.safetensors.index.json or a directory)`);
  return [path];
}

function readFileText(path: string): string {
  const fd = openSync(path, 'r');
  try {
    return readExactly(fd, statSync(path).size, 0, path, 'index').toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The `nn.Linear` weights of a checkpoint (headers only), optionally filtered by layer name;
 * a layer name present in two shards is an error.
 */
export function torchLinearWeights(path: string, targets?: RegExp): TorchLinearWeight[] {
  const seen = new Map<string, string>();
  const out: TorchLinearWeight[] = [];
  for (const shard of checkpointShards(path)) {
    for (const w of torchLinearWeightsOfFile(shard)) {
      const first = seen.get(w.name);
      if (first !== undefined) throw new CliInputError(shard, `tensor ${JSON.stringify(w.name + '.weight')} also appears in ${first}`);
      seen.set(w.name, shard);
      if (targets && !targets.test(w.name)) continue;
      out.push(w);
    }
  }
  if (out.length === 0) {
    throw new CliInputError(path, `has no 2-D float '<layer>.weight' tensor${targets ? ` whose layer name matches /${targets.source}/` : ''} to select positions in`);
  }
  return out;
}

/** float32 value of an IEEE half. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * The little-endian elements of a block as numbers, as a view of reused scratch memory (valid until
 * the next block). Buffer.alloc's memory is 8-byte aligned; the platform is little-endian, as the
 * fingerprint already assumes.
 */
function decodeBlock(block: Buffer, dtype: TorchLinearWeight['dtype'], count: number): Float32Array | Float64Array {
  if (dtype === 'F32') return new Float32Array(block.buffer, block.byteOffset, count);
  if (dtype === 'F64') return new Float64Array(block.buffer, block.byteOffset, count);
  const halves = new Uint16Array(block.buffer, block.byteOffset, count);
  if (scratchF32.length < count) scratchF32 = new Float32Array(count);
  const out = scratchF32.subarray(0, count);
  if (dtype === 'BF16') {
    const words = new Uint32Array(out.buffer, out.byteOffset, count);
    words.set(halves);
    for (let k = 0; k < count; k++) words[k] = words[k]! << 16;
  } else {
    for (let k = 0; k < count; k++) out[k] = halfToFloat(halves[k]!);
  }
  return out;
}

/**
 * Reads one weight and returns it transposed to `[d_in, d_out]` (Float64Array for F64, else
 * Float32Array), reading the stored `[d_out, d_in]` rows in blocks of ≤ 4 MiB.
 */
export function readTransposed(w: TorchLinearWeight): Float32Array | Float64Array {
  const { outFeatures: dOut, inFeatures: dIn, dtype } = w;
  const size = DTYPE_BYTES[dtype];
  const out = dtype === 'F64' ? new Float64Array(dIn * dOut) : new Float32Array(dIn * dOut);
  const rowBytes = dIn * size;
  const rowsPerBlock = Math.max(1, Math.floor(BLOCK_BYTES / rowBytes));
  const fd = openSync(w.file, 'r');
  try {
    for (let o0 = 0; o0 < dOut; o0 += rowsPerBlock) {
      const rows = Math.min(rowsPerBlock, dOut - o0);
      if (scratch.length < rows * rowBytes) scratch = Buffer.alloc(rows * rowBytes);
      const block = readExactly(fd, rows * rowBytes, w.offset + o0 * rowBytes, w.file, `tensor ${w.name}.weight`, scratch);
      const values = decodeBlock(block, dtype, rows * dIn);
      for (let r = 0; r < rows; r++) {
        const o = o0 + r;
        const at = r * dIn;
        for (let i = 0; i < dIn; i++) out[i * dOut + o] = values[at + i]!;
      }
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/**
 * The layers of a torch checkpoint as `select` consumes them: `length` known from the headers,
 * iteration reads one transposed matrix per step (nothing is read before it is asked for).
 *
 * @example
 * ```ts
 * const layers = new TorchCheckpointLayers('shards/model.safetensors.index.json', /proj$/);
 * const plan = await selectSpectrum(layers, { strategy: 'global', budget: 5000, energyRatio: 0.7, seed: 0 });
 * ```
 */
export class TorchCheckpointLayers implements Iterable<LayerInput> {
  readonly weights: readonly TorchLinearWeight[];
  constructor(path: string, targets?: RegExp) {
    this.weights = torchLinearWeights(path, targets);
  }
  get length(): number {
    return this.weights.length;
  }
  *[Symbol.iterator](): Iterator<LayerInput> {
    for (const w of this.weights) yield { name: w.name, rows: w.inFeatures, cols: w.outFeatures, weights: readTransposed(w) };
  }
}
