/**
 * webgl-backend kernel of the DHT op (`SshDhtLastAxis`): the mixed-radix Hartley
 * passes of ../gpu-common/hartley-pass-plan.ts, each a WebGL program writing a new texture that the
 * next pass reads (ping-pong through tfjs's texture manager), all on the GPU.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { DHT_KERNEL_NAME, type DhtLastAxisAttrs, type DhtLastAxisInputs } from '../../kernel-names';
import { SshTfjsError } from '../../errors';
import { twiddleTable, type HartleyPassPlan } from '../gpu-common/hartley-pass-plan';
import { planGpuDht, type GpuDhtPlan } from '../gpu-common/bluestein-stage';
import { dhtInputDims } from '../gpu-common/dht-inputs';
import { clearWebGLBluesteinTables, runWebGLBluestein } from './bluestein-webgl';
import { createWebGLPassProgram, type WebGLPassLayout, type WebGLPassProgram } from './hartley-pass-program';
import { createMirroredPassProgram, mirroredRole, supportsMirroredSchedule } from './mirrored-pass-program';
import { BackendTableCache, type TableBackend } from '../gpu-common/backend-table-cache';

/**
 * Lengths up to this use one direct O(N²) pass on webgl; longer ones the mixed-radix
 * passes. Chosen from `bench/browser` (direct vs passes, SwiftShader): see
 * docs/benchmarks/tfjs.md.
 */
export const WEBGL_DIRECT_MAX_LENGTH = 16;

/** Radix preference on webgl: radix 4 halves the passes of radix 2 at similar reads per level. */
export const WEBGL_RADICES: readonly number[] = [4, 2, 3, 5, 7];

/**
 * Prime factors of N from this value up go through the Bluestein stage
 * (../gpu-common/bluestein-stage.ts), smaller ones are radix-p passes, so every length is
 * O(N log N) with a constant of at most ~4·(M/Q)·log M. Measured in `bench/browser`
 * (SwiftShader, x: [16, N]) with the packed passes, radix-p passes / stage: p = 11 (N = 704)
 * 0.06×, 43 (11008) 0.19×, 61 (3904) 0.41×, 127 (8128) 0.89×, 257 (16448) 1.8×,
 * 509 (8144) 3.2×; see docs/benchmarks/tfjs.md. Passes with p > 16 read every twiddle
 * power from the table (./hartley-pass-program.ts), so their error stays at the stage's.
 */
export const WEBGL_BLUESTEIN_MIN_PRIME = 100;

/**
 * Texture layout of the passes (./hartley-pass-program.ts, ./mirrored-pass-program.ts):
 * `mirrored` keeps the buffers between passes in mirrored pairs (one fetch per term for a
 * 2×2 texel; schedules it cannot run — odd N, one direct pass, the Bluestein stage — run the
 * `packed` passes); `packed` computes a 2×2 block of outputs per fragment in natural order
 * (3 fetches per term); `gather` (one output per fragment) is the unpacked program. The
 * other two are kept as the measured peers in `bench/browser` and as second
 * implementations in the tests.
 */
export const WEBGL_PASS_LAYOUT: WebGLPassLayout = 'mirrored';

/** The MathBackendWebGL members this kernel uses. */
interface WebGLBackendLike extends TableBackend {
  runWebGLProgram(program: WebGLPassProgram, inputs: TensorInfo[], outputDtype: 'float32', customUniformValues?: number[][]): TensorInfo;
  disposeIntermediateTensorInfo(info: TensorInfo): void;
}

// One cache per layout: a table first uploaded unpacked would be re-packed on every packed pass.
const twiddles: Record<'gather' | 'packed', BackendTableCache> = {
  gather: new BackendTableCache((n) => ({ shape: [n, 2], values: twiddleTable(n) })),
  packed: new BackendTableCache((n) => ({ shape: [n, 2], values: twiddleTable(n) })),
};
const plans = new Map<number, GpuDhtPlan>();

function planFor(n: number): GpuDhtPlan {
  let plan = plans.get(n);
  if (plan === undefined) {
    plan = planGpuDht(n, { directMaxLength: WEBGL_DIRECT_MAX_LENGTH, radices: WEBGL_RADICES, bluesteinMinPrime: WEBGL_BLUESTEIN_MIN_PRIME });
    if (plans.size >= 64) plans.clear();
    plans.set(n, plan);
  }
  return plan;
}

/**
 * Runs the DHT of every row of `x2d` ([rows, N], float32) times `scale`; returns a new
 * [rows, N]. `plan` defaults to the backend's schedule and `layout` to
 * {@link WEBGL_PASS_LAYOUT} (the bench and tests pass others to compare them). The result
 * is a packed texture for the `packed` layout (tfjs unpacks it if a consumer needs that).
 */
export function runWebGLHartley(
  backend: WebGLBackendLike,
  x2d: TensorInfo,
  scale: number,
  plan: HartleyPassPlan & { bluestein?: GpuDhtPlan['bluestein'] } = planFor(x2d.shape[1]),
  layout: WebGLPassLayout = WEBGL_PASS_LAYOUT,
): TensorInfo {
  const [rows, n] = x2d.shape;
  let current = x2d;
  const last = plan.passes.length - 1;
  if (plan.bluestein) {
    current = runWebGLBluestein(backend, x2d, plan.bluestein, last < 0 ? scale : 1, (input, convPlan) => runWebGLHartley(backend, input, 1, convPlan, layout));
    if (last < 0) return current;
  }
  const table = twiddles[layout === 'gather' ? 'gather' : 'packed'].get(backend, n);
  const mirrored = layout === 'mirrored' && supportsMirroredSchedule(plan);
  plan.passes.forEach((pass, i) => {
    const program = mirrored ? createMirroredPassProgram(rows, n, pass, mirroredRole(i, plan.passes.length)) : createWebGLPassProgram(rows, n, pass, layout);
    const next = backend.runWebGLProgram(program, [current, table], 'float32', [[i === last ? scale : 1]]);
    if (current !== x2d) backend.disposeIntermediateTensorInfo(current);
    current = next;
  });
  return current;
}

/**
 * The kernel function with the passes in `layout` (the registered kernel uses
 * {@link WEBGL_PASS_LAYOUT}; the bench registers the other layout in its place to time
 * whole training steps both ways).
 */
export function createDhtWebGLKernelFunc(layout: WebGLPassLayout = WEBGL_PASS_LAYOUT): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x } = inputs as unknown as DhtLastAxisInputs;
    const { scale } = attrs as unknown as DhtLastAxisAttrs;
    const webgl = backend as unknown as WebGLBackendLike;
    const { n, size } = dhtInputDims(x, 'webgl');
    if (size === 0) return webgl.makeTensorInfo(x.shape.slice(), 'float32', new Float32Array(0));
    const reshape = tf.getKernel('Reshape', 'webgl');
    if (reshape === undefined) throw new SshTfjsError(`${DHT_KERNEL_NAME} (webgl): no 'Reshape' kernel is registered for webgl — import '@tensorflow/tfjs-backend-webgl' (not only its base)`);
    // Reshape through the backend's own kernel: it knows when a packed texture needs a copy.
    const x2d = reshape.kernelFunc({ inputs: { x } as never, backend, attrs: { shape: [size / n, n] } }) as TensorInfo;
    const out2d = runWebGLHartley(webgl, x2d, scale, planFor(n), layout);
    webgl.disposeIntermediateTensorInfo(x2d);
    if (x.shape.length === 2) return out2d;
    // A packed texture cannot always be viewed in another shape: the backend's Reshape copies when it must.
    const out = reshape.kernelFunc({ inputs: { x: out2d } as never, backend, attrs: { shape: x.shape.slice() } }) as TensorInfo;
    webgl.disposeIntermediateTensorInfo(out2d);
    return out;
  };
}

/** Kernel registration record for the `webgl` backend. */
export const dhtWebGLKernelConfig: KernelConfig = {
  kernelName: DHT_KERNEL_NAME,
  backendName: 'webgl',
  kernelFunc: createDhtWebGLKernelFunc(),
};

/** Releases the twiddle tables held for a webgl backend instance. */
export function clearWebGLDhtTables(backend: object): void {
  twiddles.gather.clear(backend as TableBackend);
  twiddles.packed.clear(backend as TableBackend);
  clearWebGLBluesteinTables(backend);
}
