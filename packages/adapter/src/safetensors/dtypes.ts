/**
 * The safetensors dtype names and their element sizes in bytes (the names the Rust and
 * Python `safetensors` libraries write). Sub-byte dtypes (F4, F6…) are not accepted: their
 * byte length is not `elements · size`, and an SSH adapter never holds them.
 */
export const DTYPE_BYTES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
} as const;

/** A safetensors dtype name this package understands. */
export type SafetensorsDtype = keyof typeof DTYPE_BYTES;

/** Whether `name` is a dtype of {@link DTYPE_BYTES}. */
export function isSafetensorsDtype(name: unknown): name is SafetensorsDtype {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_BYTES, name);
}
