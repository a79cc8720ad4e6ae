/**
 * Typed errors of `@ssh-peft/tfjs`. Every message names the offending argument,
 * layer, shape or value so that a failure can be fixed without a debugger.
 */

/** Base class: `instanceof SshTfjsError` catches every error this package throws on bad input. */
export class SshTfjsError extends Error {
  /** `options.cause`: the underlying error when this one wraps another package's. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A tensor or array has the wrong rank or size for the operation. */
export class SshShapeError extends SshTfjsError {}

/** A tensor has a dtype the operation does not accept (the kernels are float32 only). */
export class SshDtypeError extends SshTfjsError {}

/** An option is missing, out of range or of the wrong type. */
export class SshOptionError extends SshTfjsError {}

/** `targets` matched no layer, or matched a layer that is not a Dense layer. */
export class SshTargetError extends SshTfjsError {}

/** The requested number of positions exceeds what the targeted layers hold. */
export class SshBudgetError extends SshTfjsError {}

/** An adapter does not fit the model (layer names, shapes, fingerprints, counts). */
export class SshAdapterMismatchError extends SshTfjsError {}

/** A coefficient became NaN or ±Infinity (typically after a diverging training step). */
export class SshNonFiniteError extends SshTfjsError {
  /** Name of the layer whose coefficients are not finite. */
  readonly layerName: string;
  /** Index of the first non-finite coefficient and its value. */
  readonly index: number;
  readonly value: number;
  constructor(layerName: string, index: number, value: number, what = 'coefficient') {
    super(
      `layer '${layerName}': ${what} ${index} is ${value} (non-finite) — training diverged; ` +
        `lower the learning rate or alpha, or reload the last good adapter`,
    );
    this.layerName = layerName;
    this.index = index;
    this.value = value;
  }
}

/** A tensor, layer or handle was used after it was disposed. */
export class SshDisposedError extends SshTfjsError {}

/** A state transition that is not allowed (e.g. merging an already merged adapter). */
export class SshStateError extends SshTfjsError {}
