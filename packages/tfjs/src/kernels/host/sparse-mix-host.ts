/**
 * Host (CPU-memory) kernels of the sparse spectral mix, shared by the cpu backend and the
 * wasm bridge. tfjs-backend-cpu's unsortedSegmentSum (also the gradient of gather) costs
 * O(segments × size) — minutes for one 768-wide layer — so the scatter-add and its
 * coefficient gradient are plain O(T·m) loops over the backend's Float32Arrays here.
 *
 * Both loops take several tokens per pass over the terms, so a term's indices and
 * coefficient are loaded once for the block and the adds of the block's tokens are
 * independent (one term per token at a time was ~15 ns per term·token here, bound by
 * index loads and the read-modify-write of the output; four tokens at a time ~2–3× less).
 * The mix reads its terms grouped by output column (the tables of the GPU kernels,
 * built once per position set): each output element is summed in a register and written
 * once, so the output needs no zero-fill — on wasm it is written straight into the heap.
 */
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { SparseMixAttrs, SparseMixCoefGradInputs, SparseMixInputs } from '../../kernel-names';
import { groupTermsByOutput, type MixByOutputTables } from '../gpu-common/sparse-mix-tables';
import { hostOutput, type HostBackendView } from './host-view';
import { SshShapeError } from '../../errors';

const values = (backend: HostBackendView, t: { dataId: object }) => backend.data.get(t.dataId).values as Float32Array;

interface CachedTables {
  inDim: number;
  outSize: number;
  coefIndex: Int32Array | null;
  weight: Float32Array | null;
  tables: MixByOutputTables;
}

// Keyed by the identity of the gather and scatter arrays (kernel-names.ts: one set per
// position set, never mutated); the transposed mix (∂L/∂x) is the same pair swapped.
const tablesByGather = new WeakMap<Int32Array, WeakMap<Int32Array, CachedTables>>();

/** The terms of `a` grouped by output column, built (and validated) once per position set and input width. */
export function hostMixTables(a: SparseMixAttrs, inDim: number): MixByOutputTables {
  let byScatter = tablesByGather.get(a.gather);
  if (byScatter === undefined) {
    byScatter = new WeakMap();
    tablesByGather.set(a.gather, byScatter);
  }
  const hit = byScatter.get(a.scatter);
  if (hit !== undefined && hit.inDim === inDim && hit.outSize === a.outSize && hit.coefIndex === a.coefIndex && hit.weight === a.weight) return hit.tables;
  const tables = groupTermsByOutput(a, inDim, 'SshSparseMix (host)');
  byScatter.set(a.scatter, { inDim, outSize: a.outSize, coefIndex: a.coefIndex, weight: a.weight, tables });
  return tables;
}

/** Tokens per pass over the terms (see the module comment). */
const MIX_BLOCK = 4;

/**
 * out[t, v] = Σ_{i ∈ column v} termCoef[i] · x[t, source[i]] for every token t and output
 * column v (every element written). x `[tokens, inDim]`, out `[tokens, outSize]`.
 */
export function mixByOutput(x: Float32Array, inDim: number, tokens: number, tables: MixByOutputTables, termCoef: Float64Array, out: Float32Array, outSize: number): void {
  const { offsets, source } = tables;
  let t = 0;
  for (; t + MIX_BLOCK <= tokens; t += MIX_BLOCK) {
    const x0 = t * inDim;
    const x1 = x0 + inDim;
    const x2 = x1 + inDim;
    const x3 = x2 + inDim;
    const o0 = t * outSize;
    for (let v = 0; v < outSize; v++) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let i = offsets[v], end = offsets[v + 1]; i < end; i++) {
        const g = source[i];
        const w = termCoef[i];
        a0 += w * x[x0 + g];
        a1 += w * x[x1 + g];
        a2 += w * x[x2 + g];
        a3 += w * x[x3 + g];
      }
      out[o0 + v] = a0;
      out[o0 + outSize + v] = a1;
      out[o0 + 2 * outSize + v] = a2;
      out[o0 + 3 * outSize + v] = a3;
    }
  }
  for (; t < tokens; t++) {
    const xo = t * inDim;
    const oo = t * outSize;
    for (let v = 0; v < outSize; v++) {
      let acc = 0;
      for (let i = offsets[v], end = offsets[v + 1]; i < end; i++) acc += termCoef[i] * x[xo + source[i]];
      out[oo + v] = acc;
    }
  }
}

/** out[t, scatter_j] += weight_j · c[coefIndex_j] · x[t, gather_j]; x [T, inDim], c [n] → [T, outSize]. */
export const sparseMixHost: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, c } = inputs as unknown as SparseMixInputs;
  const a = attrs as unknown as SparseMixAttrs;
  const host = backend as unknown as HostBackendView;
  const [tokens, inDim] = x.shape;
  const tables = hostMixTables(a, inDim);
  for (let i = 0; i < tables.coef.length; i++) {
    const k = tables.coef[i];
    if (!(k >= 0 && k < c.shape[0])) throw new SshShapeError(`SshSparseMix (host): coefIndex = ${k} is outside [0, ${c.shape[0]}) (c has shape [${c.shape}])`);
  }
  // Output first (on wasm it may grow the heap and detach earlier views), then the inputs.
  const out = hostOutput(host, [tokens, a.outSize]);
  const xv = values(host, x);
  const cv = values(host, c);
  const termCoef = new Float64Array(tables.coef.length);
  for (let i = 0; i < termCoef.length; i++) termCoef[i] = tables.weight[i] * cv[tables.coef[i]];
  mixByOutput(xv, inDim, tokens, tables, termCoef, out.values, a.outSize);
  return out.finish();
};

/** Tokens per pass over the terms in the coefficient gradient. */
const COEF_BLOCK = 8;

/**
 * acc[i] = Σ_t x[t, source[i]] · dy[t, v] for every grouped term i of output column v, in
 * float64. x `[tokens, inDim]`, dy `[tokens, outDim]` with outDim = the tables' column count.
 * Column by column, the block's dy values are loaded once for all the terms of the column.
 */
export function termGradients(x: Float32Array, inDim: number, dy: Float32Array, outDim: number, tokens: number, tables: MixByOutputTables): Float64Array {
  const { offsets, source } = tables;
  const acc = new Float64Array(source.length);
  let t = 0;
  for (; t + COEF_BLOCK <= tokens; t += COEF_BLOCK) {
    const x0 = t * inDim;
    const d0 = t * outDim;
    for (let v = 0; v < outDim; v++) {
      const begin = offsets[v];
      const end = offsets[v + 1];
      if (begin === end) continue;
      const e0 = dy[d0 + v];
      const e1 = dy[d0 + outDim + v];
      const e2 = dy[d0 + 2 * outDim + v];
      const e3 = dy[d0 + 3 * outDim + v];
      const e4 = dy[d0 + 4 * outDim + v];
      const e5 = dy[d0 + 5 * outDim + v];
      const e6 = dy[d0 + 6 * outDim + v];
      const e7 = dy[d0 + 7 * outDim + v];
      for (let i = begin; i < end; i++) {
        const g = x0 + source[i];
        acc[i] +=
          x[g] * e0 +
          x[g + inDim] * e1 +
          x[g + 2 * inDim] * e2 +
          x[g + 3 * inDim] * e3 +
          x[g + 4 * inDim] * e4 +
          x[g + 5 * inDim] * e5 +
          x[g + 6 * inDim] * e6 +
          x[g + 7 * inDim] * e7;
      }
    }
  }
  for (; t < tokens; t++) {
    const xo = t * inDim;
    const dO = t * outDim;
    for (let v = 0; v < outDim; v++) {
      const e = dy[dO + v];
      for (let i = offsets[v], end = offsets[v + 1]; i < end; i++) acc[i] += x[xo + source[i]] * e;
    }
  }
  return acc;
}

/** g[coefIndex_j] += weight_j · Σ_t x[t, gather_j] · dy[t, scatter_j]; → [outSize = n]. */
export const sparseMixCoefGradHost: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as unknown as SparseMixCoefGradInputs;
  const a = attrs as unknown as SparseMixAttrs;
  const host = backend as unknown as HostBackendView;
  const [tokens, inDim] = x.shape;
  const outDim = dy.shape[1];
  const count = a.outSize;
  // The forward mix's tables (same gather/scatter, output width outDim); outSize here is n.
  const tables = hostMixTables({ ...a, outSize: outDim }, inDim);
  for (let i = 0; i < tables.coef.length; i++) {
    const k = tables.coef[i];
    if (!(k >= 0 && k < count)) throw new SshShapeError(`SshSparseMixCoefGrad (host): coefIndex = ${k} is outside [0, ${count})`);
  }
  const out = hostOutput(host, [count]);
  const acc = termGradients(values(host, x), inDim, values(host, dy), outDim, tokens, tables);
  const g = new Float64Array(count);
  for (let i = 0; i < acc.length; i++) g[tables.coef[i]] += tables.weight[i] * acc[i];
  out.values.set(g);
  return out.finish();
};
