/**
 * webgl-backend kernels of the sparse spectral mix (contract in ../../kernel-names.ts).
 * Gather-only: one fragment per output element reads the terms grouped on it
 * (../gpu-common/sparse-mix-tables.ts), so there is no scatter, no UnsortedSegmentSum
 * and no transpose of the [T, d] activations.
 *
 * - mix (forward, and ∂L/∂x through the gradient's transposed attributes): a small pass
 *   computes each grouped term's weight·c[coef] (E), then out[t, v] = Σ_{i in group v}
 *   E[i] · x[t, source[i]].
 * - coefficient gradient: g[k] = Σ_{i in group k} weight[i] · Σ_t x[t, gather[i]] · dy[t, scatter[i]];
 *   unpacked, one fragment per coefficient; packed, partial sums over chunks of tokens
 *   (several texture rows of fragments instead of one) and then their sum.
 * Index tables are float32 textures holding exact integers (< 2^24; read with +0.5 before
 * the int conversion so that no texture path can truncate 3.0 to 2), uploaded once per
 * position set, direction and layout and cached on the backend.
 *
 * Two texture layouts: `packed` (./sparse-mix-packed-programs.ts, a 2×2 block per
 * fragment, the registered one) and `gather` (the unpacked programs below, one output per
 * fragment), kept as the measured peer in `bench/browser` and as a second implementation
 * in the tests.
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
import {
  coefGradChunks,
  packedChunkSumProgram,
  packedCoefGradPartialProgram,
  packedMixProgram,
  packedTermProgram,
  type WebGLMixProgram as WebGLProgram,
} from './sparse-mix-packed-programs';

/** Texture layout of the sparse-mix programs (see the module comment). */
export type WebGLMixLayout = 'gather' | 'packed';

/** The layout of the registered kernels: packed reads the packed DHT output without conversions. */
export const WEBGL_MIX_LAYOUT: WebGLMixLayout = 'packed';

/** The MathBackendWebGL members these kernels use. */
interface WebGLBackendLike extends DataBackend {
  runWebGLProgram(program: WebGLProgram, inputs: TensorInfo[], outputDtype: 'float32'): TensorInfo;
  disposeIntermediateTensorInfo(info: TensorInfo): void;
}

const tables = new PositionTableCache();

const asFloat = (a: Int32Array | Float32Array) => (a instanceof Float32Array ? a : Float32Array.from(a));

/** E[i] = weight[i] · c[coef[i]] for the grouped terms. */
function termCoefficientProgram(m: number): WebGLProgram {
  return {
    variableNames: ['C', 'Coef', 'W'],
    outputShape: [m],
    userCode: `
      void main() {
        int i = getOutputCoords();
        setOutput(getW(i) * getC(int(getCoef(i) + 0.5)));
      }
    `,
  };
}

function mixProgram(tokens: number, outSize: number): WebGLProgram {
  return {
    variableNames: ['X', 'E', 'Src', 'Off'],
    outputShape: [tokens, outSize],
    userCode: `
      void main() {
        ivec2 coords = getOutputCoords();
        int t = coords.x;
        int v = coords.y;
        int end = int(getOff(v + 1) + 0.5);
        float acc = 0.0;
        for (int i = int(getOff(v) + 0.5); i < end; i++) {
          acc += getE(i) * getX(t, int(getSrc(i) + 0.5));
        }
        setOutput(acc);
      }
    `,
  };
}

function coefGradProgram(tokens: number, count: number): WebGLProgram {
  return {
    variableNames: ['X', 'Dy', 'Off', 'G', 'S', 'W'],
    outputShape: [count],
    userCode: `
      void main() {
        int k = getOutputCoords();
        int end = int(getOff(k + 1) + 0.5);
        float acc = 0.0;
        for (int i = int(getOff(k) + 0.5); i < end; i++) {
          int g = int(getG(i) + 0.5);
          int s = int(getS(i) + 0.5);
          float part = 0.0;
          for (int t = 0; t < ${tokens}; t++) {
            part += getX(t, g) * getDy(t, s);
          }
          acc += getW(i) * part;
        }
        setOutput(acc);
      }
    `,
  };
}

function createMixKernelFunc(layout: WebGLMixLayout): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, c } = inputs as unknown as SparseMixInputs;
    const a = attrs as unknown as SparseMixAttrs;
    const webgl = backend as unknown as WebGLBackendLike;
    const { tokens, inDim } = mixInputDims(x, 'webgl');
    const m = a.gather.length;
    if (tokens === 0 || m === 0) return webgl.makeTensorInfo([tokens, a.outSize], 'float32', new Float32Array(tokens * a.outSize));
    // One cache entry per layout: a table first uploaded unpacked would be re-packed on every packed run.
    if (layout === 'packed') {
      const [coefWeight, source, offsets] = tables.get(webgl, mixTableKey('mix-packed', a, inDim, a.outSize), () => {
        const t = groupTermsByOutput(a, inDim, SPARSE_MIX_KERNEL_NAME);
        const cw = new Float32Array(2 * m);
        for (let i = 0; i < m; i++) {
          cw[2 * i] = t.coef[i];
          cw[2 * i + 1] = t.weight[i];
        }
        return [
          { shape: [m, 2], dtype: 'float32', values: cw },
          { shape: [m], dtype: 'float32', values: asFloat(t.source) },
          { shape: [a.outSize + 1], dtype: 'float32', values: asFloat(t.offsets) },
        ];
      });
      const es = webgl.runWebGLProgram(packedTermProgram(m), [c, coefWeight, source], 'float32');
      const out = webgl.runWebGLProgram(packedMixProgram(tokens, a.outSize), [x, es, offsets], 'float32');
      webgl.disposeIntermediateTensorInfo(es);
      return out;
    }
    const [coef, weight, source, offsets] = tables.get(webgl, mixTableKey('mix-gather', a, inDim, a.outSize), () => {
      const t = groupTermsByOutput(a, inDim, SPARSE_MIX_KERNEL_NAME);
      return [
        { shape: [m], dtype: 'float32', values: asFloat(t.coef) },
        { shape: [m], dtype: 'float32', values: t.weight },
        { shape: [m], dtype: 'float32', values: asFloat(t.source) },
        { shape: [a.outSize + 1], dtype: 'float32', values: asFloat(t.offsets) },
      ];
    });
    const e = webgl.runWebGLProgram(termCoefficientProgram(m), [c, coef, weight], 'float32');
    const out = webgl.runWebGLProgram(mixProgram(tokens, a.outSize), [x, e, source, offsets], 'float32');
    webgl.disposeIntermediateTensorInfo(e);
    return out;
  };
}

function createCoefGradKernelFunc(layout: WebGLMixLayout): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as unknown as SparseMixCoefGradInputs;
    const a = attrs as unknown as SparseMixAttrs;
    const webgl = backend as unknown as WebGLBackendLike;
    const { tokens, inDim, outDim } = coefGradInputDims(x, dy, 'webgl');
    const count = a.outSize;
    if (tokens === 0 || a.gather.length === 0) return webgl.makeTensorInfo([count], 'float32', new Float32Array(count));
    const m = a.gather.length;
    const build = () => {
      groupTermsByOutput({ ...a, outSize: outDim }, inDim, SPARSE_MIX_COEF_GRAD_KERNEL_NAME);
      return groupTermsByCoefficient(a, count, SPARSE_MIX_COEF_GRAD_KERNEL_NAME);
    };
    if (layout === 'packed') {
      const [offsets, gatherScatter, weight] = tables.get(webgl, mixTableKey('coef-packed', a, inDim, outDim, count), () => {
        const t = build();
        const gs = new Float32Array(2 * m);
        for (let i = 0; i < m; i++) {
          gs[2 * i] = t.gather[i];
          gs[2 * i + 1] = t.scatter[i];
        }
        return [
          { shape: [count + 1], dtype: 'float32', values: asFloat(t.offsets) },
          { shape: [m, 2], dtype: 'float32', values: gs },
          { shape: [m], dtype: 'float32', values: t.weight },
        ];
      });
      const partial = webgl.runWebGLProgram(packedCoefGradPartialProgram(tokens, count), [x, dy, offsets, gatherScatter, weight], 'float32');
      const out = webgl.runWebGLProgram(packedChunkSumProgram(coefGradChunks(tokens), count), [partial], 'float32');
      webgl.disposeIntermediateTensorInfo(partial);
      return out;
    }
    const [offsets, gather, scatter, weight] = tables.get(webgl, mixTableKey('coef-gather', a, inDim, outDim, count), () => {
      const t = build();
      return [
        { shape: [count + 1], dtype: 'float32', values: asFloat(t.offsets) },
        { shape: [m], dtype: 'float32', values: asFloat(t.gather) },
        { shape: [m], dtype: 'float32', values: asFloat(t.scatter) },
        { shape: [m], dtype: 'float32', values: t.weight },
      ];
    });
    return webgl.runWebGLProgram(coefGradProgram(tokens, count), [x, dy, offsets, gather, scatter, weight], 'float32');
  };
}

/**
 * Kernel registration records of the sparse mix for the `webgl` backend with the programs
 * of `layout` (the bench and the tests register the other layout in place of the default).
 */
export function createSparseMixWebGLKernelConfigs(layout: WebGLMixLayout = WEBGL_MIX_LAYOUT): readonly KernelConfig[] {
  return [
    { kernelName: SPARSE_MIX_KERNEL_NAME, backendName: 'webgl', kernelFunc: createMixKernelFunc(layout) },
    { kernelName: SPARSE_MIX_COEF_GRAD_KERNEL_NAME, backendName: 'webgl', kernelFunc: createCoefGradKernelFunc(layout) },
  ];
}

/** Kernel registration records of the sparse mix for the `webgl` backend. */
export const sparseMixWebGLKernelConfigs: readonly KernelConfig[] = createSparseMixWebGLKernelConfigs();

/** Releases the index tables held for a webgl backend instance. */
export function clearWebGLSparseMixTables(backend: object): void {
  tables.clear(backend as DataBackend);
}
