import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dht, idht, referenceDht, normalizationFactor } from '@ssh-peft/hartley';
import { arbFloatType, arbLength, arbNormalization, dhtViaComplexDft, randomData, relErr, tolerance, toF64 } from './helpers';

const arbCase = fc.record({ n: arbLength, seed: fc.integer(), type: arbFloatType, normalization: arbNormalization });

describe('dht / idht (1D) against the naive reference', () => {
  it('matches referenceDht × normalisation factor within 1e-12 (f64) / 1e-5 (f32)', () => {
    fc.assert(
      fc.property(arbCase, ({ n, seed, type, normalization }) => {
        const x = randomData(n, seed, type);
        const ref = referenceDht(x);
        const f = normalizationFactor(n, normalization, 'dht');
        const fi = normalizationFactor(n, normalization, 'idht');
        const h = dht(x, { normalization });
        expect(h).toBeInstanceOf(x.constructor);
        expect(h.length).toBe(n);
        expect(relErr(h, ref.map((v) => v * f))).toBeLessThanOrEqual(tolerance(x));
        expect(relErr(idht(x, { normalization }), ref.map((v) => v * fi))).toBeLessThanOrEqual(tolerance(x));
      }),
      { numRuns: 120 },
    );
  });

  it('agrees with a naive complex DFT through H = Re F − Im F', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 700 }), fc.integer(), (n, seed) => {
        const x = randomData(n, seed, 'f64');
        expect(relErr(dht(x), dhtViaComplexDft(x))).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 40 },
    );
  });

  it('does not modify its input and returns a new array', () => {
    const x = randomData(96, 7, 'f32');
    const copy = x.slice();
    const h = dht(x);
    expect(h).not.toBe(x);
    expect(Array.from(x)).toEqual(Array.from(copy));
  });
});

describe('DHT identities (property-based)', () => {
  it('invertibility: idht(dht(x)) ≈ x for every normalisation', () => {
    fc.assert(
      fc.property(arbCase, ({ n, seed, type, normalization }) => {
        const x = randomData(n, seed, type);
        expect(relErr(idht(dht(x, { normalization }), { normalization }), x)).toBeLessThanOrEqual(tolerance(x));
      }),
      { numRuns: 80 },
    );
  });

  it('ortho is an involution: dht(dht(x)) ≈ x', () => {
    fc.assert(
      fc.property(arbLength, fc.integer(), arbFloatType, (n, seed, type) => {
        const x = randomData(n, seed, type);
        const o = { normalization: 'ortho' as const };
        expect(relErr(dht(dht(x, o), o), x)).toBeLessThanOrEqual(tolerance(x));
      }),
      { numRuns: 60 },
    );
  });

  it('linearity: dht(a·x + b·y) = a·dht(x) + b·dht(y)', () => {
    fc.assert(
      fc.property(arbLength, fc.integer(), fc.integer(), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), (n, s1, s2, a, b) => {
        const x = randomData(n, s1, 'f64');
        const y = randomData(n, s2, 'f64');
        const combo = x.map((v, i) => a * v + b * y[i]!);
        const hx = dht(x);
        const hy = dht(y);
        const expected = hx.map((v, i) => a * v + b * hy[i]!);
        const scale = Math.sqrt(n) * (Math.abs(a) + Math.abs(b) + 1e-300);
        let maxDiff = 0;
        const got = dht(combo);
        for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i]! - expected[i]!));
        expect(maxDiff / scale).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it('Parseval: with ortho Σ H² = Σ x² (f64 and f32)', () => {
    fc.assert(
      fc.property(arbLength, fc.integer(), arbFloatType, (n, seed, type) => {
        const x = randomData(n, seed, type);
        const h = dht(x, { normalization: 'ortho' });
        const ex = toF64(x).reduce((s, v) => s + v * v, 0);
        const eh = toF64(h).reduce((s, v) => s + v * v, 0);
        expect(Math.abs(eh - ex) / ex).toBeLessThanOrEqual(type === 'f32' ? 1e-5 : 1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it('shift theorem: x[n − s] ↦ cos(2πks/N)·H[k] + sin(2πks/N)·H[−k]', () => {
    fc.assert(
      fc.property(arbLength, fc.integer(), fc.nat(), (n, seed, rawShift) => {
        const s = rawShift % n;
        const x = randomData(n, seed, 'f64');
        const shifted = new Float64Array(n);
        for (let j = 0; j < n; j++) shifted[(j + s) % n] = x[j]!;
        const h = dht(x);
        const expected = new Float64Array(n);
        for (let k = 0; k < n; k++) {
          const theta = (2 * Math.PI * ((k * s) % n)) / n;
          expected[k] = Math.cos(theta) * h[k]! + Math.sin(theta) * h[(n - k) % n]!;
        }
        expect(relErr(dht(shifted), expected)).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it('cyclic convolution theorem: Z[k] = ½[X[k](Y[k] + Y[−k]) + X[−k](Y[k] − Y[−k])]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer(), fc.integer(), (n, s1, s2) => {
        const x = randomData(n, s1, 'f64');
        const y = randomData(n, s2, 'f64');
        const z = new Float64Array(n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) z[(i + j) % n] += x[i]! * y[j]!;
        const X = dht(x);
        const Y = dht(y);
        const expected = new Float64Array(n);
        for (let k = 0; k < n; k++) {
          const km = (n - k) % n;
          expected[k] = 0.5 * (X[k]! * (Y[k]! + Y[km]!) + X[km]! * (Y[k]! - Y[km]!));
        }
        expect(relErr(dht(z), expected)).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 40 },
    );
  });
});

describe('special values', () => {
  it('N = 1 is the identity; an impulse transforms to all ones; a constant to an impulse', () => {
    expect(Array.from(dht(new Float64Array([3.5])))).toEqual([3.5]);
    for (const n of [2, 3, 16, 768, 97]) {
      const impulse = new Float64Array(n);
      impulse[0] = 1;
      expect(relErr(dht(impulse), new Float64Array(n).fill(1))).toBeLessThan(1e-14);
      const expected = new Float64Array(n);
      expected[0] = n;
      expect(relErr(dht(new Float64Array(n).fill(1)), expected)).toBeLessThan(1e-14);
    }
  });

  it('NaN and Infinity propagate (IEEE 754): no output is silently finite', () => {
    const x = new Float64Array(64);
    x[5] = Number.NaN;
    expect(dht(x).every((v) => Number.isNaN(v))).toBe(true);
    const y = new Float32Array(12);
    y[0] = Number.POSITIVE_INFINITY;
    // ∞ reaches every output; 0·∞ and ∞ − ∞ inside the butterflies may turn it into NaN.
    expect(dht(y).every((v) => !Number.isFinite(v))).toBe(true);
    const z = new Float64Array(4099);
    z[17] = Number.NEGATIVE_INFINITY;
    expect(dht(z).every((v) => !Number.isFinite(v))).toBe(true);
  });
});
