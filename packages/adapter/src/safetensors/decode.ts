import { describeValue } from '../describe-value';
import { AdapterFormatError } from '../errors';
import { DTYPE_BYTES, isSafetensorsDtype, type SafetensorsDtype } from './dtypes';
import { MAX_HEADER_BYTES, METADATA_KEY } from './limits';

/** One tensor of a decoded safetensors file. `bytes` is a view into the input, not a copy. */
export interface SafetensorsTensor {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Absolute byte offset of the first data byte in the file (for error messages). */
  readonly fileOffset: number;
  /** The little-endian data bytes: a subarray of the decoded input. */
  readonly bytes: Uint8Array;
}

/** A decoded safetensors file: metadata map and tensors in data-offset order. */
export interface SafetensorsFile {
  readonly metadata: Readonly<Record<string, string>>;
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  /** Absolute offset of the data buffer (8 + header length). */
  readonly dataStart: number;
}

/** Options of {@link decodeSafetensors}. */
export interface DecodeSafetensorsOptions {
  /** Name used in error messages (a path when read from disk). */
  file?: string;
  /** Largest header accepted; default {@link MAX_HEADER_BYTES}. */
  maxHeaderBytes?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses and strictly validates a safetensors byte string: header length within the file and
 * under a cap, UTF-8 JSON object header, known dtypes, non-negative integer shapes, byte lengths
 * equal to `elements · dtype size`, and `data_offsets` that tile the data buffer exactly
 * (sorted by start: first at 0, each starting where the previous ended, the last ending at the
 * end of the file — the safetensors rule "no holes, no overlaps"). Throws
 * {@link AdapterFormatError} naming the file, tensor and byte offset; never allocates more than
 * the input's size.
 *
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from '@ssh-peft/adapter';
 * const bytes = encodeSafetensors([{ name: 'x', dtype: 'U8', shape: [2], bytes: new Uint8Array([7, 9]) }], { a: 'b' });
 * const file = decodeSafetensors(bytes);
 * file.tensors.get('x')!.bytes; // Uint8Array [7, 9]
 * ```
 */
export function decodeSafetensors(input: Uint8Array, options: DecodeSafetensorsOptions = {}): SafetensorsFile {
  const file = options.file;
  const cap = options.maxHeaderBytes ?? MAX_HEADER_BYTES;
  if (!(input instanceof Uint8Array)) {
    throw new AdapterFormatError(`expected a Uint8Array, got ${describeValue(input)}`, { file });
  }
  if (input.length < 8) {
    throw new AdapterFormatError(`truncated: ${input.length} bytes, fewer than the 8-byte header length`, { file, offset: input.length });
  }
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const lengthLow = view.getUint32(0, true);
  const lengthHigh = view.getUint32(4, true);
  // Decide on the header length before touching it: a forged u64 must not drive any allocation.
  if (lengthHigh !== 0 || lengthLow > cap) {
    const claimed = BigInt(lengthHigh) * 2n ** 32n + BigInt(lengthLow);
    throw new AdapterFormatError(`header length ${claimed} exceeds the cap of ${cap} bytes`, { file, offset: 0 });
  }
  const headerLength = lengthLow;
  if (8 + headerLength > input.length) {
    throw new AdapterFormatError(
      `truncated: header length ${headerLength} needs ${8 + headerLength} bytes, the file has ${input.length}`,
      { file, offset: input.length },
    );
  }
  if (headerLength < 2) {
    throw new AdapterFormatError(`header length ${headerLength} is too small for a JSON object`, { file, offset: 0 });
  }
  const headerBytes = input.subarray(8, 8 + headerLength);
  if (headerBytes[0] !== 0x7b /* { */) {
    throw new AdapterFormatError(`header does not start with '{' (byte 0x${headerBytes[0]!.toString(16).padStart(2, '0')})`, { file, offset: 8 });
  }
  let text: string;
  try {
    text = utf8.decode(headerBytes);
  } catch {
    throw new AdapterFormatError('header is not valid UTF-8', { file, offset: 8 });
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new AdapterFormatError(`header is not valid JSON (${(e as Error).message})`, { file, offset: 8 });
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new AdapterFormatError('header JSON is not an object', { file, offset: 8 });
  }

  const dataStart = 8 + headerLength;
  const dataLength = input.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: Array<{ name: string; dtype: SafetensorsDtype; shape: number[]; start: number; end: number }> = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      metadata = readMetadata(raw, file);
      continue;
    }
    entries.push(readTensorInfo(name, raw, file));
  }

  // Tile check: stable sort by start keeps zero-length tensors in a deterministic order.
  const ordered = entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  let expectedStart = 0;
  for (const { e } of ordered) {
    if (e.start !== expectedStart) {
      const problem = e.start < expectedStart
        ? `data_offsets [${e.start}, ${e.end}] overlap the previous tensor, which ends at ${expectedStart}`
        : `data_offsets [${e.start}, ${e.end}] leave a gap: the previous tensor ends at ${expectedStart}`;
      throw new AdapterFormatError(problem, { file, tensor: e.name, offset: dataStart + Math.min(e.start, expectedStart) });
    }
    if (e.end > dataLength) {
      throw new AdapterFormatError(
        `data_offsets [${e.start}, ${e.end}] run past the end of the data buffer (${dataLength} bytes; file truncated?)`,
        { file, tensor: e.name, offset: dataStart + dataLength },
      );
    }
    expectedStart = e.end;
  }
  if (expectedStart !== dataLength) {
    throw new AdapterFormatError(
      `${dataLength - expectedStart} trailing bytes after the last tensor (data buffer is ${dataLength} bytes, tensors cover ${expectedStart})`,
      { file, offset: dataStart + expectedStart },
    );
  }

  // File (offset) order, not header-key order: JSON objects list integer-like keys first.
  const tensors = new Map<string, SafetensorsTensor>();
  for (const { e } of ordered) {
    tensors.set(e.name, {
      name: e.name,
      dtype: e.dtype,
      shape: e.shape,
      fileOffset: dataStart + e.start,
      bytes: input.subarray(dataStart + e.start, dataStart + e.end),
    });
  }
  return { metadata, tensors, dataStart };
}

function readMetadata(raw: unknown, file: string | undefined): Record<string, string> {
  // The upstream format declares the map optional; its Rust reader accepts an explicit null.
  if (raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AdapterFormatError(`${METADATA_KEY} is ${describeValue(raw)}, expected an object of strings`, { file, key: METADATA_KEY });
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'string') {
      throw new AdapterFormatError(`value is ${describeValue(value)}, expected a string`, { file, key });
    }
    // defineProperty: a key named "__proto__" must stay data, not replace the prototype.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function readTensorInfo(name: string, raw: unknown, file: string | undefined) {
  const fail = (problem: string): never => {
    throw new AdapterFormatError(problem, { file, tensor: name, offset: 8 });
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(`entry is ${describeValue(raw)}, expected {dtype, shape, data_offsets}`);
  const info = raw as Record<string, unknown>;
  for (const key of Object.keys(info)) {
    if (key !== 'dtype' && key !== 'shape' && key !== 'data_offsets') fail(`unknown field ${JSON.stringify(key)} (expected dtype, shape, data_offsets)`);
  }
  const dtype = info.dtype;
  if (!isSafetensorsDtype(dtype)) fail(`unknown dtype ${describeValue(dtype)} (known: ${Object.keys(DTYPE_BYTES).join(', ')})`);
  const shapeRaw = info.shape;
  if (!Array.isArray(shapeRaw)) fail(`shape is ${describeValue(shapeRaw)}, expected an array of non-negative integers`);
  const shape = shapeRaw as unknown[];
  let elements = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) fail(`shape[${i}] = ${describeValue(d)} is not a non-negative integer`);
    elements *= d as number;
    if (!Number.isSafeInteger(elements)) fail(`shape [${shape.join(', ')}] has more elements than can be addressed`);
  }
  const offsets = info.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2) fail(`data_offsets is ${describeValue(offsets)}, expected [start, end]`);
  const [start, end] = offsets as unknown[];
  for (const [label, v] of [['start', start], ['end', end]] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`data_offsets ${label} = ${describeValue(v)} is not a non-negative integer`);
  }
  if ((end as number) < (start as number)) fail(`data_offsets [${start}, ${end}] end before they start`);
  const byteLength = elements * DTYPE_BYTES[dtype as SafetensorsDtype];
  if (!Number.isSafeInteger(byteLength) || byteLength !== (end as number) - (start as number)) {
    fail(`dtype ${dtype} × shape [${shape.join(', ')}] = ${byteLength} bytes, but data_offsets [${start}, ${end}] span ${(end as number) - (start as number)}`);
  }
  return { name, dtype: dtype as SafetensorsDtype, shape: shape as number[], start: start as number, end: end as number };
}
