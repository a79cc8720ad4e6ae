/**
 * Host (CPU-memory) kernels of the sparse spectral mix, shared by the cpu backend and the
 * wasm bridge. tfjs-backend-cpu's unsortedSegmentSum (also the gradient of gather) costs
 * O(segments × size) — minutes for one 768-wide layer — so the scatter-add and its
 * coefficient gradient are plain O(T·m) loops over the backend's Float32Arrays here.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { SparseMixAttrs, SparseMixCoefGradInputs, SparseMixInputs } from '../../kernel-names';
import type { HostBackendView } from './host-view';

const values = (backend: HostBackendView, t: TensorInfo) => backend.data.get(t.dataId).values as Float32Array;

/** out[t, scatter_j] += weight_j · c[coefIndex_j] · x[t, gather_j]; x [T, inDim], c [n] → [T, outSize]. */
export const sparseMixHost: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, c } = inputs as unknown as SparseMixInputs;
  const a = attrs as unknown as SparseMixAttrs;
  const cpu = backend as unknown as HostBackendView;
  const xv = values(cpu, x);
  const cv = values(cpu, c);
  const [tokens, inDim] = x.shape;
  const m = a.gather.length;
  const termCoef = new Float32Array(m);
  for (let j = 0; j < m; j++) termCoef[j] = (a.weight === null ? 1 : a.weight[j]) * cv[a.coefIndex === null ? j : a.coefIndex[j]];
  const out = new Float32Array(tokens * a.outSize);
  const { gather, scatter } = a;
  for (let t = 0; t < tokens; t++) {
    const xo = t * inDim;
    const oo = t * a.outSize;
    for (let j = 0; j < m; j++) out[oo + scatter[j]] += termCoef[j] * xv[xo + gather[j]];
  }
  return cpu.makeTensorInfo([tokens, a.outSize], 'float32', out);
};

/** g[coefIndex_j] += weight_j · Σ_t x[t, gather_j] · dy[t, scatter_j]; → [outSize = n]. */
export const sparseMixCoefGradHost: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as unknown as SparseMixCoefGradInputs;
  const a = attrs as unknown as SparseMixAttrs;
  const cpu = backend as unknown as HostBackendView;
  const xv = values(cpu, x);
  const dv = values(cpu, dy);
  const [tokens, inDim] = x.shape;
  const outDim = dy.shape[1];
  const m = a.gather.length;
  const acc = new Float64Array(m);
  const { gather, scatter } = a;
  for (let t = 0; t < tokens; t++) {
    const xo = t * inDim;
    const dO = t * outDim;
    for (let j = 0; j < m; j++) acc[j] += xv[xo + gather[j]] * dv[dO + scatter[j]];
  }
  const g = new Float32Array(a.outSize);
  for (let j = 0; j < m; j++) g[a.coefIndex === null ? j : a.coefIndex[j]] += (a.weight === null ? 1 : a.weight[j]) * acc[j];
  return cpu.makeTensorInfo([a.outSize], 'float32', g);
};
