import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlan, createPlan2d, dht, dht2d, referenceDht, referenceDht2d, setSimdEnabled, simdAvailable } from '@ssh-peft/hartley';
import { arbLength, randomData, relErr } from './helpers';
import { simdRuntime } from '../src/wasm/runtime';
import { F64_SIMD_MAX_LENGTH, F64_SIMD_MIN_LENGTH, Simd1dKernel64 } from '../src/wasm/simd-1d-f64';
import { F64_SIMD_2D_MAX_SIZE, F64_SIMD_2D_MIN_SIZE, Simd2dKernel } from '../src/wasm/simd-2d';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** The fallback project (HARTLEY_SIMD=off) checks that the switch really turns the SIMD path off. */
const simdOff = process.env.HARTLEY_SIMD === 'off';

/** The odd primes the mixed-radix stages take directly (3 … 67). */
const SMALL_ODD_PRIMES = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67];

/** Mixed-radix lengths 2^e · (one to three odd primes ≤ 67), up to maxLength. */
function arbMixedRadixLength(maxE: number, maxLength: number): fc.Arbitrary<number> {
  return fc
    .tuple(fc.integer({ min: 0, max: maxE }), fc.array(fc.constantFrom(...SMALL_ODD_PRIMES), { minLength: 1, maxLength: 3 }))
    .map(([e, primes]) => 2 ** e * primes.reduce((a, b) => a * b, 1))
    .filter((n) => n <= maxLength);
}

/** Largest odd prime factor of n (1 for powers of two). */
function largestOddPrime(n: number): number {
  let rest = n;
  while (rest % 2 === 0) rest /= 2;
  let largest = 1;
  for (let p = 3; p * p <= rest; p += 2) {
    while (rest % p === 0) {
      largest = p;
      rest /= p;
    }
  }
  return rest > 1 ? rest : largest;
}

/** Lengths the SIMD 1D kernel takes: 4·L, L with small odd factors, plus some it must refuse. */
const arbSimdLength = fc.oneof(
  fc.integer({ min: 16, max: 1200 }).map((l) => 4 * l),
  fc.constantFrom(64, 68, 4 * 43, 4 * 45, 4 * 67, 768, 3072, 11008, 14336, 2 ** 14, 4 * 3 * 5 * 7 * 11),
);

describe('WebAssembly SIMD path (float32 in f32x4, float64 in f64x2) against the JavaScript float64 path and the naive sum', () => {
  it(simdOff ? 'is switched off in the fallback project' : 'is available in Node 20', () => {
    expect(simdAvailable()).toBe(!simdOff);
    expect(createPlan(4096).backend).toBe(simdOff ? 'js' : 'simd');
    expect(createPlan2d(64, 64).backend).toBe(simdOff ? 'js' : 'simd');
    // 2310 = 2·3·5·7·11: no float32 SIMD kernel (not a multiple of 4, Bluestein slower), but f64x2.
    expect(createPlan(2310).backend).toBe(simdOff ? 'js' : 'simd');
    expect(createPlan(2 * 71 * 8).backend).toBe(simdOff ? 'js' : 'simd');
    expect(createPlan(30).backend).toBe('js');
  });

  it('1D: every length, both backends agree within 1e-5 and match the naive DHT', () => {
    fc.assert(
      fc.property(fc.oneof(arbSimdLength, arbLength), fc.integer(), fc.double({ min: 0.01, max: 100, noNaN: true }), (n, seed, scale) => {
        const x = randomData(n, seed, 'f32') as Float32Array;
        const viaDefault = new Float32Array(n);
        const viaJs = new Float32Array(n);
        createPlan(n).transformAt(x, 0, viaDefault, 0, scale);
        createPlan(n, { backend: 'js' }).transformAt(x, 0, viaJs, 0, scale);
        expect(relErr(viaDefault, viaJs)).toBeLessThanOrEqual(1e-5);
        if (n <= 1500) expect(relErr(viaDefault, referenceDht(Float64Array.from(x)).map((v) => v * scale))).toBeLessThanOrEqual(1e-5);
      }),
      { numRuns: 60 },
    );
  });

  it('1D: lengths where the SIMD schedule changes (stages beyond the L2 tile, blocked gather) agree with the JavaScript path', () => {
    // Lane matrix of L = n/4 elements: L > 8192 runs stages over the whole block (odd and even
    // counts of them; 5·2^16 runs one); the blocked bit-reversed gather starts at 2^8-element
    // power-of-two blocks and changes tiles at 2^10 and 2^18, also with several blocks (3·2^18, 43·2^14).
    for (const n of [512, 1024, 3 * 1024, 2048, 4096, 2 ** 15, 5 * 2 ** 16, 2 ** 17, 2 ** 18, 2 ** 19 - 4, 2 ** 19, 3 * 2 ** 18, 43 * 2 ** 14, 2 ** 20]) {
      const x = randomData(n, n, 'f32') as Float32Array;
      const viaDefault = new Float32Array(n);
      const viaJs = new Float32Array(n);
      createPlan(n).transformAt(x, 0, viaDefault, 0, 1 / n);
      createPlan(n, { backend: 'js' }).transformAt(x, 0, viaJs, 0, 1 / n);
      expect(relErr(viaDefault, viaJs), `n = ${n}`).toBeLessThanOrEqual(1e-5);
    }
  });

  it('float64 power-of-two lengths (the f64x2 kernel where enabled) agree with the JavaScript path within 1e-12', () => {
    for (let e = 9; e <= 21; e++) {
      const n = 2 ** e;
      const x = randomData(n, e, 'f64') as Float64Array;
      const viaDefault = new Float64Array(n);
      const viaJs = new Float64Array(n);
      createPlan(n).transformAt(x, 0, viaDefault, 0, 0.5);
      createPlan(n, { backend: 'js' }).transformAt(x, 0, viaJs, 0, 0.5);
      expect(relErr(viaDefault, viaJs), `n = ${n}`).toBeLessThanOrEqual(1e-12);
      if (n <= 2048) expect(relErr(viaDefault, referenceDht(x).map((v) => v * 0.5)), `n = ${n}`).toBeLessThanOrEqual(1e-12);
    }
    // Strided, in place, and the Bluestein algorithm forced on a power of two (never the f64x2 kernel).
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 14 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer(), (e, srcStride, dstStride, seed) => {
        const n = 2 ** e;
        const x = randomData(n * srcStride + 1, seed, 'f64') as Float64Array;
        const gathered = Float64Array.from({ length: n }, (_, i) => x[1 + i * srcStride]!);
        const expected = new Float64Array(n);
        createPlan(n, { backend: 'js' }).transformAt(gathered, 0, expected, 0, 2);
        const strided = new Float64Array(n * dstStride + 2);
        createPlan(n).transformStrided(x, 1, srcStride, strided, 2, dstStride, 2);
        expect(relErr(Float64Array.from({ length: n }, (_, k) => strided[2 + k * dstStride]!), expected)).toBeLessThanOrEqual(1e-12);
        const viaBluestein = new Float64Array(n);
        createPlan(n, { algorithm: 'bluestein' }).transformAt(gathered, 0, viaBluestein, 0, 2);
        expect(relErr(viaBluestein, expected)).toBeLessThanOrEqual(1e-11);
        createPlan(n).transformAt(gathered, 0, gathered, 0, 2);
        expect(relErr(gathered, expected)).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 12 },
    );
  });

  it('1D mixed-radix lengths (odd factors 3 … 67) and primes, float32 and float64: default plan vs JavaScript plan vs naive DHT, strided with offsets, scaled, in place', () => {
    const arbN = fc.oneof(
      { weight: 4, arbitrary: arbMixedRadixLength(12, 60_000) },
      { weight: 1, arbitrary: fc.constantFrom(67, 71, 127, 257, 1031, 2 * 67, 4 * 71, 768, 11008, 14336) },
    );
    fc.assert(
      fc.property(
        arbN,
        fc.constantFrom('f32' as const, 'f64' as const),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 5 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.integer(),
        (n, type, srcStride, dstStride, offset, scale, seed) => {
          const x = randomData(offset + n * srcStride, seed, type);
          const gathered = type === 'f32' ? new Float32Array(n) : new Float64Array(n);
          for (let i = 0; i < n; i++) gathered[i] = x[offset + i * srcStride]!;
          const viaJs = type === 'f32' ? new Float32Array(n) : new Float64Array(n);
          createPlan(n, { backend: 'js' }).transformAt(gathered, 0, viaJs, 0, scale);
          const plan = createPlan(n);
          const strided = type === 'f32' ? new Float32Array(offset + n * dstStride) : new Float64Array(offset + n * dstStride);
          plan.transformStrided(x, offset, srcStride, strided, offset, dstStride, scale);
          const viaDefault = Float64Array.from({ length: n }, (_, k) => strided[offset + k * dstStride]!);
          const tol = type === 'f32' ? 1e-5 : 1e-12;
          expect(relErr(viaDefault, viaJs)).toBeLessThanOrEqual(tol);
          if (n <= 2500) expect(relErr(viaDefault, referenceDht(Float64Array.from(gathered)).map((v) => v * scale))).toBeLessThanOrEqual(tol);
          plan.transformAt(gathered, 0, gathered, 0, scale);
          expect(Array.from(gathered)).toEqual(Array.from(viaDefault));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the f64x2 kernel takes exactly the even lengths in its range whose half is free of primes > 67', () => {
    for (const n of [...Array.from({ length: 400 }, (_, i) => i + 1), 11008, 14336, 2 * 71 * 8, 2 ** 22, 2 ** 22 + 2, 3 * 2 ** 21]) {
      const expected = n % 2 === 0 && n >= F64_SIMD_MIN_LENGTH && n <= F64_SIMD_MAX_LENGTH && largestOddPrime(n / 2) <= 67;
      expect(Simd1dKernel64.supports(n), `n = ${n}`).toBe(expected);
    }
  });

  it('the float64 2D kernel takes shapes with prime factors ≤ 67 of 64 … 2^26 values; float32 any such shape', () => {
    const cases: [number, number][] = [[8, 8], [7, 9], [4, 16], [2, 31], [71, 2], [768, 768], [8192, 8192], [8192, 8193], [8192, 16384], [1, 80]];
    for (const [rows, cols] of cases) {
      const smooth = largestOddPrime(rows) <= 67 && largestOddPrime(cols) <= 67;
      const size = rows * cols;
      expect(Simd2dKernel.supports(rows, cols), `${rows}×${cols}`).toBe(smooth);
      expect(Simd2dKernel.supports(rows, cols, 'f64'), `${rows}×${cols}`).toBe(smooth && size >= F64_SIMD_2D_MIN_SIZE && size <= F64_SIMD_2D_MAX_SIZE);
    }
  });

  it.skipIf(simdOff)('the f64x2 kernel itself: every even length 2 … 400 with small odd factors (also below the plan threshold) against the naive DHT, random mixed-radix lengths up to 2^22 against the JavaScript path', () => {
    const rt = simdRuntime()!;
    for (let n = 2; n <= 400; n += 2) {
      if (largestOddPrime(n / 2) > 67) continue;
      const x = randomData(n, n, 'f64') as Float64Array;
      const out = new Float64Array(n);
      new Simd1dKernel64(rt, n).transform(x, 0, 1, out, 0, 1, 0.75);
      expect(relErr(out, referenceDht(x).map((v) => v * 0.75)), `n = ${n}`).toBeLessThanOrEqual(1e-12);
    }
    fc.assert(
      fc.property(arbMixedRadixLength(18, 2 ** 22).filter((n) => n % 2 === 0 && n >= F64_SIMD_MIN_LENGTH), fc.integer(), (n, seed) => {
        const x = randomData(n, seed, 'f64') as Float64Array;
        const viaKernel = new Float64Array(n);
        new Simd1dKernel64(rt, n).transform(x, 0, 1, viaKernel, 0, 1, 1 / n);
        const viaJs = new Float64Array(n);
        createPlan(n, { backend: 'js' }).transformAt(x, 0, viaJs, 0, 1 / n);
        expect(relErr(viaKernel, viaJs)).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 15 },
    );
  });

  it('1D float32 Bluestein and odd lengths (SIMD chirp-z where enabled): SIMD vs JavaScript vs naive, both algorithms', () => {
    const primes = [67, 71, 127, 257, 509, 1031, 2053, 4099];
    const arbOddLength = fc.oneof(
      fc.constantFrom(...primes, 63, 64, 65, 66, 99, 255, 1155, 2 * 4099, 4095, 3 * 1031, 8191),
      fc.integer({ min: 60, max: 3000 }),
    );
    fc.assert(
      fc.property(arbOddLength, fc.constantFrom('auto' as const, 'bluestein' as const), fc.integer(), (n, algorithm, seed) => {
        const x = randomData(n, seed, 'f32') as Float32Array;
        const viaDefault = new Float32Array(n);
        const viaJs = new Float32Array(n);
        const plan = createPlan(n, { algorithm });
        plan.transformAt(x, 0, viaDefault, 0, 0.25);
        createPlan(n, { algorithm: 'radix', backend: 'js' }).transformAt(x, 0, viaJs, 0, 0.25);
        expect(relErr(viaDefault, viaJs)).toBeLessThanOrEqual(1e-5);
        if (n <= 2100) expect(relErr(viaDefault, referenceDht(Float64Array.from(x)).map((v) => v * 0.25))).toBeLessThanOrEqual(1e-5);
        const strided = new Float32Array(2 * n + 1);
        plan.transformStrided(Float32Array.from({ length: 2 * n }, (_, i) => x[i >> 1]!), 0, 2, strided, 1, 2, 0.25);
        expect(Array.from({ length: n }, (_, k) => strided[1 + 2 * k])).toEqual(Array.from(viaDefault));
        if (!simdOff && n >= 64 && (algorithm === 'bluestein' || plan.algorithm === 'bluestein')) expect(plan.backend).toBe('simd');
      }),
      { numRuns: 40 },
    );
  });

  it('1D strided and in place: same values as contiguous out-of-place', () => {
    fc.assert(
      fc.property(arbSimdLength, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer(), (n, srcStride, dstStride, seed) => {
        const x = randomData(n * srcStride + 2, seed, 'f32') as Float32Array;
        const plan = createPlan(n);
        const contiguous = new Float32Array(n);
        const gathered = Float32Array.from({ length: n }, (_, i) => x[1 + i * srcStride]!);
        plan.transformAt(gathered, 0, contiguous, 0, 0.5);
        const strided = new Float32Array(n * dstStride + 3);
        plan.transformStrided(x, 1, srcStride, strided, 3, dstStride, 0.5);
        expect(Array.from({ length: n }, (_, k) => strided[3 + k * dstStride])).toEqual(Array.from(contiguous));
        plan.transformAt(gathered, 0, gathered, 0, 0.5);
        expect(Array.from(gathered)).toEqual(Array.from(contiguous));
      }),
      { numRuns: 25 },
    );
  });

  it('a float64 or mixed-type call on a SIMD plan takes the float64 path (1e-12)', () => {
    for (const n of [64, 768, 4096]) {
      const x = randomData(n, n, 'f64') as Float64Array;
      const out = new Float64Array(n);
      createPlan(n).transformAt(x, 0, out, 0, 1);
      expect(relErr(out, referenceDht(x))).toBeLessThanOrEqual(1e-12);
      const mixed = new Float64Array(n);
      createPlan(n).transformAt(Float32Array.from(x), 0, mixed, 0, 1);
      expect(relErr(mixed, referenceDht(Float32Array.from(x)))).toBeLessThanOrEqual(1e-12);
    }
  });

  it('2D: random shapes (odd, prime, mixed), both variants, SIMD plan vs JavaScript plan vs naive 2D sum', () => {
    const arbSide = fc.oneof(fc.integer({ min: 1, max: 70 }), fc.constantFrom(96, 128, 172, 192, 256, 71, 101));
    fc.assert(
      fc.property(arbSide, arbSide, fc.integer(), fc.constantFrom('separable' as const, 'true' as const), (rows, cols, seed, variant) => {
        const w = randomData(rows * cols, seed, 'f32') as Float32Array;
        const a = w.slice();
        const b = w.slice();
        createPlan2d(rows, cols, { variant }).transform(a, 0.25);
        createPlan2d(rows, cols, { variant, backend: 'js' }).transform(b, 0.25);
        expect(relErr(a, b)).toBeLessThanOrEqual(1e-5);
        const plan = createPlan2d(rows, cols, { variant });
        const scratch = plan.transformToScratch(w, 0.25);
        expect(scratch).toBeInstanceOf(Float32Array);
        expect(Array.from(scratch)).toEqual(Array.from(a));
        expect(relErr(createPlan2d(rows, cols, { variant, backend: 'js' }).transformToScratch(w, 0.25), b)).toBe(0);
        const viaFunction = dht2d(w, rows, cols, { variant });
        expect(relErr(viaFunction, b.map((v) => v * 4))).toBeLessThanOrEqual(1e-5);
        if (rows * cols <= 4000) {
          const naive = referenceDht2d(Float64Array.from(w), rows, cols, variant);
          expect(relErr(a, naive.map((v) => v * 0.25))).toBeLessThanOrEqual(1e-5);
          expect(relErr(viaFunction, naive)).toBeLessThanOrEqual(1e-5);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('2D float64 (f64x2 where enabled): random shapes (odd, prime, mixed radix 3 … 67), both variants, default plan vs JavaScript plan vs naive 2D sum within 1e-12', () => {
    const arbSide = fc.oneof(fc.integer({ min: 1, max: 70 }), arbMixedRadixLength(5, 300), fc.constantFrom(71, 101, 768));
    fc.assert(
      fc.property(arbSide, arbSide, fc.integer(), fc.constantFrom('separable' as const, 'true' as const), fc.double({ min: 0.01, max: 100, noNaN: true }), (rows, cols, seed, variant, scale) => {
        fc.pre(rows * cols <= 200_000);
        const w = randomData(rows * cols, seed, 'f64') as Float64Array;
        const a = w.slice();
        const b = w.slice();
        const plan = createPlan2d(rows, cols, { variant });
        plan.transform(a, scale);
        createPlan2d(rows, cols, { variant, backend: 'js' }).transform(b, scale);
        expect(relErr(a, b)).toBeLessThanOrEqual(1e-12);
        const scratch = plan.transformToScratch(w, scale);
        expect(scratch).toBeInstanceOf(Float64Array);
        expect(Array.from(scratch)).toEqual(Array.from(a));
        if (rows * cols <= 3000) expect(relErr(a, referenceDht2d(w, rows, cols, variant).map((v) => v * scale))).toBeLessThanOrEqual(1e-12);
        // The functional form runs the same kernels: the same bits (callers rank spectra from either).
        const unscaled = w.slice();
        plan.transform(unscaled, 1);
        expect(Array.from(dht2d(w, rows, cols, { variant }))).toEqual(Array.from(unscaled));
      }),
      { numRuns: 40 },
    );
  });

  it('NaN and Infinity in float32 and float64 data reach the outputs (no silent finite result)', () => {
    for (const n of [64, 768]) {
      const x = randomData(n, 3, 'f32') as Float32Array;
      x[5] = Number.NaN;
      expect(dht(x).every((v) => Number.isNaN(v))).toBe(true);
      const y = randomData(n, 4, 'f32') as Float32Array;
      y[0] = Number.POSITIVE_INFINITY;
      expect(dht(y).every((v) => !Number.isFinite(v))).toBe(true);
    }
    const m = randomData(32 * 48, 5, 'f32') as Float32Array;
    m[100] = Number.NaN;
    expect(dht2d(m, 32, 48).every((v) => Number.isNaN(v))).toBe(true);
    // float64 data (the f64x2 kernels where enabled): 1D mixed radix and 2D.
    const x64 = randomData(768, 6, 'f64') as Float64Array;
    x64[7] = Number.NaN;
    expect(dht(x64).every((v) => Number.isNaN(v))).toBe(true);
    const m64 = randomData(24 * 40, 7, 'f64') as Float64Array;
    m64[3] = Number.POSITIVE_INFINITY;
    expect(dht2d(m64, 24, 40).every((v) => !Number.isFinite(v))).toBe(true);
  });

  it('setSimdEnabled(false) gives JavaScript plans until it is switched back', () => {
    setSimdEnabled(false);
    try {
      expect(createPlan(4096).backend).toBe('js');
      expect(createPlan2d(64, 64).backend).toBe('js');
      expect(() => createPlan(4096, { backend: 'simd' })).toThrow(/unavailable/);
    } finally {
      setSimdEnabled(!simdOff);
    }
    expect(createPlan(4096).backend).toBe(simdOff ? 'js' : 'simd');
  });

  it.skipIf(simdOff)("backend 'simd' refuses lengths it cannot take, naming the length", () => {
    expect(() => createPlan(63, { backend: 'simd' })).toThrow(/n = 63/);
    expect(() => createPlan(32, { backend: 'simd' })).toThrow(/n = 32/);
    // Every length from 64 on has a SIMD kernel (radix or Bluestein).
    for (const n of [64, 65, 99, 4099]) expect(createPlan(n, { backend: 'simd' }).backend).toBe('simd');
    expect(() => createPlan(4096, { backend: 'gpu' as never })).toThrow(/backend/);
  });
});

describe('the generated module', () => {
  it('src/wasm/dht-simd-binary.ts is reproduced byte for byte by rebuilding assembly/dht-simd.ts', () => {
    const run = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: packageDir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 120_000);
});
