import { AdapterValidationError } from '../errors';
import { DTYPE_BYTES, isSafetensorsDtype, type SafetensorsDtype } from './dtypes';
import { DATA_ALIGNMENT, METADATA_KEY } from './limits';

/** A tensor to write: little-endian data bytes with their dtype and shape. */
export interface SafetensorsTensorInput {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Little-endian element bytes, exactly `product(shape) · size(dtype)` long. */
  readonly bytes: Uint8Array;
}

const utf8 = new TextEncoder();

/**
 * Writes a safetensors byte string: 8-byte little-endian header length, the JSON header
 * (`__metadata__` first, then tensors in the given order, with contiguous `data_offsets`),
 * padded with spaces so the data starts at a multiple of 8, then the tensor bytes.
 * Deterministic: the same input always gives the same bytes.
 *
 * @example
 * ```ts
 * import { encodeSafetensors } from '@ssh-peft/adapter';
 * const f32 = new Float32Array([1.5, -2]);
 * const bytes = encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [2], bytes: new Uint8Array(f32.buffer) }]);
 * ```
 */
export function encodeSafetensors(tensors: readonly SafetensorsTensorInput[], metadata?: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new AdapterValidationError(`metadata[${JSON.stringify(k)}]`, `must be a string, got ${typeof v}`);
    }
    header[METADATA_KEY] = metadata;
  }
  let offset = 0;
  for (const t of tensors) {
    const path = `tensor ${JSON.stringify(t.name)}`;
    if (t.name === METADATA_KEY) throw new AdapterValidationError(path, `the name ${METADATA_KEY} is reserved`);
    if (Object.prototype.hasOwnProperty.call(header, t.name)) throw new AdapterValidationError(path, 'duplicate tensor name');
    if (!isSafetensorsDtype(t.dtype)) throw new AdapterValidationError(`${path}.dtype`, `unknown dtype ${String(t.dtype)}`);
    let elements = 1;
    for (const d of t.shape) {
      if (!Number.isSafeInteger(d) || d < 0) throw new AdapterValidationError(`${path}.shape`, `[${t.shape.join(', ')}] has a dimension that is not a non-negative integer`);
      elements *= d;
    }
    const byteLength = elements * DTYPE_BYTES[t.dtype];
    if (t.bytes.length !== byteLength) {
      throw new AdapterValidationError(`${path}.bytes`, `length ${t.bytes.length} ≠ ${t.dtype} × [${t.shape.join(', ')}] = ${byteLength} bytes`);
    }
    Object.defineProperty(header, t.name, {
      value: { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + byteLength] },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    offset += byteLength;
  }
  const json = utf8.encode(JSON.stringify(header));
  const padded = Math.ceil((8 + json.length) / DATA_ALIGNMENT) * DATA_ALIGNMENT - 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let at = 8 + padded;
  for (const t of tensors) {
    out.set(t.bytes, at);
    at += t.bytes.length;
  }
  return out;
}
