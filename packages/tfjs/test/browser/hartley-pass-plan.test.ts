/**
 * Node-side check of the GPU pass schedule: the two pass formulas the shaders
 * implement (per-output gather — webgl and webgpu generic passes — and the
 * p-outputs-per-thread butterfly of the webgpu kernel) are emulated here in float64
 * with the same index arithmetic and compared with the O(N²) reference DHT.
 * The shaders themselves are checked against the cpu backend in the browser tests.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { referenceDht } from '@ssh-peft/hartley';
import {
  factorRadices,
  planHartleyPasses,
  twiddleTable,
  type HartleyPass,
} from '../../src/kernels/gpu-common/hartley-pass-plan';
import { butterflyRoots } from '../../src/kernels/webgpu/butterfly-roots';

/** Emulates one gather pass exactly as the shaders index it (incremental twiddle index). */
function gatherPass(a: Float64Array, rows: number, n: number, pass: HartleyPass, tw: Float32Array): Float64Array {
  const out = new Float64Array(a.length);
  const { radix: p, inLength: lp, outLength: l, stride: r } = pass;
  for (let row = 0; row < rows; row++) {
    const off = row * n;
    for (let q = 0; q < n; q++) {
      const j = Math.floor(q / l);
      const k = q - j * l;
      const kp = k % lp;
      const kn = kp === 0 ? 0 : lp - kp;
      let base = j * lp;
      let acc = a[off + base + kp];
      let m = 0;
      for (let t = 1; t < p; t++) {
        base += r * lp;
        m += k;
        if (m >= l) m -= l;
        const c = tw[2 * m * r];
        const s = tw[2 * m * r + 1];
        acc += c * a[off + base + kp] + s * a[off + base + kn];
      }
      out[off + q] = acc;
    }
  }
  return out;
}

/** Emulates the webgpu butterfly pass: one thread per (row, j, k'), p outputs k' + Lp·m. */
function butterflyPass(a: Float64Array, rows: number, n: number, pass: HartleyPass, tw: Float32Array): Float64Array {
  const out = new Float64Array(a.length);
  const { radix: p, inLength: lp, outLength: l, stride: r } = pass;
  const roots = butterflyRoots(p);
  const u = new Float64Array(p);
  const v = new Float64Array(p);
  for (let row = 0; row < rows; row++) {
    const off = row * n;
    for (let thread = 0; thread < n / p; thread++) {
      const j = Math.floor(thread / lp);
      const kp = thread - j * lp;
      const kn = kp === 0 ? 0 : lp - kp;
      for (let t = 0; t < p; t++) {
        const base = off + (j + r * t) * lp;
        const c = tw[2 * kp * t * r];
        const s = tw[2 * kp * t * r + 1];
        u[t] = c * a[base + kp] + s * a[base + kn];
        v[t] = c * a[base + kn] - s * a[base + kp];
      }
      for (let m = 0; m < p; m++) {
        let acc = u[0];
        for (let t = 1; t < p; t++) acc += roots.cos[(m * t) % p] * u[t] + roots.sin[(m * t) % p] * v[t];
        out[off + j * l + kp + lp * m] = acc;
      }
    }
  }
  return out;
}

function runPlan(x: Float64Array, rows: number, n: number, kind: 'gather' | 'butterfly', directMaxLength: number, radices: readonly number[]): Float64Array {
  const plan = planHartleyPasses(n, { directMaxLength, radices });
  const tw = twiddleTable(n);
  let cur = x;
  for (const pass of plan.passes) {
    cur = kind === 'butterfly' && pass.radix <= 16 ? butterflyPass(cur, rows, n, pass, tw) : gatherPass(cur, rows, n, pass, tw);
  }
  return cur;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const radixOrders = fc.constantFrom([4, 2, 3, 5, 7], [2], [8, 4, 2, 3], [3, 2], [16, 4, 2, 5, 3]);

describe('GPU Hartley pass schedule (float64 emulation of the shader index math)', () => {
  it('factorRadices multiplies back to n and uses preferred radices first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20000 }), radixOrders, (n, radices) => {
        const f = factorRadices(n, radices);
        expect(f.reduce((p, x) => p * x, 1)).toBe(n);
      }),
    );
    expect(factorRadices(3072, [4, 2, 3])).toEqual([4, 4, 4, 4, 4, 3]);
    expect(factorRadices(11008, [4, 2])).toEqual([4, 4, 4, 4, 43]);
  });

  it('the twiddle table holds cos/sin of 2πm/N with exact quarter turns', () => {
    const t = twiddleTable(8);
    expect(Array.from(t.subarray(0, 2))).toEqual([1, 0]);
    expect(Array.from(t.subarray(4, 6))).toEqual([0, 1]);
    expect(Array.from(t.subarray(8, 10))).toEqual([-1, 0]);
    expect(t[2]).toBeCloseTo(Math.SQRT1_2, 7);
  });

  for (const kind of ['gather', 'butterfly'] as const) {
    it(`${kind} passes equal the reference DHT for random lengths, batches and radix orders`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 400 }),
          fc.integer({ min: 1, max: 3 }),
          fc.constantFrom(1, 8, 32),
          radixOrders,
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          (n, rows, directMaxLength, radices, seed) => {
            const x = new Float64Array(rows * n);
            let s = seed;
            for (let i = 0; i < x.length; i++) {
              s = (Math.imul(s, 1103515245) + 12345) >>> 0;
              x[i] = s / 2 ** 31 - 1;
            }
            const got = runPlan(x, rows, n, kind, directMaxLength, radices);
            for (let row = 0; row < rows; row++) {
              const want = referenceDht(x.subarray(row * n, (row + 1) * n));
              // float32 twiddles: error grows like √N·2⁻²⁴ per pass, bounded loosely here.
              expect(maxAbsDiff(got.subarray(row * n, (row + 1) * n), want)).toBeLessThan(1e-5 * Math.sqrt(n) * 4);
            }
          },
        ),
        { numRuns: 120 },
      );
    });
  }

  it('handles the layer widths of real models (768, 3072) with the default radices', () => {
    for (const n of [768, 3072]) {
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + (i % 7) * 0.1);
      const want = referenceDht(x);
      expect(maxAbsDiff(runPlan(x, 1, n, 'gather', 64, [4, 2, 3]), want)).toBeLessThan(5e-4);
      expect(maxAbsDiff(runPlan(x, 1, n, 'butterfly', 64, [4, 2, 3]), want)).toBeLessThan(5e-4);
    }
  });
});
