/**
 * The host kernels of the sparse mix (token-blocked loops over terms grouped by output
 * column) and of the DHT (written straight into the output's memory) on cpu and wasm,
 * against the obvious float64 loops over the terms: random shapes, token counts that are
 * and are not multiples of the kernels' blocks (4 and 8), both 2D variants, and outputs
 * allocated while the (wasm) heap grows.
 */
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPARSE_MIX_COEF_GRAD_KERNEL_NAME, SPARSE_MIX_KERNEL_NAME, type SparseMixAttrs } from '../src/kernel-names';
import { compileSpectralTerms } from '../src/ops/spectral-terms';
import { sparseMixAttrs } from '../src/ops/sparse-mix';
import { transposedMixAttrs } from '../src/gradients/sparse-mix-gradient';
import { registerSshKernelsOnWasm } from '../src/kernels/register-wasm';
import { SshShapeError } from '../src/errors';
import { cpuViewOfWasm, type WasmBackendLike } from '../src/kernels/host/host-view';
import { dhtHost } from '../src/kernels/host/dht-host';
import { sparseMixCoefGradHost, sparseMixHost } from '../src/kernels/host/sparse-mix-host';
import { randomArray, randomPositions, referenceDhtRows, relativeError, useBackendNamed, useCpu } from './helpers';

beforeAll(async () => {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await useCpu();
  await useBackendNamed('wasm');
  registerSshKernelsOnWasm();
});

/** out[t, scatter_j] += weight_j · c[coefIndex_j] · x[t, gather_j], one term at a time, float64. */
function referenceMix(x: Float32Array, tokens: number, inDim: number, c: Float32Array, a: SparseMixAttrs): Float64Array {
  const out = new Float64Array(tokens * a.outSize);
  for (let t = 0; t < tokens; t++) {
    for (let j = 0; j < a.gather.length; j++) {
      const w = (a.weight === null ? 1 : a.weight[j]) * c[a.coefIndex === null ? j : a.coefIndex[j]];
      out[t * a.outSize + a.scatter[j]] += w * x[t * inDim + a.gather[j]];
    }
  }
  return out;
}

/** g[coefIndex_j] += weight_j · Σ_t x[t, gather_j] · dy[t, scatter_j], float64. */
function referenceCoefGrad(x: Float32Array, inDim: number, dy: Float32Array, outDim: number, tokens: number, a: SparseMixAttrs, count: number): Float64Array {
  const g = new Float64Array(count);
  for (let j = 0; j < a.gather.length; j++) {
    let sum = 0;
    for (let t = 0; t < tokens; t++) sum += x[t * inDim + a.gather[j]] * dy[t * outDim + a.scatter[j]];
    g[a.coefIndex === null ? j : a.coefIndex[j]] += (a.weight === null ? 1 : a.weight[j]) * sum;
  }
  return g;
}

function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: object): Float32Array {
  return tf.tidy(() => Float32Array.from((tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync()));
}

const mixCases = fc.record({
  rows: fc.integer({ min: 1, max: 23 }),
  cols: fc.integer({ min: 1, max: 23 }),
  // 0 tokens, fewer than a block, and remainders after blocks of 4 and 8.
  tokens: fc.integer({ min: 0, max: 19 }),
  variant: fc.constantFrom('separable' as const, 'true' as const),
  share: fc.double({ min: 0.05, max: 1, noNaN: true }),
  seed: fc.integer({ min: 1, max: 1e6 }),
  backend: fc.constantFrom('cpu' as const, 'wasm' as const),
});

describe('host sparse-mix kernels (cpu and wasm)', () => {
  it('SshSparseMix and its transpose equal the term-by-term float64 loop', async () => {
    await fc.assert(
      fc.asyncProperty(mixCases, async ({ rows, cols, tokens, variant, share, seed, backend }) => {
        await useBackendNamed(backend);
        const n = Math.max(1, Math.floor(rows * cols * share));
        const terms = compileSpectralTerms(randomPositions(rows * cols, n, seed), rows, cols, variant);
        const c = randomArray(n, seed + 1);
        const forward = sparseMixAttrs(terms);
        const x = randomArray(tokens * rows, seed + 2);
        const got = runKernel(SPARSE_MIX_KERNEL_NAME, { x: tf.tensor2d(x, [tokens, rows]), c: tf.tensor1d(c) }, forward);
        expect(got.length).toBe(tokens * cols);
        expect(relativeError(got, referenceMix(x, tokens, rows, c, forward))).toBeLessThan(1e-6);
        // ∂L/∂x: the same kernel with gather and scatter swapped (reads dy of width cols).
        const back = transposedMixAttrs(forward, rows);
        const dy = randomArray(tokens * cols, seed + 3);
        const gotBack = runKernel(SPARSE_MIX_KERNEL_NAME, { x: tf.tensor2d(dy, [tokens, cols]), c: tf.tensor1d(c) }, back);
        expect(relativeError(gotBack, referenceMix(dy, tokens, cols, c, back))).toBeLessThan(1e-6);
      }),
      { numRuns: 60 },
    );
  });

  it('SshSparseMixCoefGrad equals the float64 sum over tokens per term', async () => {
    await fc.assert(
      fc.asyncProperty(mixCases, async ({ rows, cols, tokens, variant, share, seed, backend }) => {
        await useBackendNamed(backend);
        const n = Math.max(1, Math.floor(rows * cols * share));
        const terms = compileSpectralTerms(randomPositions(rows * cols, n, seed), rows, cols, variant);
        const attrs: SparseMixAttrs = { ...sparseMixAttrs(terms), outSize: n };
        const x = randomArray(tokens * rows, seed + 2);
        const dy = randomArray(tokens * cols, seed + 3);
        const got = runKernel(SPARSE_MIX_COEF_GRAD_KERNEL_NAME, { x: tf.tensor2d(x, [tokens, rows]), dy: tf.tensor2d(dy, [tokens, cols]) }, attrs);
        expect(got.length).toBe(n);
        expect(relativeError(got, referenceCoefGrad(x, rows, dy, cols, tokens, attrs, n))).toBeLessThan(1e-6);
      }),
      { numRuns: 60 },
    );
  });

  it('is the same on cpu and wasm for a 768→3072 layer slice (blocks full and partial)', async () => {
    const [rows, cols, tokens, n] = [768, 3072, 13, 300];
    // Distinct positions without sorting all rows·cols of them.
    const picked = new Set<number>();
    for (let i = 0; picked.size < n; i++) picked.add(Math.floor(((randomArray(1, 100 + i)[0] + 1) / 2) * rows * cols) % (rows * cols));
    const terms = compileSpectralTerms(Uint32Array.from(picked), rows, cols, 'separable');
    const attrs = sparseMixAttrs(terms);
    const x = randomArray(tokens * rows, 8);
    const c = randomArray(n, 9);
    const results: Float32Array[] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackendNamed(backend);
      results.push(runKernel(SPARSE_MIX_KERNEL_NAME, { x: tf.tensor2d(x, [tokens, rows]), c: tf.tensor1d(c) }, attrs));
    }
    let differing = 0;
    for (let i = 0; i < results[0].length; i++) if (results[1][i] !== results[0][i]) differing++;
    expect(differing, 'elements where wasm differs from cpu').toBe(0);
    expect(relativeError(results[0], referenceMix(x, tokens, rows, c, attrs))).toBeLessThan(1e-6);
  });

  it('names the term that reads or writes outside the tensors', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackendNamed(backend);
      const bad: SparseMixAttrs = { gather: Int32Array.from([0, 5]), scatter: Int32Array.from([1, 0]), coefIndex: null, weight: null, outSize: 3 };
      const x = tf.zeros([2, 4]);
      expect(() => tf.engine().runKernel(SPARSE_MIX_KERNEL_NAME, { x, c: tf.ones([2]) }, bad as never)).toThrow(SshShapeError);
      expect(() => tf.engine().runKernel(SPARSE_MIX_KERNEL_NAME, { x, c: tf.ones([2]) }, bad as never)).toThrow(/gather\[1\] = 5 is outside \[0, 4\)/);
      const badCoef: SparseMixAttrs = { gather: Int32Array.from([0, 1]), scatter: Int32Array.from([1, 0]), coefIndex: Int32Array.from([0, 2]), weight: null, outSize: 3 };
      expect(() => tf.engine().runKernel(SPARSE_MIX_KERNEL_NAME, { x, c: tf.ones([2]) }, badCoef as never)).toThrow(/coefIndex = 2 is outside \[0, 2\)/);
      expect(() => tf.engine().runKernel(SPARSE_MIX_COEF_GRAD_KERNEL_NAME, { x, dy: tf.zeros([2, 3]) }, { ...badCoef, outSize: 2 } as never)).toThrow(
        /coefIndex = 2 is outside \[0, 2\)/,
      );
      tf.dispose(x);
    }
  });
});

/**
 * A stand-in for tfjs-backend-wasm's heap that grows on every allocation the way wasm
 * memory does: a new buffer, the old one detached (views of it read as empty). A host
 * kernel that read an input view before allocating its output would see zeros/undefined.
 */
class GrowingHeap implements WasmBackendLike {
  heap = new ArrayBuffer(0);
  readonly dataIdMap = new Map<object, { shape: number[]; dtype: tf.DataType; offset: number }>();
  allocations = 0;

  makeOutput(shape: number[], dtype: tf.DataType, _memoryOffset?: number, values?: tf.TypedArray): tf.TensorInfo {
    const size = shape.reduce((a, b) => a * b, 1);
    const offset = this.heap.byteLength;
    const grown = new ArrayBuffer(offset + 4 * size + 64);
    new Uint8Array(grown).set(new Uint8Array(this.heap));
    structuredClone(this.heap, { transfer: [this.heap] }); // detaches the old buffer, as memory.grow does
    this.heap = grown;
    const dataId = {};
    this.dataIdMap.set(dataId, { shape, dtype, offset });
    const view = new Float32Array(this.heap, offset, size);
    // Garbage, not zeros: wasm's malloc does not clear memory.
    view.fill(Number.NaN);
    if (values !== undefined) view.set(values);
    this.allocations++;
    return { dataId, shape, dtype };
  }

  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray {
    const entry = this.dataIdMap.get(info.dataId) as { offset: number };
    return new Float32Array(this.heap, entry.offset, info.shape.reduce((a, b) => a * b, 1));
  }

  read(info: tf.TensorInfo): Float32Array {
    return Float32Array.from(this.typedArrayFromHeap(info) as Float32Array);
  }
}

describe('host kernels on a wasm heap view', () => {
  it('reserve the output before reading inputs, write every element, and stay right when the heap grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 1e6 }), (rows, cols, tokens, seed) => {
        const heap = new GrowingHeap();
        const view = cpuViewOfWasm(heap);
        const x = randomArray(tokens * rows, seed);
        const xInfo = heap.makeOutput([tokens, rows], 'float32', undefined, x);
        const dht = dhtHost({ inputs: { x: xInfo }, backend: view as never, attrs: { scale: 0.5 } }) as tf.TensorInfo;
        expect(relativeError(heap.read(dht), referenceDhtRows(x, rows, 0.5))).toBeLessThan(1e-5);

        const n = Math.max(1, Math.floor((rows * cols) / 4));
        const terms = compileSpectralTerms(randomPositions(rows * cols, n, seed + 1), rows, cols, 'true');
        const c = randomArray(n, seed + 2);
        const cInfo = heap.makeOutput([n], 'float32', undefined, c);
        const attrs = sparseMixAttrs(terms);
        const mix = sparseMixHost({ inputs: { x: xInfo, c: cInfo }, backend: view as never, attrs: attrs as never }) as tf.TensorInfo;
        expect(relativeError(heap.read(mix), referenceMix(x, tokens, rows, c, attrs))).toBeLessThan(1e-6);

        const dy = randomArray(tokens * cols, seed + 3);
        const dyInfo = heap.makeOutput([tokens, cols], 'float32', undefined, dy);
        const coefAttrs = { ...attrs, outSize: n };
        const g = sparseMixCoefGradHost({ inputs: { x: xInfo, dy: dyInfo }, backend: view as never, attrs: coefAttrs as never }) as tf.TensorInfo;
        expect(relativeError(heap.read(g), referenceCoefGrad(x, rows, dy, cols, tokens, coefAttrs, n))).toBeLessThan(1e-6);
        expect(heap.allocations).toBe(6);
      }),
      { numRuns: 40 },
    );
  });
});
