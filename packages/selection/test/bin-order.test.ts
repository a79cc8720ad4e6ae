import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binStarts, sortWithinBins } from '../src/bin-order';
import { FIRST_DIGIT_BINS } from '../src/energy-keys';
import { topEnergyPositions } from '../src/top-energy';
import { legacyTopEnergyPositions } from './legacy-top-energy';

/**
 * 31-bit keys drawn from a few first digits (key >>> 15) and a few or many low parts, so that
 * bins of every length (empty, one, ≤ 32 by insertion, longer by counting passes) and exact ties occur.
 */
const arbKeys = fc
  .record({
    digits: fc.array(fc.integer({ min: 0, max: FIRST_DIGIT_BINS - 1 }), { minLength: 1, maxLength: 6 }),
    lows: fc.oneof(fc.array(fc.integer({ min: 0, max: 0x7fff }), { minLength: 1, maxLength: 4 }), fc.constant([] as number[])),
    n: fc.integer({ min: 0, max: 3000 }),
    seed: fc.integer(),
  })
  .map(({ digits, lows, n, seed }) => {
    let s = seed >>> 0 || 1;
    const next = (m: number): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return Math.floor((s / 2 ** 32) * m);
    };
    return Uint32Array.from({ length: n }, () => {
      const digit = digits[next(digits.length)]!;
      const low = lows.length > 0 ? lows[next(lows.length)]! : next(0x8000);
      return ((digit << 15) | low) >>> 0;
    });
  });

describe('binStarts + sortWithinBins against a stable sort by key descending', () => {
  it('scattered in index order by first digit, then ordered within bins: (key desc, index asc), any bins, ties', () => {
    fc.assert(
      fc.property(arbKeys, (source) => {
        const n = source.length;
        const first = new Uint32Array(FIRST_DIGIT_BINS);
        for (const key of source) first[key >>> 15]!++;
        let thresholdBin = FIRST_DIGIT_BINS - 1;
        for (const key of source) thresholdBin = Math.min(thresholdBin, key >>> 15);
        const ends = binStarts(first, thresholdBin, n);
        const keys = new Uint32Array(n);
        const indices = new Uint32Array(n);
        source.forEach((key, i) => {
          const slot = ends[key >>> 15]!++;
          keys[slot] = key;
          indices[slot] = i;
        });
        sortWithinBins(keys, indices, ends, thresholdBin);
        const expected = Array.from(source, (key, i) => [key, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
        expect(Array.from(keys)).toEqual(expected.map(([key]) => key));
        expect(Array.from(indices)).toEqual(expected.map(([, i]) => i));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses bins that hold more candidates than the count (a wrong histogram)', () => {
    const first = new Uint32Array(FIRST_DIGIT_BINS);
    first[10] = 5;
    expect(() => binStarts(first, 3, 4)).toThrow(/5 candidates above the threshold bin/);
  });
});

describe('float32 top-k whose candidates share one first digit (ordered by the counting passes within the bin)', () => {
  it('matches the previous top-k for k across the bin, with and without ties in the low bits', () => {
    const n = 70000;
    // 1 + j·2^-23 for j < 2^15: one first-digit bin, every low bit pattern; j mod 997: ties as well.
    for (const spread of [32768, 997]) {
      const spectrum = Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -1 : 1) * (1 + ((i * 7919) % spread) * 2 ** -23));
      for (const k of [1, 33, 5000, 65536, n]) {
        const got = topEnergyPositions(spectrum, k, 'histogram');
        const expected = legacyTopEnergyPositions(spectrum, k, 'heap');
        expect(got.indices).toEqual(expected.indices);
        expect(got.energies).toEqual(expected.energies);
      }
    }
  });
});
