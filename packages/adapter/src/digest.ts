/**
 * The integrity digest of an adapter file (format version 2, docs/adapter-format.md §6):
 * SHA-256 over the metadata values and the tensors, stored as `ssh_peft.digest`.
 * safetensors itself has no checksum: without this, about 2 % of random byte edits of an adapter
 * decode to a valid adapter with quietly changed positions or coefficients.
 */
import { META_CONFIG, META_FORMAT, META_LAYERS, META_METADATA, META_VERSION } from './metadata-keys';
import { Sha256, toHex } from './sha256';
import type { SafetensorsTensorInput } from './safetensors/encode';

/** The metadata keys covered by the digest, in the order they enter the message. */
export const DIGESTED_METADATA_KEYS = [META_FORMAT, META_VERSION, META_CONFIG, META_METADATA, META_LAYERS] as const;

/** Prefix of the digest text; the 64 lowercase hex digits of SHA-256 follow. */
export const DIGEST_PREFIX = 'sha256:';

/** Shape of a well-formed digest value. */
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * One tensor as it enters the digest: a safetensors tensor whose dtype is the header's text
 * (a decoded file's dtype is digested as written, before it is judged).
 */
export type DigestTensor = Omit<SafetensorsTensorInput, 'dtype'> & { readonly dtype: string };

const utf8 = new TextEncoder();

/**
 * Computes `sha256:<hex>` of the message: for each key of {@link DIGESTED_METADATA_KEYS}
 * field(key) field(value exactly as stored); then for each tensor, in the order given (layer
 * order, `.indices` before `.coefficients`), field(name) field(dtype) field(shape: each
 * dimension as u64 LE) field(raw bytes). field(x) is the byte length of x as u64 little-endian
 * followed by x. A missing metadata value is a caller error (the decoder checks presence first).
 *
 * @example
 * ```ts
 * import { computeAdapterDigest } from '@ssh-peft/adapter';
 * const digest = computeAdapterDigest(metadata, tensors); // 'sha256:3f1c…'
 * ```
 */
export function computeAdapterDigest(metadata: Readonly<Record<string, string>>, tensors: readonly DigestTensor[]): string {
  const hash = new Sha256();
  const lengthBytes = new Uint8Array(8);
  const lengthView = new DataView(lengthBytes.buffer);
  const field = (bytes: Uint8Array) => {
    lengthView.setUint32(0, bytes.length >>> 0, true);
    lengthView.setUint32(4, Math.floor(bytes.length / 2 ** 32), true);
    hash.update(lengthBytes);
    hash.update(bytes);
  };
  for (const key of DIGESTED_METADATA_KEYS) {
    const value = metadata[key];
    if (value === undefined) throw new Error(`computeAdapterDigest: metadata key ${key} is missing`);
    field(utf8.encode(key));
    field(utf8.encode(value));
  }
  for (const t of tensors) {
    field(utf8.encode(t.name));
    field(utf8.encode(t.dtype));
    const shape = new Uint8Array(8 * t.shape.length);
    const shapeView = new DataView(shape.buffer);
    t.shape.forEach((d, i) => {
      shapeView.setUint32(8 * i, d >>> 0, true);
      shapeView.setUint32(8 * i + 4, Math.floor(d / 2 ** 32), true);
    });
    field(shape);
    field(t.bytes);
  }
  return DIGEST_PREFIX + toHex(hash.digest());
}
