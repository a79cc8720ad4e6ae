/**
 * cpu-backend kernel of {@link DHT_KERNEL_NAME}: reads the backend's Float32Array
 * directly (no dataSync round trip through the engine), transforms a copy of it row
 * by row with a cached @ssh-peft/hartley plan, and hands the buffer to the backend.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { createPlan, type HartleyPlan } from '@ssh-peft/hartley';
import type { DhtLastAxisAttrs } from '../../ops/dht';

const DHT_KERNEL_NAME = 'SshDhtLastAxis';

/** The two members of tfjs-backend-cpu's MathBackendCPU this kernel needs. */
interface CpuBackendLike {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

// Plans own twiddle tables; widths in a model are few (d_in, d_out), so a small cache suffices.
const plans = new Map<number, HartleyPlan>();
const MAX_CACHED_PLANS = 32;

/** The cached plan for length `n`. */
function hartleyPlanFor(n: number): HartleyPlan {
  let plan = plans.get(n);
  if (plan === undefined) {
    if (plans.size >= MAX_CACHED_PLANS) plans.delete(plans.keys().next().value as number);
    plan = createPlan(n);
    plans.set(n, plan);
  }
  return plan;
}

const dhtCpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = (inputs as unknown as { x: TensorInfo }).x;
  const { scale } = attrs as unknown as DhtLastAxisAttrs;
  const cpu = backend as unknown as CpuBackendLike;
  const n = x.shape[x.shape.length - 1];
  const out = new Float32Array(cpu.data.get(x.dataId).values as Float32Array);
  if (out.length > 0) hartleyPlanFor(n).transformRows(out, out.length / n, scale);
  return cpu.makeTensorInfo(x.shape.slice(), 'float32', out);
};

/** Kernel registration record for the `cpu` backend. */
export const dhtCpuKernelConfig: KernelConfig = {
  kernelName: DHT_KERNEL_NAME,
  backendName: 'cpu',
  kernelFunc: dhtCpu,
};
