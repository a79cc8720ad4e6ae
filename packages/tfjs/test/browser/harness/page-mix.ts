/**
 * Page-side parity checks of the sparse mix (bundled with page-entry.ts): the kernels on
 * random terms, and the composed stock-op route, each against the cpu kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { composedMix, sparseMix, sparseMixAttrs } from '../../../src/ops/sparse-mix';
import { compileSpectralTerms, type SpectralTerms } from '../../../src/ops/spectral-terms';
import { createSparseMixWebGLKernelConfigs } from '../../../src/kernels/webgl/sparse-mix-webgl';
import type { Diff, SparseMixParityArgs, SshLinearParityArgs } from './harness-api';
import { seededValues } from './seeded-values';

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    // NaN must fail the comparison, not vanish in Math.max.
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

export const diff = (got: ArrayLike<number>, want: ArrayLike<number>): Diff => ({ maxAbsDiff: maxAbsDiff(got, want), maxAbsRef: maxAbs(want) });

export async function onBackend<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
  return fn();
}

const seededInts = (seed: number, length: number, limit: number) => Int32Array.from(seededValues(seed, length), (v) => Math.min(limit - 1, Math.floor(((v + 1) / 2) * limit)));

/** Random terms with repeated columns on both sides (what the kernels must group). */
function randomTerms({ inDim, outSize, count, termsPerCoefficient: r, seed }: SparseMixParityArgs): SpectralTerms {
  const m = count * r;
  const grouped = r > 1;
  return {
    rows: inDim,
    cols: outSize,
    count,
    gatherIndex: seededInts(seed ^ 0x1111, m, inDim),
    scatterIndex: seededInts(seed ^ 0x2222, m, outSize),
    coefficientIndex: grouped ? Int32Array.from({ length: m }, (_, j) => Math.floor(j / r)) : null,
    termWeight: grouped ? Float32Array.from(seededValues(seed ^ 0x3333, m)) : null,
    flatIndex: new Int32Array(m),
  };
}

interface MixResult {
  y: Float32Array;
  dx: Float32Array;
  dc: Float32Array;
  /** matMul(y, B) and matMul(yᵀ, G) concatenated: packed matMuls whose shared dimension runs over y's padding lanes. */
  yConsumers: Float32Array;
  dxConsumers: Float32Array;
  leaked: number;
}

/**
 * y·B ([T, 3]) and yᵀ·G ([V, 3]) through tf.matMul: on webgl a packed matMul multiplies the
 * padding lanes of a packed y (odd V, odd T) by the zero padding of the other operand, so
 * anything but 0 (or a finite value) there changes the result.
 */
function consumers(y: tf.Tensor2D, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const [t, v] = y.shape;
    const b = tf.tensor2d(seededValues(seed, v * 3), [v, 3]);
    const g = tf.tensor2d(seededValues(seed + 1, t * 3), [t, 3]);
    return tf.concat([tf.reshape(tf.matMul(y, b), [-1]), tf.reshape(tf.matMul(y, g, true, false), [-1])]);
  });
}

/**
 * Leaves freed packed textures of `shape` whose padding lanes hold NaN in the backend's
 * texture pool, so that a program writing into a recycled texture without clearing its
 * padding is caught by {@link consumers}. (A packed matMul of NaN operands computes its
 * padding lanes too: 0 padding of one operand times NaN of the other.)
 */
function poisonTexturePool(shape: [number, number]): void {
  const [rows, cols] = shape;
  tf.dispose(tf.tidy(() => [0, 1, 2].map(() => tf.matMul(tf.fill([rows, 2], NaN), tf.fill([2, cols], NaN)))));
}

async function mixAndGrads(
  mix: (x: tf.Tensor2D, c: tf.Tensor) => tf.Tensor2D,
  xv: Float32Array,
  cv: Float32Array,
  gv: Float32Array,
  tokens: number,
  inDim: number,
  outSize: number,
): Promise<MixResult> {
  const x = tf.tensor2d(xv, [tokens, inDim]);
  const c = tf.tensor1d(cv);
  const g = tf.tensor2d(gv, [tokens, outSize]);
  const before = tf.memory().numTensors;
  poisonTexturePool([tokens, outSize]);
  poisonTexturePool([tokens, inDim]);
  const y = mix(x, c);
  const [dx, dc] = tf.grads((xx: tf.Tensor, cc: tf.Tensor) => tf.sum(tf.mul(mix(xx as tf.Tensor2D, cc), g)))([x, c]);
  const yc = consumers(y, 11);
  const dxc = consumers(dx as tf.Tensor2D, 13);
  const out = {
    y: (await y.data()) as Float32Array,
    dx: (await dx.data()) as Float32Array,
    dc: (await dc.data()) as Float32Array,
    yConsumers: (await yc.data()) as Float32Array,
    dxConsumers: (await dxc.data()) as Float32Array,
  };
  tf.dispose([y, dx, dc, yc, dxc]);
  const leaked = tf.memory().numTensors - before;
  tf.dispose([x, c, g]);
  return { ...out, leaked };
}

export async function sparseMixParity(args: SparseMixParityArgs) {
  const { backend, tokens, inDim, outSize, count, seed } = args;
  const terms = randomTerms(args);
  const xv = seededValues(seed, tokens * inDim);
  const cv = seededValues(seed + 1, count);
  const gv = seededValues(seed + 2, tokens * outSize);
  const run = () => mixAndGrads((x, c) => sparseMix(x, c, terms), xv, cv, gv, tokens, inDim, outSize);
  const want = await onBackend('cpu', run);
  const got = await onBackend(backend, () => (backend === 'webgl' && args.webglMixLayout ? withWebGLMixLayout(args.webglMixLayout, run) : run()));
  return {
    y: diff(got.y, want.y),
    dx: diff(got.dx, want.dx),
    dc: diff(got.dc, want.dc),
    yConsumers: diff(got.yConsumers, want.yConsumers),
    dxConsumers: diff(got.dxConsumers, want.dxConsumers),
    leakedTensors: got.leaked,
    kernelBackend: tf.getBackend(),
  };
}

/** Runs `fn` with the webgl sparse-mix kernels of `layout` registered, then restores the registered ones. */
async function withWebGLMixLayout<T>(layout: 'gather' | 'packed', fn: () => Promise<T>): Promise<T> {
  const configs = createSparseMixWebGLKernelConfigs(layout);
  const registered = configs.map((k) => tf.getKernel(k.kernelName, 'webgl'));
  for (const k of configs) {
    tf.unregisterKernel(k.kernelName, 'webgl');
    tf.registerKernel(k);
  }
  try {
    return await fn();
  } finally {
    for (const [i, k] of configs.entries()) {
      tf.unregisterKernel(k.kernelName, 'webgl');
      const previous = registered[i];
      if (previous !== undefined) tf.registerKernel(previous);
    }
  }
}

/** Positions, inputs and cotangent of sshLinearParity (same seeds), for the mix alone. */
export async function composedMixParity({ backend, tokens, rows, cols, count, variant, seed }: SshLinearParityArgs) {
  const order = Array.from({ length: rows * cols }, (_, i) => i);
  const r = seededValues(seed ^ 0x27d4eb2d, order.length);
  order.sort((a, b) => r[a] - r[b]);
  const terms = compileSpectralTerms(Uint32Array.from(order.slice(0, count)).sort(), rows, cols, variant);
  const xv = seededValues(seed, tokens * rows);
  const cv = seededValues(seed + 2, count);
  const gv = seededValues(seed + 3, tokens * cols);
  const want = await onBackend('cpu', () => mixAndGrads((x, c) => sparseMix(x, c, terms), xv, cv, gv, tokens, rows, cols));
  const got = await onBackend(backend, () => mixAndGrads((x, c) => composedMix(x, c, sparseMixAttrs(terms)), xv, cv, gv, tokens, rows, cols));
  return { y: diff(got.y, want.y), dx: diff(got.dx, want.dx), dc: diff(got.dc, want.dc) };
}
