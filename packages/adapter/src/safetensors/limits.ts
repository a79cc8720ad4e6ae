/**
 * The largest JSON header accepted, in bytes. The Rust `safetensors` crate refuses headers
 * above 100 MB; an adapter header is a few hundred bytes per layer, so this cap is generous
 * while guaranteeing that a forged header length never makes the reader allocate gigabytes.
 */
export const MAX_HEADER_BYTES = 100_000_000;

/** Header bytes are padded with spaces so that the tensor data starts at a multiple of this. */
export const DATA_ALIGNMENT = 8;

/** Key of the string → string metadata map in a safetensors header. */
export const METADATA_KEY = '__metadata__';
