/**
 * Code bundled (esbuild) into the test/bench page that headless Chromium loads.
 * Exposes `window.sshHarness`: functions taking and returning plain JSON so that the
 * Node side (vitest, bench) drives them through `page.evaluate`. Every comparison is
 * computed in the page: the same inputs run on the `cpu` backend and on the GPU
 * backend under test.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients (the union package and tfjs-layers import this).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
// Imported by module rather than through the package index so the harness depends only
// on the op code it tests (the index also pulls in models, adapters and file I/O).
import { DHT_KERNEL_NAME, dhtLastAxis } from '../../../src/ops/dht';
import { sshLinear, type SshLayerState } from '../../../src/ops/ssh-linear';
import { compileSpectralTerms } from '../../../src/ops/spectral-terms';
import { registerGpuKernels } from '../../../src/gpu';
import type { GpuBackendName, HarnessApi } from './harness-api';
import { benchDhtOp, dhtWithPlan, gpuPlan } from './page-bench';
import { composedMixParity, sparseMixParity } from './page-mix';
import { trainModel } from './page-training';
import { seededValues } from './seeded-values';

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    // NaN must fail the comparison, not vanish in Math.max.
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

async function onBackend<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
  return fn();
}

/** Makes x on the active backend in one of the layouts a real graph hands the kernel. */
function makeInput(shape: number[], values: Float32Array, layout: 'upload' | 'packed' | 'slice'): tf.Tensor {
  if (layout === 'upload') return tf.tensor(values, shape, 'float32');
  const n = shape[shape.length - 1];
  const rows = values.length / n;
  if (layout === 'packed') {
    // A matMul output is a packed texture on webgl: the kernel must unpack/reshape it correctly.
    return tf.tidy(() => tf.reshape(tf.matMul(tf.tensor2d(values, [rows, n]), tf.eye(n)), shape));
  }
  // A shallow slice (offset view into a larger texture/buffer) of a wider tensor.
  return tf.tidy(() => {
    const wide = tf.concat([tf.zeros([rows, 3]), tf.tensor2d(values, [rows, n]), tf.ones([rows, 2])], 1);
    return tf.reshape(tf.slice(wide, [0, 3], [rows, n]), shape);
  });
}

/** The renderer string a WebGL2 context reports (the unmasked one where the extension exists). */
function webglRenderer(): string {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (gl === null) return 'none';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info === null ? gl.RENDERER : info.UNMASKED_RENDERER_WEBGL));
}

const harness: HarnessApi = {
  async init() {
    registerGpuKernels();
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string } } | null> } }).gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    const backends: Record<string, boolean> = {};
    for (const name of ['cpu', 'webgl', 'webgpu']) {
      try {
        backends[name] = await tf.setBackend(name);
      } catch {
        backends[name] = false;
      }
    }
    await tf.setBackend('webgl');
    return {
      webgpuAdapter: adapter !== null,
      webgpuAdapterInfo: adapter?.info ? `${adapter.info.vendor ?? '?'} / ${adapter.info.architecture ?? '?'}` : 'none',
      webglVersion: tf.env().getNumber('WEBGL_VERSION'),
      webglRenderer: webglRenderer(),
      webglFloat32Render: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
      backends,
    };
  },

  async dhtParity({ backend, shape, scale, seed, layout }) {
    const values = seededValues(seed, shape.reduce((a, b) => a * b, 1));
    const want = await onBackend('cpu', async () => {
      const x = tf.tensor(values, shape, 'float32');
      const y = dhtLastAxis(x, scale);
      const data = (await y.data()) as Float32Array;
      tf.dispose([x, y]);
      return data;
    });
    return onBackend(backend, async () => {
      const x = makeInput(shape, values, layout);
      const before = tf.memory().numTensors;
      const y = dhtLastAxis(x, scale);
      const got = (await y.data()) as Float32Array;
      const sameShape = y.shape.length === shape.length && y.shape.every((d, i) => d === shape[i]);
      y.dispose();
      const leakedTensors = tf.memory().numTensors - before;
      // Second call after warm-up: backend data must return to the same count (tables are cached once per length).
      const dataIdsBefore = tf.engine().backend.numDataIds();
      tf.dispose(dhtLastAxis(x, scale));
      const leakedDataIds = tf.engine().backend.numDataIds() - dataIdsBefore;
      x.dispose();
      return { maxAbsDiff: maxAbsDiff(got, want), maxAbsRef: maxAbs(want), sameShape, leakedTensors, leakedDataIds, kernelBackend: tf.getBackend() };
    });
  },

  async dhtGradParity({ backend, shape, scale, seed }) {
    const size = shape.reduce((a, b) => a * b, 1);
    const xv = seededValues(seed, size);
    const wv = seededValues(seed ^ 0x5bd1e995, size);
    const grad = async (): Promise<Float32Array> => {
      const x = tf.tensor(xv, shape, 'float32');
      const w = tf.tensor(wv, shape, 'float32');
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(dhtLastAxis(t, scale), w)))(x);
      const data = (await g.data()) as Float32Array;
      tf.dispose([x, w, g]);
      return data;
    };
    const want = await onBackend('cpu', grad);
    const got = await onBackend(backend, grad);
    return { maxAbsDiff: maxAbsDiff(got, want), maxAbsRef: maxAbs(want) };
  },

  async dhtMatMulParity({ backend, rows, n, seed }) {
    const xv = seededValues(seed, rows * n);
    const wv = seededValues(seed + 1, n * 3);
    const vv = seededValues(seed + 2, rows * 3);
    const run = async () => {
      const x = tf.tensor2d(xv, [rows, n]);
      const w = tf.tensor2d(wv, [n, 3]);
      const v = tf.tensor2d(vv, [rows, 3]);
      const h = dhtLastAxis(x);
      const right = tf.matMul(h, w);
      const left = tf.matMul(v, h, true, false);
      const out = { right: (await right.data()) as Float32Array, left: (await left.data()) as Float32Array };
      tf.dispose([x, w, v, h, right, left]);
      return out;
    };
    const want = await onBackend('cpu', run);
    const got = await onBackend(backend, run);
    return {
      right: { maxAbsDiff: maxAbsDiff(got.right, want.right), maxAbsRef: maxAbs(want.right) },
      left: { maxAbsDiff: maxAbsDiff(got.left, want.left), maxAbsRef: maxAbs(want.left) },
    };
  },

  async dhtPlanParity({ backend, shape, seed, bluesteinMinPrime, webglLayout }) {
    const values = seededValues(seed, shape[0] * shape[1]);
    const want = await onBackend('cpu', async () => {
      const x = tf.tensor2d(values, shape);
      const y = dhtLastAxis(x);
      const data = (await y.data()) as Float32Array;
      tf.dispose([x, y]);
      return data;
    });
    return onBackend(backend, async () => {
      const plan = gpuPlan(backend, shape[1], { bluesteinMinPrime });
      const x = tf.tensor2d(values, shape);
      const y = dhtWithPlan(backend, x, plan, webglLayout);
      const got = (await y.data()) as Float32Array;
      y.dispose();
      // Second run after warm-up: every intermediate is released, tables are cached.
      const dataIdsBefore = tf.engine().backend.numDataIds();
      tf.dispose(dhtWithPlan(backend, x, plan, webglLayout));
      const leakedDataIds = tf.engine().backend.numDataIds() - dataIdsBefore;
      x.dispose();
      return {
        maxAbsDiff: maxAbsDiff(got, want),
        maxAbsRef: maxAbs(want),
        bluesteinLength: plan.bluestein?.length ?? 1,
        convLength: plan.bluestein?.convLength ?? 0,
        passes: plan.passes.length,
        leakedDataIds,
      };
    });
  },

  async sshLinearParity({ backend, tokens, rows, cols, count, variant, path, seed }) {
    // Distinct positions from a seeded shuffle (enough for a parity check).
    const order = Array.from({ length: rows * cols }, (_, i) => i);
    const r = seededValues(seed ^ 0x27d4eb2d, order.length);
    order.sort((a, b) => r[a] - r[b]);
    const indices = Uint32Array.from(order.slice(0, count)).sort();
    const xv = seededValues(seed, tokens * rows);
    const wv = seededValues(seed + 1, rows * cols);
    const cv = seededValues(seed + 2, count);
    const gv = seededValues(seed + 3, tokens * cols);
    const run = async () => {
      const terms = compileSpectralTerms(indices, rows, cols, variant);
      const x = tf.tensor2d(xv, [tokens, rows]);
      const w0 = tf.tensor2d(wv, [rows, cols]);
      const c = tf.tensor1d(cv);
      const g = tf.tensor2d(gv, [tokens, cols]);
      const before = tf.memory().numTensors;
      const f = (xx: tf.Tensor, cc: tf.Tensor) => {
        const state: SshLayerState = { terms, coefficients: cc, alpha: 3, normalization: 'backward' };
        return tf.sum(tf.mul(sshLinear(xx, w0, state, { path }), g));
      };
      const y = sshLinear(x, w0, { terms, coefficients: c, alpha: 3, normalization: 'backward' }, { path });
      const [dx, dc] = tf.grads(f)([x, c]);
      const out = { y: (await y.data()) as Float32Array, dx: (await dx.data()) as Float32Array, dc: (await dc.data()) as Float32Array };
      tf.dispose([y, dx, dc]);
      const leaked = tf.memory().numTensors - before;
      tf.dispose([x, w0, c, g]);
      return { ...out, leaked };
    };
    const want = await onBackend('cpu', run);
    const got = await onBackend(backend, run);
    return {
      y: { maxAbsDiff: maxAbsDiff(got.y, want.y), maxAbsRef: maxAbs(want.y) },
      dx: { maxAbsDiff: maxAbsDiff(got.dx, want.dx), maxAbsRef: maxAbs(want.dx) },
      dc: { maxAbsDiff: maxAbsDiff(got.dc, want.dc), maxAbsRef: maxAbs(want.dc) },
      leakedTensors: got.leaked,
    };
  },

  sparseMixParity,
  composedMixParity,
  trainModel,

  async docExample(backend) {
    // Exactly the TSDoc example of src/gpu.ts (registerGpuKernels ran in init()).
    await tf.setBackend(backend);
    const h = dhtLastAxis(tf.tensor2d([[1, 2, 3, 4]]));
    const values = Array.from(await h.data());
    h.dispose();
    return { values, backend: tf.getBackend() };
  },

  async kernelRejectsInt32(backend) {
    return onBackend(backend, async () => {
      const x = tf.tensor2d([[1, 2, 3]], [1, 3], 'int32');
      try {
        tf.dispose(tf.engine().runKernel(DHT_KERNEL_NAME, { x }, { scale: 1 }) as tf.Tensor);
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      } finally {
        x.dispose();
      }
    });
  },

  async benchDhtOp(args) {
    return onBackend(args.backend, () => benchDhtOp(args));
  },
};

/**
 * Publishes the harness as window.sshHarness. Called below for the test page and
 * explicitly by the bench page (test modules are not in the package's `sideEffects`, so a bare
 * import of this module would be dropped by the bundler).
 */
export function installHarness(): void {
  (window as unknown as { sshHarness: HarnessApi }).sshHarness = harness;
}

installHarness();
export type { GpuBackendName };
