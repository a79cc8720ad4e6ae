import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadMnistDigits } from '@ssh-peft/cli';
import { DIGIT_PIXELS, DigitPackError, decodeDigitPack, encodeDigitPack, invertDigits, type DigitSet } from '../src/data/digit-pack';

const arbitrarySet = fc
  .record({ count: fc.integer({ min: 1, max: 4 }), palette: fc.uniqueArray(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 256 }), seed: fc.integer() })
  .map(({ count, palette, seed }): DigitSet => {
    let state = seed >>> 0;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
    const images = new Float32Array(count * DIGIT_PIXELS).map(() => palette[next() % palette.length]);
    const labels = new Uint8Array(count).map(() => next() % 10);
    return { count, images, labels };
  });

describe('digit files', () => {
  it('round-trip any set of at most 256 grey values exactly', () => {
    fc.assert(
      fc.property(arbitrarySet, (set) => {
        const back = decodeDigitPack(encodeDigitPack(set));
        expect(back.count).toBe(set.count);
        expect(back.labels).toEqual(set.labels);
        expect(back.images).toEqual(set.images);
      }),
      { numRuns: 40 },
    );
  });

  it('hold the mnist package digits bit for bit (all 10 000 fit one 256-entry palette)', () => {
    const all = loadMnistDigits();
    const back = decodeDigitPack(encodeDigitPack(all));
    expect(back.count).toBe(10_000);
    expect(Buffer.from(back.images.buffer).equals(Buffer.from(all.images.buffer))).toBe(true);
    expect(back.labels).toEqual(all.labels);
  });

  it('reject damaged files with the byte offset of the problem', () => {
    const good = encodeDigitPack({ count: 2, images: new Float32Array(2 * DIGIT_PIXELS).fill(0.5), labels: Uint8Array.of(3, 9) });
    const broken = (mutate: (b: Uint8Array) => Uint8Array) => () => decodeDigitPack(mutate(good.slice()), 'x.bin');
    expect(broken((b) => b.subarray(0, 10))).toThrow(/header alone is 24.*at byte 0/);
    expect(broken((b) => ((b[0] = 0x41), b))).toThrow(/not a digit file.*at byte 0/);
    expect(broken((b) => ((b[8] = 2), b))).toThrow(/version 2.*at byte 8/);
    expect(broken((b) => b.subarray(0, b.length - 1))).toThrow(DigitPackError);
    // Labels start after the 24-byte header and the one-entry palette.
    expect(broken((b) => ((b[29] = 10), b))).toThrow(/label 10 of image 1.*at byte 29/);
    expect(broken((b) => ((b[30] = 1), b))).toThrow(/palette index 1 ≥ palette size 1.*at byte 30/);
  });

  it('refuse to encode more than 256 grey values or a label that is not a digit', () => {
    const images = new Float32Array(DIGIT_PIXELS).map((_, i) => i / DIGIT_PIXELS);
    expect(() => encodeDigitPack({ count: 1, images, labels: Uint8Array.of(1) })).toThrow(/more than 256/);
    expect(() => encodeDigitPack({ count: 1, images: new Float32Array(DIGIT_PIXELS), labels: Uint8Array.of(12) })).toThrow(/label 12/);
  });

  it('invert x → 1 − x as the CLI task does', () => {
    const set = { count: 1, images: new Float32Array(DIGIT_PIXELS).fill(0.25), labels: Uint8Array.of(4) };
    const inverted = invertDigits(set);
    expect(inverted.images[0]).toBe(Math.fround(0.75));
    expect(inverted.labels).toEqual(set.labels);
  });
});
