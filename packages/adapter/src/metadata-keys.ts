/**
 * Names used inside the safetensors file. Tensors of layer `L` are `L.indices` and
 * `L.coefficients`; everything else is a JSON string in `__metadata__` under these keys.
 */
export const META_FORMAT = 'ssh_peft.format';
export const META_VERSION = 'ssh_peft.version';
export const META_CONFIG = 'ssh_peft.config';
export const META_METADATA = 'ssh_peft.metadata';
export const META_LAYERS = 'ssh_peft.layers';
/** Integrity digest (format version 2): `sha256:` + 64 lowercase hex digits, see digest.ts. */
export const META_DIGEST = 'ssh_peft.digest';

export const INDICES_SUFFIX = '.indices';
export const COEFFICIENTS_SUFFIX = '.coefficients';
