import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom, permutation, sample, SelectionOptionError } from '../src/index';

/** The plain forward Fisher–Yates shuffle over the whole array. */
function forwardShuffle(n: number, seed: number): number[] {
  const random = createRandom(seed);
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n - 1; i++) {
    const j = i + random.nextInt(n - i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe('permutation', () => {
  it('is a permutation of 0…n−1 that depends only on the seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer(), (n, seed) => {
        const p = permutation(n, createRandom(seed));
        expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(permutation(n, createRandom(seed))).toEqual(p);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps the orders the demo and the experiments recorded (backward Fisher–Yates)', () => {
    expect(Array.from(permutation(12, createRandom(7)))).toEqual([0, 2, 4, 7, 8, 3, 9, 6, 1, 5, 11, 10]);
    expect(Array.from(permutation(5, createRandom(-3)))).toEqual([0, 2, 3, 1, 4]);
  });

  it('is roughly uniform: each of 8 values comes last about 1/8 of the time', () => {
    const counts = new Array<number>(8).fill(0);
    const random = createRandom(5);
    for (let t = 0; t < 16000; t++) counts[permutation(8, random)[7]!]!++;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200); // > 4.7σ
  });

  it('rejects a bad length with a typed error', () => {
    expect(() => permutation(-1, createRandom(1))).toThrow(SelectionOptionError);
    expect(() => permutation(2.5, createRandom(1))).toThrow(/permutation: n 2.5 is not an integer/);
  });
});

describe('sample', () => {
  it('is the first k entries of the forward Fisher–Yates shuffle: distinct, in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.nat(300), fc.integer(), (n, k0, seed) => {
        const k = Math.min(k0, n);
        const s = sample(n, k, createRandom(seed));
        expect(Array.from(s)).toEqual(forwardShuffle(n, seed).slice(0, k));
        expect(new Set(s).size).toBe(k);
      }),
      { numRuns: 100 },
    );
  });

  it('costs O(k) on a huge range', () => {
    const s = sample(2 ** 32, 5, createRandom(1));
    expect(new Set(s).size).toBe(5);
  });

  it('rejects k > n and bad counts with a typed error naming them', () => {
    expect(() => sample(10, 11, createRandom(1))).toThrow(/sample: k 11 is not an integer in \[0, 10\]/);
    expect(() => sample(-1, 0, createRandom(1))).toThrow(SelectionOptionError);
  });
});
