import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal configurations hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`canonicalJson: non-finite number ${value}`);
    if (value === undefined) throw new TypeError('canonicalJson: undefined is not representable');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * A short stable key for a configuration: the first 16 hex digits of the SHA-256 of its
 * canonical JSON.
 *
 * @example
 * ```ts
 * configHash({ dim: 32, depth: 2 }) === configHash({ depth: 2, dim: 32 }); // true
 * ```
 */
export function configHash(config: unknown): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 16);
}

/** SHA-256 (hex) of raw bytes, for data fingerprints and cache integrity checks. */
export function bytesHash(bytes: ArrayBufferView | ArrayBuffer): string {
  const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return createHash('sha256').update(view).digest('hex');
}
