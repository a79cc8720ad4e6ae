/**
 * Typed errors of `@ssh-peft/adapter`. Every message names the offending file, tensor,
 * byte offset, layer or value, so that a user can locate the problem without a debugger.
 */

/**
 * Common base class of every error this package throws.
 *
 * @example
 * ```ts
 * import { AdapterError } from '@ssh-peft/adapter';
 * import { loadAdapter } from '@ssh-peft/adapter/node';
 * try { await loadAdapter(path); } catch (e) { if (e instanceof AdapterError) console.error(e.message); else throw e; }
 * ```
 */
export class AdapterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Where in a file a format problem was found (every field optional: known ones are filled in). */
export interface FormatErrorLocation {
  /** Path of the file being read, when reading from disk (or a caller-given label). */
  file?: string;
  /** Tensor name (e.g. `"encoder.0.query.indices"`) the problem concerns. */
  tensor?: string;
  /** Absolute byte offset in the file (0 = first byte of the 8-byte header length). */
  offset?: number;
  /** Metadata key (e.g. `"ssh_peft.layers"`) the problem concerns. */
  key?: string;
}

/**
 * The bytes are not a valid SSH adapter: truncated file, bad header length, malformed JSON,
 * bad `data_offsets`, dtype/shape/byte-length mismatch, unknown format version, indices out of
 * range or duplicated, non-finite coefficients, missing tensors…
 *
 * @example
 * ```ts
 * import { decodeAdapter, AdapterFormatError } from '@ssh-peft/adapter';
 * try { decodeAdapter(new Uint8Array([1, 2, 3])); }
 * catch (e) { if (e instanceof AdapterFormatError) console.log(e.offset, e.message); }
 * ```
 */
export class AdapterFormatError extends AdapterError {
  readonly file: string | undefined;
  readonly tensor: string | undefined;
  readonly offset: number | undefined;
  readonly key: string | undefined;

  constructor(problem: string, location: FormatErrorLocation = {}) {
    super(formatLocation(location) + problem);
    this.file = location.file;
    this.tensor = location.tensor;
    this.offset = location.offset;
    this.key = location.key;
  }
}

function formatLocation({ file, tensor, offset, key }: FormatErrorLocation): string {
  const parts: string[] = [];
  if (file !== undefined) parts.push(`file ${JSON.stringify(file)}`);
  if (tensor !== undefined) parts.push(`tensor ${JSON.stringify(tensor)}`);
  if (key !== undefined) parts.push(`metadata key ${JSON.stringify(key)}`);
  if (offset !== undefined) parts.push(`byte offset ${offset}`);
  return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}

/**
 * The file's integrity digest (`ssh_peft.digest`, format version 2) does not match its contents:
 * the bytes changed after the file was written (disk or transfer damage, or an edit by hand).
 * A subclass of {@link AdapterFormatError}; `expected` is the stored digest, `actual` the one
 * computed from the file.
 *
 * @example
 * ```ts
 * import { decodeAdapter, AdapterIntegrityError } from '@ssh-peft/adapter';
 * try { decodeAdapter(bytes, { file: 'a.safetensors' }); }
 * catch (e) { if (e instanceof AdapterIntegrityError) console.log(e.file, e.expected, e.actual); }
 * ```
 */
export class AdapterIntegrityError extends AdapterFormatError {
  readonly expected: string;
  readonly actual: string;

  constructor(expected: string, actual: string, location: FormatErrorLocation = {}) {
    super(
      `the contents changed after the file was written: the stored digest is ${expected}, the contents hash to ${actual} ` +
        '(the file is damaged or was edited; restore it or write it again)',
      location,
    );
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * An in-memory adapter or an argument is invalid (e.g. an index ≥ rows·cols, a NaN
 * coefficient, an unknown layer name, a bad option). `path` locates the value, e.g.
 * `"layers[1].coefficients[7]"` or `"options.alpha"`.
 *
 * @example
 * ```ts
 * import { encodeAdapter, AdapterValidationError } from '@ssh-peft/adapter';
 * try { encodeAdapter(adapter); }
 * catch (e) { if (e instanceof AdapterValidationError) console.log(e.path); } // e.g. "layers[0].coefficients[3]"
 * ```
 */
export class AdapterValidationError extends AdapterError {
  readonly path: string;

  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.path = path;
  }
}

/**
 * The base weights do not fit the adapter: layer absent from the base, shape mismatch
 * (including a transposed weight), or fingerprint mismatch (a different base model).
 *
 * @example
 * ```ts
 * import { verifyBase, AdapterMismatchError } from '@ssh-peft/adapter';
 * try { verifyBase(adapter, 'dense', kernel); }
 * catch (e) { if (e instanceof AdapterMismatchError) console.log(e.layer, e.expected, e.actual); }
 * ```
 */
export class AdapterMismatchError extends AdapterError {
  readonly layer: string;
  readonly expected: string | undefined;
  readonly actual: string | undefined;

  constructor(layer: string, problem: string, expected?: string, actual?: string) {
    super(`layer ${JSON.stringify(layer)}: ${problem}`);
    this.layer = layer;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * A file-system operation of {@link saveAdapter}/{@link loadAdapter} failed or was refused
 * (target exists without `overwrite`, missing file, not a file or directory). `cause` holds the
 * underlying Node error when there is one.
 *
 * @example
 * ```ts
 * import { AdapterIOError } from '@ssh-peft/adapter';
 * import { saveAdapter } from '@ssh-peft/adapter/node';
 * await saveAdapter(adapter, 'a.safetensors').catch((e) => {
 *   if (e instanceof AdapterIOError) console.log(`${e.file}: ${e.message}`); // e.g. already exists
 * });
 * ```
 */
export class AdapterIOError extends AdapterError {
  readonly file: string;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`file ${JSON.stringify(file)}: ${problem}`);
    this.file = file;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/**
 * An output path exists and is not a regular file or a symlink to one: a directory, FIFO,
 * socket, device (e.g. `/dev/null`) or a dangling link. Writing would replace it with a file
 * (as root, a device node) or fail half-way, so nothing is written. `kind` says what it is.
 *
 * @example
 * ```ts
 * import { AdapterOutputKindError } from '@ssh-peft/adapter';
 * import { saveAdapter } from '@ssh-peft/adapter/node';
 * await saveAdapter(adapter, '/dev/null.safetensors', { overwrite: true }).catch((e) => {
 *   if (e instanceof AdapterOutputKindError) console.log(e.file, e.kind);
 * });
 * ```
 */
export class AdapterOutputKindError extends AdapterIOError {
  readonly kind: string;

  constructor(file: string, kind: string, options?: { cause?: unknown }) {
    super(file, `is ${kind}, not a regular file; refusing to write over it (choose another output path)`, options);
    this.kind = kind;
  }
}
