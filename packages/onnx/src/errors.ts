/** Base class of every error thrown by `@ssh-peft/onnx`. */
export class OnnxAdapterError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The bytes are not a decodable ONNX model (not protobuf, truncated, or no graph). */
export class OnnxFormatError extends OnnxAdapterError {}

/** A tensor's data is unusable: unsupported dtype, wrong byte count, non-finite result. */
export class OnnxTensorError extends OnnxAdapterError {}

/**
 * An external-data reference is refused or broken: its `location` escapes the model's directory
 * (`..`, absolute path, symlink out), the file is missing, or it is shorter than declared.
 */
export class OnnxExternalDataError extends OnnxAdapterError {}

/** An adapter layer has no matching weight in the graph; the message lists near matches. */
export class OnnxLayerNotFoundError extends OnnxAdapterError {
  constructor(readonly layer: string, readonly nearMatches: readonly string[], detail: string) {
    super(`adapter layer ${JSON.stringify(layer)} not found in the ONNX graph (${detail}); near matches: ${nearMatches.length > 0 ? nearMatches.map((n) => JSON.stringify(n)).join(', ') : 'none'}`);
  }
}

/** The weight is used in a way the adapter cannot be applied to (non-MatMul use, mixed orientations, shared when refused). */
export class OnnxWeightUsageError extends OnnxAdapterError {}

/** The weight does not match the adapter layer: shape or fingerprint. */
export class OnnxWeightMismatchError extends OnnxAdapterError {}

/** A path argument is refused (e.g. output equal to the input). */
export class OnnxPathError extends OnnxAdapterError {}

/** An option has an invalid value. */
export class OnnxOptionError extends OnnxAdapterError {}

/**
 * A `mapping` entry names no graph weight (initializer or node) or no adapter layer; `entry` is the
 * entry's graph name or pattern.
 */
export class OnnxMappingError extends OnnxOptionError {
  constructor(readonly entry: string, message: string) {
    super(message);
  }
}

/** The requested execution provider is not available in this onnxruntime-node installation. */
export class OnnxExecutionProviderError extends OnnxAdapterError {}
