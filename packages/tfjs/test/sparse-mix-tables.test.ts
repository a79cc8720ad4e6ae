/**
 * The index tables of the GPU sparse-mix kernels, emulated in Node exactly as the shaders
 * read them (one output element at a time from its group; one coefficient at a time for
 * ∂L/∂c), against the direct definition over the terms. The shaders themselves are
 * checked against the cpu kernels in the browser tests.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { groupTermsByCoefficient, groupTermsByOutput } from '../src/kernels/gpu-common/sparse-mix-tables';
import { transposedMixAttrs } from '../src/gradients/sparse-mix-gradient';
import type { SparseMixAttrs } from '../src/kernel-names';
import { SshShapeError } from '../src/errors';

const caseArb = fc
  .record({ tokens: fc.integer({ min: 1, max: 5 }), inDim: fc.integer({ min: 1, max: 12 }), outSize: fc.integer({ min: 1, max: 12 }), count: fc.integer({ min: 1, max: 10 }), r: fc.constantFrom(1, 4) })
  .chain((c) =>
    fc.record({
      c: fc.constant(c),
      gather: fc.array(fc.integer({ min: 0, max: c.inDim - 1 }), { minLength: c.count * c.r, maxLength: c.count * c.r }),
      scatter: fc.array(fc.integer({ min: 0, max: c.outSize - 1 }), { minLength: c.count * c.r, maxLength: c.count * c.r }),
      weight: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: c.count * c.r, maxLength: c.count * c.r }),
      coef: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: c.count, maxLength: c.count }),
      x: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: c.tokens * 12, maxLength: c.tokens * 12 }),
      dy: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: c.tokens * 12, maxLength: c.tokens * 12 }),
    }),
  );

function attrsOf(g: number[], s: number[], w: number[], r: number, outSize: number): SparseMixAttrs {
  const m = g.length;
  return {
    gather: Int32Array.from(g),
    scatter: Int32Array.from(s),
    coefIndex: r === 1 ? null : Int32Array.from({ length: m }, (_, j) => Math.floor(j / r)),
    weight: r === 1 ? null : Float32Array.from(w),
    outSize,
  };
}

/** Direct definition: out[t, s_j] += w_j·c[k_j]·x[t, g_j]. */
function directMix(a: SparseMixAttrs, c: number[], x: number[], tokens: number, inDim: number): Float64Array {
  const out = new Float64Array(tokens * a.outSize);
  for (let t = 0; t < tokens; t++) {
    for (let j = 0; j < a.gather.length; j++) {
      const k = a.coefIndex === null ? j : a.coefIndex[j];
      const w = a.weight === null ? 1 : a.weight[j];
      out[t * a.outSize + a.scatter[j]] += w * c[k] * x[t * inDim + a.gather[j]];
    }
  }
  return out;
}

/** The gather-only evaluation the shaders do. */
function groupedMix(a: SparseMixAttrs, c: number[], x: number[], tokens: number, inDim: number): Float64Array {
  const t = groupTermsByOutput(a, inDim, 'test');
  const e = Array.from(t.coef, (k, i) => t.weight[i] * c[k]);
  const out = new Float64Array(tokens * a.outSize);
  for (let row = 0; row < tokens; row++) {
    for (let v = 0; v < a.outSize; v++) {
      let acc = 0;
      for (let i = t.offsets[v]; i < t.offsets[v + 1]; i++) acc += e[i] * x[row * inDim + t.source[i]];
      out[row * a.outSize + v] = acc;
    }
  }
  return out;
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
};

describe('sparse-mix index tables (GPU kernels)', () => {
  it('grouped by output column: forward and transposed mix equal the direct sums; ∂c grouped by coefficient', () => {
    fc.assert(
      fc.property(caseArb, ({ c: cs, gather, scatter, weight, coef, x, dy }) => {
        const { tokens, inDim, outSize, count, r } = cs;
        const a = attrsOf(gather, scatter, weight, r, outSize);
        const xs = x.slice(0, tokens * inDim);
        close(groupedMix(a, coef, xs, tokens, inDim), directMix(a, coef, xs, tokens, inDim));
        const dys = dy.slice(0, tokens * outSize);
        const at = transposedMixAttrs(a, inDim);
        close(groupedMix(at, coef, dys, tokens, outSize), directMix(at, coef, dys, tokens, outSize));
        const t = groupTermsByCoefficient(a, count, 'test');
        const want = new Float64Array(count);
        for (let j = 0; j < gather.length; j++) {
          let s = 0;
          for (let row = 0; row < tokens; row++) s += xs[row * inDim + gather[j]] * dys[row * outSize + scatter[j]];
          want[a.coefIndex === null ? j : a.coefIndex[j]] += (a.weight === null ? 1 : a.weight[j]) * s;
        }
        const got = new Float64Array(count);
        for (let k = 0; k < count; k++) {
          for (let i = t.offsets[k]; i < t.offsets[k + 1]; i++) {
            let s = 0;
            for (let row = 0; row < tokens; row++) s += xs[row * inDim + t.gather[i]] * dys[row * outSize + t.scatter[i]];
            got[k] += t.weight[i] * s;
          }
        }
        close(got, want);
      }),
      { numRuns: 200, seed: 0x7ab1e5 },
    );
  });

  it('rejects a term outside the tensors with a typed error naming the index', () => {
    const a = attrsOf([0, 5], [1, 0], [1, 1], 1, 2);
    expect(() => groupTermsByOutput(a, 4, 'SshSparseMix (webgl)')).toThrow(SshShapeError);
    expect(() => groupTermsByOutput(a, 4, 'SshSparseMix (webgl)')).toThrow(/gather\[1\] = 5 is outside \[0, 4\)/);
    expect(() => groupTermsByCoefficient(attrsOf([0, 1, 0, 1], [0, 0, 1, 1], [1, 1, 1, 1], 4, 2), 0, 'k')).toThrow(/coefIndex\[0\] = 0 is outside \[0, 0\)/);
  });
});
