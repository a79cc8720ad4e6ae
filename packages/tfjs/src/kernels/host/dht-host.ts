/**
 * Host (CPU-memory) kernel of {@link DHT_KERNEL_NAME}, shared by the cpu backend and the
 * wasm bridge: reads the backend's Float32Array directly (no dataSync round trip through
 * the engine) and transforms it row by row with a cached @ssh-peft/hartley plan straight
 * into the output's memory (on wasm: the heap, no copy of the result).
 */
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { createPlan, type HartleyPlan } from '@ssh-peft/hartley';
import type { DhtLastAxisAttrs, DhtLastAxisInputs } from '../../kernel-names';
import { hostOutput, type HostBackendView } from './host-view';

// Plans own twiddle tables; widths in a model are few (d_in, d_out), so a small cache suffices.
const plans = new Map<number, HartleyPlan>();
const MAX_CACHED_PLANS = 32;

/** The cached plan for length `n` (exported for the factored fast path and tests). */
export function hartleyPlanFor(n: number): HartleyPlan {
  let plan = plans.get(n);
  if (plan === undefined) {
    if (plans.size >= MAX_CACHED_PLANS) plans.delete(plans.keys().next().value as number);
    plan = createPlan(n);
    plans.set(n, plan);
  }
  return plan;
}

/** The DHT kernel function over any {@link HostBackendView} (cpu backend, wasm heap view). */
export const dhtHost: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as unknown as DhtLastAxisInputs;
  const { scale } = attrs as unknown as DhtLastAxisAttrs;
  const host = backend as unknown as HostBackendView;
  const n = x.shape[x.shape.length - 1];
  // Output first (on wasm it may grow the heap and detach earlier views), then the input view.
  const out = hostOutput(host, x.shape.slice());
  const src = host.data.get(x.dataId).values as Float32Array;
  const dst = out.values;
  if (dst.length > 0) {
    // Row by row from the input straight into the output: no intermediate copy of x.
    const plan = hartleyPlanFor(n);
    for (let offset = 0; offset < dst.length; offset += n) plan.transformAt(src, offset, dst, offset, scale);
  }
  return out.finish();
};
