/**
 * The page's digit files: a set of 28×28 MNIST images with labels in a compact, lossless
 * binary form. The `mnist` package's grey values have three decimals, so there are at most
 * 256 distinct values: each pixel is stored as one byte indexing a float32 palette, which
 * gives back exactly the values the CLI reads from the package's JSON (a quarter of float32's
 * size, a tenth of the JSON's).
 *
 * Layout (little-endian):
 * ```
 * offset 0        8 bytes  magic "SSHDIGIT"
 * offset 8        u32      version (1)
 * offset 12       u32      count (images)
 * offset 16       u32      pixels per image (784)
 * offset 20       u32      palette size P (1…256)
 * offset 24       f32[P]   palette
 * then            u8[count]          labels (0…9)
 * then            u8[count·pixels]   palette index of every pixel, image after image, row-major
 * ```
 */

/** Pixels of one 28×28 image. */
export const DIGIT_PIXELS = 784;
const MAGIC = 'SSHDIGIT';
const VERSION = 1;
const HEADER_BYTES = 24;

/** A set of images `[count, 784]` row-major with `labels[i]` the digit of image i. */
export interface DigitSet {
  readonly count: number;
  readonly images: Float32Array;
  readonly labels: Uint8Array;
}

/** A digit file is malformed; names the file and the byte offset. */
export class DigitPackError extends Error {
  override name = 'DigitPackError';
  constructor(
    readonly file: string,
    readonly byteOffset: number,
    detail: string,
  ) {
    super(`digit file ${file}: ${detail} (at byte ${byteOffset})`);
  }
}

/**
 * Encodes `set` (every pixel must be one of at most 256 distinct finite values).
 *
 * @example
 * ```ts
 * const bytes = encodeDigitPack({ count: 1, images: new Float32Array(784), labels: Uint8Array.of(3) });
 * ```
 */
export function encodeDigitPack(set: DigitSet): Uint8Array {
  const { count, images, labels } = set;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`encodeDigitPack: count must be a positive integer, got ${count}`);
  if (images.length !== count * DIGIT_PIXELS) throw new RangeError(`encodeDigitPack: ${images.length} pixels, expected ${count}×${DIGIT_PIXELS}`);
  if (labels.length !== count) throw new RangeError(`encodeDigitPack: ${labels.length} labels, expected ${count}`);
  const distinct = new Set<number>();
  for (let i = 0; i < images.length; i++) {
    const v = images[i];
    if (!Number.isFinite(v)) throw new RangeError(`encodeDigitPack: pixel ${i} is ${v}`);
    distinct.add(v);
    if (distinct.size > 256) throw new RangeError('encodeDigitPack: more than 256 distinct grey values; this format stores a 256-entry palette');
  }
  const palette = Float32Array.from([...distinct].sort((a, b) => a - b));
  const slot = new Map<number, number>();
  palette.forEach((v, i) => slot.set(v, i));
  const bytes = new Uint8Array(HEADER_BYTES + palette.length * 4 + count + count * DIGIT_PIXELS);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, count, true);
  view.setUint32(16, DIGIT_PIXELS, true);
  view.setUint32(20, palette.length, true);
  palette.forEach((v, i) => view.setFloat32(HEADER_BYTES + 4 * i, v, true));
  let offset = HEADER_BYTES + palette.length * 4;
  for (let i = 0; i < count; i++) {
    if (!(labels[i] <= 9)) throw new RangeError(`encodeDigitPack: label ${labels[i]} of image ${i} is not a digit`);
    bytes[offset++] = labels[i];
  }
  for (let i = 0; i < images.length; i++) bytes[offset++] = slot.get(images[i]) as number;
  return bytes;
}

/**
 * Decodes a digit file, checking every field; `file` names it in errors.
 *
 * @throws {DigitPackError} naming the field and byte offset that is wrong.
 * @example
 * ```ts
 * const test = decodeDigitPack(new Uint8Array(await (await fetch('data/test.bin')).arrayBuffer()), 'data/test.bin');
 * ```
 */
export function decodeDigitPack(bytes: Uint8Array, file = 'digits'): DigitSet {
  if (bytes.length < HEADER_BYTES) throw new DigitPackError(file, 0, `only ${bytes.length} bytes, the header alone is ${HEADER_BYTES}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) throw new DigitPackError(file, i, `not a digit file (expected the magic "${MAGIC}")`);
  }
  const version = view.getUint32(8, true);
  if (version !== VERSION) throw new DigitPackError(file, 8, `version ${version}, this page reads version ${VERSION}`);
  const count = view.getUint32(12, true);
  if (count < 1) throw new DigitPackError(file, 12, 'holds no image');
  const pixels = view.getUint32(16, true);
  if (pixels !== DIGIT_PIXELS) throw new DigitPackError(file, 16, `${pixels} pixels per image, expected ${DIGIT_PIXELS}`);
  const paletteSize = view.getUint32(20, true);
  if (paletteSize < 1 || paletteSize > 256) throw new DigitPackError(file, 20, `palette of ${paletteSize} entries, expected 1…256`);
  const expected = HEADER_BYTES + paletteSize * 4 + count + count * DIGIT_PIXELS;
  if (bytes.length !== expected) throw new DigitPackError(file, Math.min(bytes.length, expected), `${bytes.length} bytes, the header announces ${expected}`);
  const palette = new Float32Array(paletteSize);
  for (let i = 0; i < paletteSize; i++) {
    const v = view.getFloat32(HEADER_BYTES + 4 * i, true);
    if (!Number.isFinite(v)) throw new DigitPackError(file, HEADER_BYTES + 4 * i, `palette entry ${i} is ${v}`);
    palette[i] = v;
  }
  const labelsAt = HEADER_BYTES + paletteSize * 4;
  const labels = bytes.slice(labelsAt, labelsAt + count);
  for (let i = 0; i < count; i++) if (labels[i] > 9) throw new DigitPackError(file, labelsAt + i, `label ${labels[i]} of image ${i} is not a digit`);
  const pixelsAt = labelsAt + count;
  const images = new Float32Array(count * DIGIT_PIXELS);
  for (let i = 0; i < images.length; i++) {
    const index = bytes[pixelsAt + i];
    if (index >= paletteSize) throw new DigitPackError(file, pixelsAt + i, `palette index ${index} ≥ palette size ${paletteSize}`);
    images[i] = palette[index];
  }
  return { count, images, labels };
}

/** The inverted task of the CLI demo: x → 1 − x on every pixel, labels unchanged. */
export function invertDigits(set: DigitSet): DigitSet {
  const images = new Float32Array(set.images.length);
  for (let i = 0; i < images.length; i++) images[i] = 1 - set.images[i];
  return { count: set.count, images, labels: set.labels };
}
