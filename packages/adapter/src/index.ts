/**
 * @packageDocumentation
 * `@ssh-peft/adapter` — the SSH adapter: a plain object holding, per adapted layer, the spectral
 * positions and trainable coefficients; its `.safetensors` file format (single file or the PEFT
 * directory layout); creation from a selection plan; base-model verification by fingerprint;
 * and the exact merge math ΔW = α · IDHT2(S) by the lightweight inverse DHT.
 *
 * The main entry is browser-safe (no Node module anywhere in its graph); file I/O
 * (`saveAdapter`/`loadAdapter`) is in the Node-only entry `@ssh-peft/adapter/node`.
 */
export { ADAPTER_FORMAT, ADAPTER_FORMAT_VERSION, SUPPORTED_ADAPTER_VERSIONS } from './types';
export type { AdapterFormatVersion, SshAdapter, SshAdapterLayer, SshAdapterConfig, AdapterInit, JsonValue } from './types';
export { AdapterError, AdapterFormatError, AdapterValidationError, AdapterMismatchError, AdapterIOError, AdapterIntegrityError, AdapterOutputKindError, type FormatErrorLocation } from './errors';
export { createAdapter, type CreateAdapterOptions } from './create';
export { adapterFromLayers } from './from-layers';
export { encodeAdapter, decodeAdapter, type DecodeAdapterOptions, type AdapterNotice } from './codec';
export { computeAdapterDigest, DIGESTED_METADATA_KEYS, type DigestTensor } from './digest';
export { Sha256, sha256, toHex } from './sha256';
export { deltaWeight, deltaWeight64, mergeWeights, unmergeWeights, type MergeOptions, type WeightArray } from './delta';
export { verifyBase, verifyBaseModel, type BaseWeight } from './verify';
export { describeAdapter, type AdapterDescription, type LayerParameterCount, type DescribeOptions } from './describe';
export { validateAdapter, getLayer } from './validate';
export { buildPeftConfig, checkPeftConfig, PEFT_CONFIG_FILE, PEFT_WEIGHTS_FILE } from './peft-config';
export { encodeSafetensors, type SafetensorsTensorInput } from './safetensors/encode';
export { decodeSafetensors, type SafetensorsFile, type SafetensorsTensor, type DecodeSafetensorsOptions } from './safetensors/decode';
export { DTYPE_BYTES, type SafetensorsDtype } from './safetensors/dtypes';
export { MAX_HEADER_BYTES } from './safetensors/limits';
