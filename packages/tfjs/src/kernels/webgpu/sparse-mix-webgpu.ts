/**
 * webgpu-backend kernels of the sparse spectral mix (contract in ../../kernel-names.ts),
 * the same gather-only formulation as the webgl ones: one thread per output element
 * reads the terms grouped on it (../gpu-common/sparse-mix-tables.ts) — no atomics, no
 * scatter, no UnsortedSegmentSum, no transpose of the [T, d] activations.
 *
 * - mix (forward, and ∂L/∂x through the gradient's transposed attributes): a small pass
 *   computes each grouped term's weight·c[coef] (E), then out[t, v] = Σ_{i in group v}
 *   E[i] · x[t, source[i]].
 * - coefficient gradient: one thread per coefficient k, g[k] = Σ_{i in group k}
 *   weight[i] · Σ_t x[t, gather[i]] · dy[t, scatter[i]].
 * Index tables are int32 storage buffers uploaded once per position set and direction
 * and cached on the backend.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import {
  SPARSE_MIX_COEF_GRAD_KERNEL_NAME,
  SPARSE_MIX_KERNEL_NAME,
  type SparseMixAttrs,
  type SparseMixCoefGradInputs,
  type SparseMixInputs,
} from '../../kernel-names';
import { groupTermsByCoefficient, groupTermsByOutput } from '../gpu-common/sparse-mix-tables';
import { coefGradInputDims, mixInputDims } from '../gpu-common/sparse-mix-inputs';
import { mixTableKey, PositionTableCache, type DataBackend } from '../gpu-common/position-table-cache';
import type { WebGPUProgramLike, WebGPUProgramRunner } from './webgpu-program';

const WORKGROUP_SIZE = 64;


/** The WebGPUBackend members these kernels use. */
interface WebGPUBackendLike extends DataBackend, WebGPUProgramRunner {}

const tables = new PositionTableCache();

function flatProgram(outputShape: number[], variableNames: string[], shaderKey: string, body: string): WebGPUProgramLike {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    variableNames,
    outputShape,
    shaderKey,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / WORKGROUP_SIZE), 1, 1],
    workgroupSize: [WORKGROUP_SIZE, 1, 1],
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }
    `,
  };
}

const mixWebGPU: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, c } = inputs as unknown as SparseMixInputs;
  const a = attrs as unknown as SparseMixAttrs;
  const webgpu = backend as unknown as WebGPUBackendLike;
  const { tokens, inDim } = mixInputDims(x, 'webgpu');
  const m = a.gather.length;
  const outSize = a.outSize;
  if (tokens === 0 || m === 0) return webgpu.makeTensorInfo([tokens, outSize], 'float32', new Float32Array(tokens * outSize));
  const [coef, weight, source, offsets] = tables.get(webgpu, mixTableKey('mix', a, inDim, outSize), () => {
    const t = groupTermsByOutput(a, inDim, SPARSE_MIX_KERNEL_NAME);
    return [
      { shape: [m], dtype: 'int32', values: t.coef },
      { shape: [m], dtype: 'float32', values: t.weight },
      { shape: [m], dtype: 'int32', values: t.source },
      { shape: [outSize + 1], dtype: 'int32', values: t.offsets },
    ];
  });
  const e = webgpu.runWebGPUProgram(flatProgram([m], ['C', 'Coef', 'W'], 'sshMixTermCoef', `setOutputAtIndex(index, W[index] * C[Coef[index]]);`), [c, coef, weight], 'float32');
  const out = webgpu.runWebGPUProgram(
    flatProgram(
      [tokens, outSize],
      ['X', 'E', 'Src', 'Off'],
      `sshMix_in${inDim}_out${outSize}`,
      `
          let t = index / ${outSize};
          let v = index - t * ${outSize};
          let xBase = t * ${inDim};
          let end = Off[v + 1];
          var acc = 0.0;
          for (var i = Off[v]; i < end; i = i + 1) {
            acc = acc + E[i] * X[xBase + Src[i]];
          }
          setOutputAtIndex(index, acc);`,
    ),
    [x, e, source, offsets],
    'float32',
  );
  // Released after the queued command buffer is submitted (the backend defers it).
  webgpu.disposeData(e.dataId);
  return out;
};

const coefGradWebGPU: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as unknown as SparseMixCoefGradInputs;
  const a = attrs as unknown as SparseMixAttrs;
  const webgpu = backend as unknown as WebGPUBackendLike;
  const { tokens, inDim, outDim } = coefGradInputDims(x, dy, 'webgpu');
  const count = a.outSize;
  const m = a.gather.length;
  if (tokens === 0 || m === 0) return webgpu.makeTensorInfo([count], 'float32', new Float32Array(count));
  const [offsets, gather, scatter, weight] = tables.get(webgpu, mixTableKey('coef', a, inDim, outDim, count), () => {
    groupTermsByOutput({ ...a, outSize: outDim }, inDim, SPARSE_MIX_COEF_GRAD_KERNEL_NAME);
    const t = groupTermsByCoefficient(a, count, SPARSE_MIX_COEF_GRAD_KERNEL_NAME);
    return [
      { shape: [count + 1], dtype: 'int32', values: t.offsets },
      { shape: [m], dtype: 'int32', values: t.gather },
      { shape: [m], dtype: 'int32', values: t.scatter },
      { shape: [m], dtype: 'float32', values: t.weight },
    ];
  });
  return webgpu.runWebGPUProgram(
    flatProgram(
      [count],
      ['X', 'Dy', 'Off', 'G', 'S', 'W'],
      `sshMixCoefGrad_t${tokens}_in${inDim}_out${outDim}`,
      `
          let end = Off[index + 1];
          var acc = 0.0;
          for (var i = Off[index]; i < end; i = i + 1) {
            let g = G[i];
            let s = S[i];
            var part = 0.0;
            for (var t = 0; t < ${tokens}; t = t + 1) {
              part = part + X[t * ${inDim} + g] * Dy[t * ${outDim} + s];
            }
            acc = acc + W[i] * part;
          }
          setOutputAtIndex(index, acc);`,
    ),
    [x, dy, offsets, gather, scatter, weight],
    'float32',
  );
};

/** Kernel registration records of the sparse mix for the `webgpu` backend. */
export const sparseMixWebGPUKernelConfigs: readonly KernelConfig[] = [
  { kernelName: SPARSE_MIX_KERNEL_NAME, backendName: 'webgpu', kernelFunc: mixWebGPU },
  { kernelName: SPARSE_MIX_COEF_GRAD_KERNEL_NAME, backendName: 'webgpu', kernelFunc: coefGradWebGPU },
];

/** Releases the index tables held for a webgpu backend instance. */
export function clearWebGPUSparseMixTables(backend: object): void {
  tables.clear(backend as DataBackend);
}
