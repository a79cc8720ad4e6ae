/**
 * Node-side check of the GPU Bluestein stage: the schedule (planGpuDht), the chirp
 * tables, and the five programs' index arithmetic (chirp-in with its strided gather,
 * the two batched length-M transforms, the pointwise product, chirp-out into the
 * Stockham layout, then the ordinary passes from inLength Q) emulated in float64 and
 * compared with the O(N²) reference DHT. The shaders themselves are checked against
 * the cpu backend in the browser tests (gpu-dht-bluestein.test.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { referenceDht } from '@ssh-peft/hartley';
import { factorRadices, twiddleTable, type HartleyPass } from '../../src/kernels/gpu-common/hartley-pass-plan';
import {
  bluesteinConvLength,
  chirpSpectrumTable,
  chirpTable,
  passCost,
  planGpuDht,
  primeFactors,
  type BluesteinStage,
} from '../../src/kernels/gpu-common/bluestein-stage';

/** One gather pass with the shaders' index arithmetic (see hartley-pass-plan.test.ts). */
function gatherPass(a: Float64Array, rows: number, n: number, pass: HartleyPass, tw: Float32Array): Float64Array {
  const out = new Float64Array(a.length);
  const { radix: p, inLength: lp, outLength: l, stride: r } = pass;
  for (let row = 0; row < rows; row++) {
    for (let q = 0; q < n; q++) {
      const j = Math.floor(q / l);
      const k = q - j * l;
      const kp = k % lp;
      const kn = kp === 0 ? 0 : lp - kp;
      let acc = 0;
      for (let t = 0; t < p; t++) {
        const m = (k * t) % l;
        const base = row * n + (j + r * t) * lp;
        acc += tw[2 * m * r] * a[base + kp] + tw[2 * m * r + 1] * a[base + kn];
      }
      out[row * n + q] = acc;
    }
  }
  return out;
}

function runPasses(x: Float64Array, rows: number, n: number, passes: readonly HartleyPass[]): Float64Array {
  const tw = twiddleTable(n);
  let cur = x;
  for (const pass of passes) cur = gatherPass(cur, rows, n, pass, tw);
  return cur;
}

/** The five programs of the stage, indexed as the shaders index them (flat buffers). */
function emulateStage(x: Float64Array, rows: number, stage: BluesteinStage): Float64Array {
  const { length: q, stride: r, convLength: m } = stage;
  const n = q * r;
  const v2 = 2 * rows * r;
  const ch = chirpTable(q);
  const sp = chirpSpectrumTable(q, m);
  const modulated = new Float64Array(v2 * m);
  for (let index = 0; index < modulated.length; index++) {
    const vr = Math.floor(index / m);
    const j = index - vr * m;
    if (j >= q) continue;
    const v = vr >> 1;
    const h = vr - 2 * v;
    const row = Math.floor(v / r);
    const j0 = v - row * r;
    const xv = x[row * n + j0 + r * j];
    modulated[index] = h === 0 ? xv * ch[2 * j] : -xv * ch[2 * j + 1];
  }
  const forward = runPasses(modulated, v2, m, stage.convPlan.passes);
  const product = new Float64Array(v2 * m);
  for (let index = 0; index < product.length; index++) {
    const vr = Math.floor(index / m);
    const k = index - vr * m;
    const h = vr & 1;
    const b = (vr - h) * m + k;
    const re = forward[b];
    const im = forward[b + m];
    product[index] = h === 0 ? re * sp[2 * k] - im * sp[2 * k + 1] : re * sp[2 * k + 1] + im * sp[2 * k];
  }
  const conv = runPasses(product, v2, m, stage.convPlan.passes);
  const out = new Float64Array(rows * n);
  for (let index = 0; index < out.length; index++) {
    const v = Math.floor(index / q);
    const k = index - v * q;
    const re = conv[2 * v * m + k];
    const im = conv[(2 * v + 1) * m + k];
    const c = ch[2 * k];
    const s = ch[2 * k + 1];
    out[index] = (c + s) * re + (s - c) * im;
  }
  return out;
}

function emulatePlan(x: Float64Array, rows: number, n: number, options: Parameters<typeof planGpuDht>[1]): Float64Array {
  const plan = planGpuDht(n, options);
  const staged = plan.bluestein ? emulateStage(x, rows, plan.bluestein) : x;
  return runPasses(staged, rows, n, plan.passes);
}

function seeded(seed: number, size: number): Float64Array {
  const x = new Float64Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const options = { directMaxLength: 16, radices: [4, 2, 3, 5, 7], bluesteinMinPrime: 11 };
const isSevenSmooth = (m: number) => primeFactors(m).every((p) => p <= 7);

describe('GPU Bluestein stage (float64 emulation of the programs)', () => {
  it('plans a stage of the large primes, then passes of the 7-smooth rest from inLength Q', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom(11, 17, 43, 68, Infinity), (n, minPrime) => {
        const plan = planGpuDht(n, { ...options, bluesteinMinPrime: minPrime });
        const large = primeFactors(n).filter((p) => p >= minPrime);
        const q = plan.bluestein?.length ?? 1;
        if (n > options.directMaxLength) expect(q).toBe(large.reduce((a, p) => a * p, 1));
        expect(plan.passes.reduce((a, p) => a * p.radix, 1) * q).toBe(n);
        let inLength = q;
        for (const pass of plan.passes) {
          expect(pass.inLength).toBe(inLength);
          expect(pass.outLength * pass.stride).toBe(n);
          inLength = pass.outLength;
        }
        if (plan.bluestein) {
          const { convLength: m, stride } = plan.bluestein;
          expect(stride * q).toBe(n);
          expect(m).toBeGreaterThanOrEqual(2 * q - 1);
          expect(isSevenSmooth(m)).toBe(true);
          expect(plan.bluestein.convPlan.passes.reduce((a, p) => a * p.radix, 1)).toBe(m);
          expect(plan.passes.every((p) => p.radix < minPrime)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    expect(planGpuDht(4099, options).bluestein).toMatchObject({ length: 4099, stride: 1 });
    expect(planGpuDht(4099, options).passes).toEqual([]);
    expect(planGpuDht(11008, options).bluestein).toMatchObject({ length: 43, stride: 256, convLength: 90 });
    expect(planGpuDht(14336, options).bluestein).toBeNull();
    expect(planGpuDht(768, options).bluestein).toBeNull();
  });

  it('picks the cheapest 7-smooth convolution length between 2Q−1 and the next power of two', () => {
    for (const q of [11, 43, 4099, 11008 / 256, 65537]) {
      const m = bluesteinConvLength(q, options.radices);
      let pow2 = 1;
      while (pow2 < 2 * q - 1) pow2 *= 2;
      expect(m).toBeGreaterThanOrEqual(2 * q - 1);
      expect(passCost(m, options.radices)).toBeLessThanOrEqual(passCost(pow2, options.radices));
      for (let c = 2 * q - 1; c <= pow2; c++) {
        if (isSevenSmooth(c)) expect(passCost(c, options.radices)).toBeGreaterThanOrEqual(passCost(m, options.radices));
      }
    }
    expect(factorRadices(bluesteinConvLength(4099, options.radices), options.radices).every((p) => p <= 7)).toBe(true);
  });

  it('the chirp spectrum is the DHT of the even chirp, over M', () => {
    const q = 13;
    const m = 27;
    const ch = chirpTable(q);
    const even = (part: 0 | 1) => {
      const b = new Float64Array(m);
      for (let j = 0; j < q; j++) {
        b[j] = ch[2 * j + part];
        if (j > 0) b[m - j] = ch[2 * j + part];
      }
      return referenceDht(b).map((v) => v / m);
    };
    const sp = chirpSpectrumTable(q, m);
    const [c, s] = [even(0), even(1)];
    for (let k = 0; k < m; k++) {
      expect(sp[2 * k]).toBeCloseTo(c[k], 6);
      expect(sp[2 * k + 1]).toBeCloseTo(s[k], 6);
    }
  });

  it('stage + passes equal the reference DHT for random lengths with large prime factors and batches', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(11, 13, 17, 23, 43, 101, 127, 211),
        fc.constantFrom(1, 2, 3, 4, 6, 8, 12, 13),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (p, rest, rows, seed) => {
          const n = p * rest;
          const x = seeded(seed, rows * n);
          const got = emulatePlan(x, rows, n, options);
          for (let row = 0; row < rows; row++) {
            const want = referenceDht(x.subarray(row * n, (row + 1) * n));
            // float32 tables, float64 arithmetic: relative error ~1e-7 per table entry and pass.
            expect(maxAbsDiff(got.subarray(row * n, (row + 1) * n), want)).toBeLessThan(1e-5 * Math.max(1, maxAbs(want)));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('prime 4099 and 11008 = 43·2⁸ (stage for 43 forced) equal the reference', () => {
    for (const n of [4099, 11008]) {
      const x = seeded(n, n);
      const want = referenceDht(x);
      expect(maxAbsDiff(emulatePlan(x, 1, n, options), want)).toBeLessThan(1e-5 * maxAbs(want));
    }
  });
});
