/**
 * webgpu-backend kernel of the DHT op (`SshDhtLastAxis`): the mixed-radix Hartley
 * passes of ../gpu-common/hartley-pass-plan.ts as compute shaders, each writing a new
 * storage buffer that the next pass reads, all queued on the GPU without readback.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { DHT_KERNEL_NAME, type DhtLastAxisAttrs, type DhtLastAxisInputs } from '../../kernel-names';
import { twiddleTable, type HartleyPassPlan } from '../gpu-common/hartley-pass-plan';
import { planGpuDht, type GpuDhtPlan } from '../gpu-common/bluestein-stage';
import { dhtInputDims } from '../gpu-common/dht-inputs';
import { clearWebGPUBluesteinTables, runWebGPUBluestein } from './bluestein-webgpu';
import { BackendTableCache, type TableBackend } from '../gpu-common/backend-table-cache';
import { createWebGPUPassProgram } from './hartley-pass-programs';
import type { WebGPUProgramRunner } from './webgpu-program';

/**
 * Lengths up to this use one direct O(N²) pass on webgpu; longer ones the mixed-radix
 * passes. Chosen from `bench/browser` (see docs/benchmarks/tfjs.md).
 */
export const WEBGPU_DIRECT_MAX_LENGTH = 16;

/** Radix preference on webgpu: a radix-8 butterfly shares 16 reads among 8 outputs (measured fastest, see docs/benchmarks/tfjs.md). */
export const WEBGPU_RADICES: readonly number[] = [8, 4, 2, 3, 5, 7];

/**
 * Prime factors of N from this value up go through the Bluestein stage
 * (../gpu-common/bluestein-stage.ts), smaller ones are radix-p passes, so every length is
 * O(N log N) with a constant of at most ~4·(M/Q)·log M. Measured in `bench/browser`
 * (SwiftShader, noisy shared machine): at p = 43 (N = 11008) the stage and a radix-43
 * pass are within the run-to-run noise of each other, from p ≈ 100 up the stage wins
 * (p = 257: 4–6×, prime N = 4099: 3–48×); see docs/benchmarks/tfjs.md.
 */
export const WEBGPU_BLUESTEIN_MIN_PRIME = 11;

/** The WebGPUBackend members this kernel uses. */
interface WebGPUBackendLike extends TableBackend, WebGPUProgramRunner {}

const twiddles = new BackendTableCache((n) => ({ shape: [2 * n], values: twiddleTable(n) }));
const plans = new Map<number, GpuDhtPlan>();

function planFor(n: number): GpuDhtPlan {
  let plan = plans.get(n);
  if (plan === undefined) {
    plan = planGpuDht(n, { directMaxLength: WEBGPU_DIRECT_MAX_LENGTH, radices: WEBGPU_RADICES, bluesteinMinPrime: WEBGPU_BLUESTEIN_MIN_PRIME });
    if (plans.size >= 64) plans.clear();
    plans.set(n, plan);
  }
  return plan;
}

/**
 * Runs the DHT of every row of `x2d` ([rows, N], float32) times `scale`; returns a new
 * [rows, N]. `plan` defaults to the backend's schedule (the bench passes others to
 * measure the direct-pass threshold).
 */
export function runWebGPUHartley(
  backend: WebGPUBackendLike,
  x2d: TensorInfo,
  scale: number,
  plan: HartleyPassPlan & { bluestein?: GpuDhtPlan['bluestein'] } = planFor(x2d.shape[1]),
): TensorInfo {
  const [rows, n] = x2d.shape;
  let current = x2d;
  const last = plan.passes.length - 1;
  if (plan.bluestein) {
    current = runWebGPUBluestein(backend, x2d, plan.bluestein, last < 0 ? scale : 1, (input, convPlan) => runWebGPUHartley(backend, input, 1, convPlan));
    if (last < 0) return current;
  }
  const table = twiddles.get(backend, n);
  plan.passes.forEach((pass, i) => {
    const program = createWebGPUPassProgram(rows, n, pass);
    const inputs = program.variableNames.length === 2 ? [current, table] : [current];
    const next = backend.runWebGPUProgram(program, inputs, 'float32', [{ type: 'float32', data: [i === last ? scale : 1] }]);
    // Released after the queued command buffer is submitted (the backend defers it).
    if (current !== x2d) backend.disposeData(current.dataId);
    current = next;
  });
  return current;
}

const dhtWebGPU: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as unknown as DhtLastAxisInputs;
  const { scale } = attrs as unknown as DhtLastAxisAttrs;
  const webgpu = backend as unknown as WebGPUBackendLike;
  const { n, size } = dhtInputDims(x, 'webgpu');
  if (size === 0) return webgpu.makeTensorInfo(x.shape.slice(), 'float32', new Float32Array(0));
  // A storage buffer is flat: viewing x as [rows, N] needs no copy (what webgpu's Reshape does).
  const x2d: TensorInfo = { dataId: x.dataId, shape: [size / n, n], dtype: 'float32' };
  const out2d = runWebGPUHartley(webgpu, x2d, scale);
  return { dataId: out2d.dataId, shape: x.shape.slice(), dtype: 'float32' };
};

/** Kernel registration record for the `webgpu` backend. */
export const dhtWebGPUKernelConfig: KernelConfig = {
  kernelName: DHT_KERNEL_NAME,
  backendName: 'webgpu',
  kernelFunc: dhtWebGPU,
};

/** Releases the twiddle tables held for a webgpu backend instance. */
export function clearWebGPUDhtTables(backend: object): void {
  twiddles.clear(backend as TableBackend);
  clearWebGPUBluesteinTables(backend);
}
