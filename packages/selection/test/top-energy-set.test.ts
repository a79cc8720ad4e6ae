import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIRST_DIGIT_BINS, scanEnergies } from '../src/energy-keys';
import { cutTop } from '../src/top-cut';
import { topEnergySet } from '../src/top-energy-set';
import { legacyTopEnergyPositions } from './legacy-top-energy';
import { arbSpectrum } from './spectra';

/** The legacy ranked top-k as a set: positions ascending with their energies, the last ranked entry as boundary. */
function expectedSet(spectrum: Float32Array | Float64Array, k: number): { indices: number[]; energies: number[]; boundary: { energy: number; index: number } | undefined } {
  const ranked = legacyTopEnergyPositions(spectrum, k, 'heap');
  const m = ranked.indices.length;
  const pairs = Array.from(ranked.indices, (index, r) => [index, ranked.energies[r]!] as const).sort((a, b) => a[0] - b[0]);
  return {
    indices: pairs.map((p) => p[0]),
    energies: pairs.map((p) => p[1]),
    boundary: m > 0 ? { energy: ranked.energies[m - 1]!, index: ranked.indices[m - 1]! } : undefined,
  };
}

function expectSameSet(spectrum: Float32Array | Float64Array, k: number, withDigits: boolean): void {
  let digits: Uint32Array | undefined;
  if (withDigits) {
    digits = new Uint32Array(FIRST_DIGIT_BINS);
    scanEnergies(spectrum, digits);
  }
  const got = topEnergySet(spectrum, k, digits);
  const expected = expectedSet(spectrum, k);
  expect(Array.from(got.indices)).toEqual(expected.indices);
  expect(Array.from(got.energies)).toEqual(expected.energies);
  expect(got.boundary).toEqual(expected.boundary);
}

describe('topEnergySet against the previous top-k (as a set)', () => {
  it('small spectra (heap path), k = 0 … n + 1, both float types', () => {
    fc.assert(
      fc.property(arbSpectrum(300), fc.nat(), fc.boolean(), (spectrum, k0, withDigits) => {
        expectSameSet(spectrum, k0 % (spectrum.length + 2), withDigits);
      }),
      { numRuns: 150 },
    );
  });

  it('spectra of 65536 … 140000 positions (histogram path), k up to all, both float types, ties', () => {
    fc.assert(
      fc.property(
        arbSpectrum(140000).filter((s) => s.length >= 65536),
        fc.oneof(fc.integer({ min: 0, max: 300 }), fc.nat()),
        fc.boolean(),
        (spectrum, k0, withDigits) => {
          expectSameSet(spectrum, k0 % (spectrum.length + 1), withDigits);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('crowded first-digit bins (refined over the spectrum), exact ties, high-word ties in float64', () => {
    const n = 100000;
    for (const type of ['f32', 'f64'] as const) {
      const values = Array.from({ length: n }, (_, i) => ((i * 7919) % 10 < 7 ? 0 : 1 + ((i * 104729) % 7 === 0 ? 0.5 : 0)));
      const spectrum = type === 'f32' ? Float32Array.from(values) : Float64Array.from(values);
      for (const k of [1, 29000, 65537, n]) expectSameSet(spectrum, k, true);
      const fine = Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 5003) * 2 ** -20);
      const narrow = type === 'f32' ? Float32Array.from(fine) : Float64Array.from(fine);
      for (const k of [5000, 65537]) expectSameSet(narrow, k, false);
      const ones = type === 'f32' ? new Float32Array(n).fill(-1) : new Float64Array(n).fill(-1);
      for (const k of [1, 70000]) expectSameSet(ones, k, false);
    }
    for (const step of [2 ** -40, 2 ** -50]) {
      const spectrum = Float64Array.from({ length: 70000 }, (_, i) => 1 + ((i * 7919) % 5003) * step);
      for (const k of [3, 5000, 65537, 70000]) expectSameSet(spectrum, k, true);
    }
  });
});

describe('cutTop against a full sort', () => {
  /** Non-negative doubles with ties, zeros, and neighbours differing only in the low word. */
  const arbValues = fc.array(
    fc.oneof(
      fc.double({ min: 0, max: 1e6, noNaN: true }).map((x) => Math.abs(x)),
      fc.constantFrom(0, 1, 2, 0.5, 1e-300, 5e-324),
      fc.integer({ min: 0, max: 50 }).map((j) => 1 + j * 2 ** -50),
    ),
    { minLength: 1, maxLength: 400 },
  );
  it('the k-th value by (value desc, position asc) and how many of its ties are in', () => {
    fc.assert(
      fc.property(arbValues, fc.nat(), fc.nat(), (list, k0, pad) => {
        const length = list.length;
        const k = 1 + (k0 % length);
        // A view with an offset into a larger buffer, as the selection's scratch arrays are.
        const offset = pad % 3;
        const values = new Float64Array(length + offset + 2).subarray(offset, offset + length);
        values.set(list.map((x) => (x === 0 ? 0 : x)));
        const ranked = Array.from(values, (value, position) => ({ value, position })).sort((a, b) => b.value - a.value || a.position - b.position);
        const kth = ranked[k - 1]!.value;
        const quota = ranked.slice(0, k).filter((e) => e.value === kth).length;
        expect(cutTop(values, length, k)).toEqual({ value: kth, quota });
      }),
      { numRuns: 400 },
    );
  });
  it('rejects k outside 1 … length', () => {
    expect(() => cutTop(new Float64Array(3), 3, 0)).toThrow(/internal/);
    expect(() => cutTop(new Float64Array(3), 3, 4)).toThrow(/internal/);
  });
});
