/**
 * What the JS bridge of the wasm kernels costs (kernels/wasm/: host kernels run on a
 * view of the wasm heap, the output copied in once), for the sparse mix of a
 * 768→768 layer, n = 1000 true-2D positions (m = 4000 terms), T = 256:
 *
 * - bridged: the SshSparseMix / SshSparseMixCoefGrad kernels on wasm;
 * - host: the same kernel functions on the cpu backend (no bridge: the difference is
 *   the copy into the wasm heap);
 * - native peer: tfjs-backend-wasm's own (C++/XNNPACK) `gather` of the same m columns
 *   of x, i.e. the memory traffic of the mix without its arithmetic — a lower bound
 *   for what a native mix kernel could cost.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SPARSE_MIX_COEF_GRAD_KERNEL_NAME, SPARSE_MIX_KERNEL_NAME } from '../src/kernel-names';
import { baselines } from '../src/index';
import { compileSpectralTerms } from '../src/ops/spectral-terms';
import { sparseMixAttrs } from '../src/ops/sparse-mix';
import { nodeStepTimer } from './step-clock';
import { median } from './training-step';

export interface BridgeCost {
  mixBridgedMs: number;
  mixHostMs: number;
  coefGradBridgedMs: number;
  coefGradHostMs: number;
  nativeGatherMs: number;
}

const timer = nodeStepTimer();

function medianMs(run: () => void, repeats: number): number {
  run();
  const t: number[] = [];
  for (let i = 0; i < repeats; i++) t.push(timer.time(run).clockMs);
  return median(t);
}

/** Times the three on the current process's cpu and wasm backends (both must be registered). */
export async function measureBridgeCost(tokens = 256, d = 768, n = 1000, repeats = 9): Promise<BridgeCost> {
  const terms = compileSpectralTerms(baselines.randomPositions(d * d, n, 4), d, d, 'true');
  const attrs = sparseMixAttrs(terms);
  const coefAttrs = { ...attrs, outSize: n };
  const xv = Float32Array.from({ length: tokens * d }, (_, i) => Math.sin(i));
  const time = async (backend: string) => {
    await tf.setBackend(backend);
    const x = tf.tensor2d(xv, [tokens, d]);
    const c = tf.tensor1d(Float32Array.from({ length: n }, (_, i) => Math.cos(i)));
    const run = (kernel: string, inputs: tf.NamedTensorMap, a: object) => () => {
      const out = tf.engine().runKernel(kernel, inputs, a as unknown as tf.NamedAttrMap) as tf.Tensor;
      out.dataSync();
      out.dispose();
    };
    const mix = medianMs(run(SPARSE_MIX_KERNEL_NAME, { x, c }, attrs), repeats);
    const coef = medianMs(run(SPARSE_MIX_COEF_GRAD_KERNEL_NAME, { x, dy: x }, coefAttrs), repeats);
    const idx = tf.tensor1d(terms.gatherIndex, 'int32');
    const gather = medianMs(() => {
      const out = tf.gather(x, idx, 1);
      out.dataSync();
      out.dispose();
    }, repeats);
    tf.dispose([x, c, idx]);
    return { mix, coef, gather };
  };
  const host = await time('cpu');
  const bridged = await time('wasm');
  return { mixBridgedMs: bridged.mix, mixHostMs: host.mix, coefGradBridgedMs: bridged.coef, coefGradHostMs: host.coef, nativeGatherMs: bridged.gather };
}
