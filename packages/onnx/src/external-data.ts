/**
 * External tensor data (`data_location = EXTERNAL`): resolving `location` safely inside the model's
 * directory and reading the declared byte range. This is a security boundary: a model file is
 * untrusted input, and a `location` such as `../../etc/shadow` or a symlink pointing out of the
 * directory must never make us read (or later copy) a file outside it.
 */
import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { fileKindOf } from '@ssh-peft/adapter/node';
import { OnnxExternalDataError } from './errors';
import type { TensorProto } from './proto';
import { bytesPerElement, elementCount, floatDtypeOf, tensorDims } from './tensor-values';

/** ONNX `TensorProto.DataLocation.EXTERNAL`. */
export const EXTERNAL = 1;

/** One parsed external-data reference. */
export interface ExternalRef {
  location: string;
  offset: number;
  /** Declared length, or undefined (then: element count × element size). */
  length: number | undefined;
}

/** Whether a tensor keeps its data in an external file. */
export function isExternal(tensor: TensorProto): boolean {
  return tensor.dataLocation === EXTERNAL;
}

function parseNonNegative(value: string, key: string, tensorName: string): number {
  if (!/^\d+$/.test(value)) throw new OnnxExternalDataError(`tensor ${JSON.stringify(tensorName)}: external_data ${key} ${JSON.stringify(value)} is not a non-negative integer`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new OnnxExternalDataError(`tensor ${JSON.stringify(tensorName)}: external_data ${key} ${value} is too large`);
  return n;
}

/** Parses the `external_data` key/value entries of a tensor. */
export function parseExternalRef(tensor: TensorProto): ExternalRef {
  const name = tensor.name ?? '';
  let location: string | undefined;
  let offset = 0;
  let length: number | undefined;
  for (const entry of tensor.externalData ?? []) {
    const value = entry.value ?? '';
    if (entry.key === 'location') location = value;
    else if (entry.key === 'offset') offset = parseNonNegative(value, 'offset', name);
    else if (entry.key === 'length') length = parseNonNegative(value, 'length', name);
  }
  if (location === undefined || location === '') throw new OnnxExternalDataError(`tensor ${JSON.stringify(name)}: external data without a location entry`);
  return { location, offset, length };
}

/**
 * Absolute real path of `location` under `baseDir`, checked before anything is opened: refuses
 * absolute paths, drive letters, any `..` segment, the model's directory itself (`.`), anything
 * that (after resolving symlinks) is not strictly inside the real `baseDir`, and anything that is
 * not a regular file — a directory (a raw EISDIR otherwise), a FIFO (reading would block forever),
 * a socket or a device. Every error names the tensor and the location.
 */
export async function resolveExternalLocation(baseDir: string, location: string, tensorName: string): Promise<string> {
  const where = `tensor ${JSON.stringify(tensorName)}: external data location ${JSON.stringify(location)}`;
  if (isAbsolute(location) || /^[A-Za-z]:/.test(location) || location.startsWith('\\') || location.startsWith('/')) {
    throw new OnnxExternalDataError(`${where} is an absolute path; only paths relative to the model's directory are accepted`);
  }
  if (location.split(/[\\/]/).includes('..')) {
    throw new OnnxExternalDataError(`${where} contains '..' and could escape the model's directory ${baseDir}; refused`);
  }
  if (location.includes('\0')) throw new OnnxExternalDataError(`${where} contains a NUL byte; refused`);
  const realBase = await realpath(baseDir);
  const candidate = resolve(baseDir, location);
  if (candidate === resolve(baseDir)) {
    throw new OnnxExternalDataError(`${where} names the model's directory itself, not a data file inside it; refused`);
  }
  let real: string;
  try {
    real = await realpath(candidate);
  } catch (e) {
    throw new OnnxExternalDataError(`${where}: file ${candidate} is missing (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  if (real === realBase) {
    throw new OnnxExternalDataError(`${where} resolves (through a symlink) to the model's directory ${realBase} itself, not a data file; refused`);
  }
  if (!real.startsWith(realBase + sep)) {
    throw new OnnxExternalDataError(`${where} resolves (through a symlink) to ${real}, outside the model's directory ${realBase}; refused`);
  }
  const kind = fileKindOf(await stat(real));
  if (kind !== 'file') throw new OnnxExternalDataError(`${where}: ${real} is a ${kind}, not a regular file; refused`);
  return real;
}


/**
 * Reads a tensor's external bytes. Throws {@link OnnxExternalDataError} naming file, offset and
 * sizes when the file is shorter than declared or the declared length disagrees with the shape.
 */
export async function readExternalBytes(baseDir: string, tensor: TensorProto): Promise<{ bytes: Uint8Array; file: string }> {
  const name = tensor.name ?? '';
  const ref = parseExternalRef(tensor);
  const file = await resolveExternalLocation(baseDir, ref.location, name);
  const expected = elementCount(tensorDims(tensor)) * bytesPerElementOf(tensor);
  const length = ref.length ?? expected;
  if (expected >= 0 && length !== expected) {
    throw new OnnxExternalDataError(`tensor ${JSON.stringify(name)}: external length ${length} ≠ ${expected} bytes needed by shape [${tensorDims(tensor)}]`);
  }
  // O_NONBLOCK: should the file have been swapped for a FIFO since the check, open does not block
  // (and the fstat below refuses it); on a regular file the flag changes nothing.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new OnnxExternalDataError(`tensor ${JSON.stringify(name)}: external data location ${JSON.stringify(ref.location)}: ${file} is a ${fileKindOf(stats)}, not a regular file; refused`);
    }
    const { size } = stats;
    if (ref.offset + length > size) {
      throw new OnnxExternalDataError(
        `tensor ${JSON.stringify(name)}: external file ${file} has ${size} bytes, shorter than declared (offset ${ref.offset} + length ${length} = ${ref.offset + length})`,
      );
    }
    const bytes = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(bytes, done, length - done, ref.offset + done);
      if (bytesRead === 0) throw new OnnxExternalDataError(`tensor ${JSON.stringify(name)}: unexpected end of ${file} at byte offset ${ref.offset + done}`);
      done += bytesRead;
    }
    return { bytes, file };
  } finally {
    await handle.close();
  }
}

/** Element size of any tensor type that may be external (floats and the common integer types). */
function bytesPerElementOf(tensor: TensorProto): number {
  const code = tensor.dataType ?? 0;
  const intSizes: Record<number, number> = { 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 12: 4, 13: 8 };
  if (intSizes[code] !== undefined) return intSizes[code]!;
  return bytesPerElement(floatDtypeOf(tensor));
}
