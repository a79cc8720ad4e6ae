import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMnistDigits, mnistDigitsDirectory, takeDigits, MNIST_PIXELS } from '../src/data/mnist';
import { applyTargetTask, transformImage, TARGET_TASKS } from '../src/data/target-task';
import { MnistFormatError } from '../src/errors';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('loadMnistDigits', () => {
  const digits = loadMnistDigits();
  it('reads the 10 000 shipped images in digit order, values in [0, 1]', () => {
    expect(digits.count).toBe(10000);
    expect(digits.images.length).toBe(10000 * MNIST_PIXELS);
    for (let d = 0; d < 10; d++) {
      const fileCount = (JSON.parse(readFileSync(join(mnistDigitsDirectory(), `${d}.json`), 'utf8')).data as number[]).length / MNIST_PIXELS;
      expect(digits.labels.filter((l) => l === d).length).toBe(fileCount);
    }
    for (let i = 1; i < digits.count; i++) expect(digits.labels[i]).toBeGreaterThanOrEqual(digits.labels[i - 1]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of digits.images) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  it('takeDigits copies the chosen images and labels, and rejects bad indices', () => {
    const set = takeDigits(digits, [9999, 0]);
    expect(Array.from(set.labels)).toEqual([9, 0]);
    expect(set.images.subarray(0, MNIST_PIXELS)).toEqual(digits.images.subarray(9999 * MNIST_PIXELS));
    expect(() => takeDigits(digits, [10000])).toThrow(/index 10000 at position 0/);
  });

  function fakeDigits(mutate: (d: number) => unknown): string {
    const dir = mkdtempSync(join(tmpdir(), 'mnist-'));
    dirs.push(dir);
    for (let d = 0; d < 10; d++) writeFileSync(join(dir, `${d}.json`), JSON.stringify(mutate(d)));
    return dir;
  }

  it('names the file and the problem when the data is malformed', () => {
    const good = () => ({ data: new Array(MNIST_PIXELS).fill(0.5) });
    expect(loadMnistDigits(fakeDigits(good)).count).toBe(10);
    expect(() => loadMnistDigits(fakeDigits((d) => (d === 3 ? { data: [1, 2] } : good())))).toThrow(/3\.json: data length 2 is not a positive multiple of 784/);
    expect(() => loadMnistDigits(fakeDigits((d) => (d === 5 ? { pixels: [] } : good())))).toThrow(MnistFormatError);
    const bad = new Array(MNIST_PIXELS * 2).fill(0);
    bad[MNIST_PIXELS + 7] = 1.5;
    expect(() => loadMnistDigits(fakeDigits((d) => (d === 2 ? { data: bad } : good())))).toThrow(/value 1\.5 at index 791 \(image 1 of digit 2\)/);
    expect(() => loadMnistDigits(join(tmpdir(), 'no-such-mnist-dir'))).toThrow(/0\.json: cannot read or parse/);
  });
});

describe('target tasks', () => {
  const image = fc.float32Array({ minLength: MNIST_PIXELS, maxLength: MNIST_PIXELS, noNaN: true, min: 0, max: 1 });
  const apply = (task: (typeof TARGET_TASKS)[number], x: Float32Array, times: number) => {
    let cur = x;
    for (let i = 0; i < times; i++) {
      const next = new Float32Array(MNIST_PIXELS);
      transformImage(task, cur, next);
      cur = next;
    }
    return cur;
  };

  it('rotate90 has order 4, mirror and invert have order 2 (and none is the identity)', () => {
    fc.assert(
      fc.property(image, (x) => {
        expect(apply('rotate90', x, 4)).toEqual(x);
        expect(apply('mirror', x, 2)).toEqual(x);
        const twice = apply('invert', x, 2);
        for (let i = 0; i < MNIST_PIXELS; i++) expect(twice[i]).toBeCloseTo(x[i], 6);
      }),
      { numRuns: 20 },
    );
    const ramp = Float32Array.from({ length: MNIST_PIXELS }, (_, i) => i / MNIST_PIXELS);
    for (const task of TARGET_TASKS) expect(apply(task, ramp, 1)).not.toEqual(ramp);
  });

  it('rotate90 turns clockwise: the top-left pixel goes to the top-right corner', () => {
    const x = new Float32Array(MNIST_PIXELS);
    x[0] = 1; // row 0, column 0
    x[27 * 28] = 0.5; // row 27, column 0 (bottom-left) → top-left
    const y = apply('rotate90', x, 1);
    expect(y[27]).toBe(1);
    expect(y[0]).toBe(0.5);
  });

  it('applyTargetTask keeps labels and count', () => {
    const set = { count: 2, images: new Float32Array(2 * MNIST_PIXELS).fill(0.25), labels: Uint8Array.from([3, 4]) };
    const out = applyTargetTask('invert', set);
    expect(out.count).toBe(2);
    expect(Array.from(out.labels)).toEqual([3, 4]);
    expect(out.images[MNIST_PIXELS + 5]).toBe(0.75);
  });
});
