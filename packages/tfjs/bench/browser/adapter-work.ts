/**
 * The kernels each adapter adds to a training step of the whole model (model-step.ts), run
 * alone on the model's shapes — no frozen matMuls, no optimizer — so that what bounds SSH
 * against LoRA on a GPU backend is measured rather than inferred from a per-kernel profile
 * (one noisy sample per step on SwiftShader). Per adapted layer (x `[T, d_in]`, dy `[T, d_out]`):
 *
 * * `lora` — LoRA r = 8's six rank-r matMuls: h = x·A, y = h·B, ∂B = hᵀ·dy, ∂h = dy·Bᵀ,
 *   ∂A = xᵀ·∂h and, except on the first adapted layer, ∂x = ∂h·Aᵀ.
 * * `ssh` — SSH factored as sshLinear runs it: X̂ = DHT(x), z = mix(X̂, c), y = DHT(z),
 *   dŶ = DHT(dy), ∂c from X̂ and dŶ, and, except on the first layer, ∂x = DHT(mixᵀ(dŶ)).
 * * `ssh-floor` — what ∂L/∂c needs on every route that does not form the dense weight
 *   gradient: the transform of x over d_in, the transform of dy over d_out and the ∂c
 *   reduction (a route that merged ΔW into the frozen matMul would save the other
 *   transforms, not these).
 * * `ssh-weight-grad` — ∂L/∂c the other way: G = xᵀ·dy (T·d_in·d_out multiply-adds, the
 *   weight gradient of full fine-tuning), its 2D DHT and the gather of the n positions.
 *
 * Bundled into the bench page (bench-page-entry.ts); cpu-time.ts `--adapter` times it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dhtLastAxis } from '../../src/ops/dht';
import { sparseMix, sparseMixAttrs } from '../../src/ops/sparse-mix';
import { compileSpectralTerms, type SpectralTerms } from '../../src/ops/spectral-terms';
import { SPARSE_MIX_COEF_GRAD_KERNEL_NAME, SPARSE_MIX_KERNEL_NAME } from '../../src/kernel-names';
import { transposedMixAttrs } from '../../src/gradients/sparse-mix-gradient';
import { seededValues } from '../../test/browser/harness/seeded-values';
import { MODEL_SHAPE } from './model-step';

/** Which adapter's own kernels to run. */
export type AdapterWork = 'lora' | 'ssh' | 'ssh-floor' | 'ssh-weight-grad';

export const ADAPTER_WORKS: readonly AdapterWork[] = ['lora', 'ssh', 'ssh-floor', 'ssh-weight-grad'];

interface LayerTensors {
  x: tf.Tensor2D;
  dy: tf.Tensor2D;
  a: tf.Tensor2D;
  b: tf.Tensor2D;
  c: tf.Tensor1D;
  terms: SpectralTerms;
  /** Flat positions u·d_out + v of the separable terms (int32), for the weight-gradient route's gather. */
  flat: tf.Tensor1D;
}

/** The adapted layers of model-step.ts: d_in → d_out of block0_up, block0_down, block1_up. */
function adaptedShapes(): Array<[number, number]> {
  const { dim, hidden } = MODEL_SHAPE;
  return [
    [dim, hidden],
    [hidden, dim],
    [dim, hidden],
  ];
}

/** n distinct positions of a rows × cols spectrum, drawn from a fixed seed. */
function seededPositions(seed: number, rows: number, cols: number, n: number): Uint32Array {
  const draws = seededValues(seed, 4 * n);
  const chosen = new Set<number>();
  for (let i = 0; i < draws.length && chosen.size < n; i++) chosen.add(Math.floor(((draws[i] + 1) / 2) * rows * cols));
  return Uint32Array.from([...chosen].sort((p, q) => p - q));
}

/** Builds the inputs of every adapted layer on the active backend (caller disposes with {@link disposeAdapterLayers}). */
export function prepareAdapterLayers(): LayerTensors[] {
  const tokens = MODEL_SHAPE.batch * MODEL_SHAPE.seq;
  const r = MODEL_SHAPE.loraRank;
  return adaptedShapes().map(([dIn, dOut], i) => ({
    x: tf.tensor2d(seededValues(10 * i + 1, tokens * dIn), [tokens, dIn]),
    dy: tf.tensor2d(seededValues(10 * i + 2, tokens * dOut), [tokens, dOut]),
    a: tf.tensor2d(seededValues(10 * i + 3, dIn * r), [dIn, r]),
    b: tf.tensor2d(seededValues(10 * i + 4, r * dOut), [r, dOut]),
    c: tf.tensor1d(seededValues(10 * i + 5, MODEL_SHAPE.positionsPerLayer)),
    ...termsAndFlat(seededPositions(10 * i + 6, dIn, dOut, MODEL_SHAPE.positionsPerLayer), dIn, dOut),
  }));
}

function termsAndFlat(positions: Uint32Array, dIn: number, dOut: number): { terms: SpectralTerms; flat: tf.Tensor1D } {
  return { terms: compileSpectralTerms(positions, dIn, dOut, 'separable'), flat: tf.tensor1d(Int32Array.from(positions), 'int32') };
}

export function disposeAdapterLayers(layers: LayerTensors[]): void {
  for (const l of layers) tf.dispose([l.x, l.dy, l.a, l.b, l.c, l.flat]);
}

function coefGrad(xHat: tf.Tensor2D, dyHat: tf.Tensor2D, l: LayerTensors): tf.Tensor {
  const attrs = { ...sparseMixAttrs(l.terms), outSize: l.terms.count };
  return tf.engine().runKernel(SPARSE_MIX_COEF_GRAD_KERNEL_NAME, { x: xHat, dy: dyHat }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** One step's worth of `work` over every adapted layer; returns the tensors a caller reads to wait for the GPU. */
export function runAdapterWork(work: AdapterWork, layers: LayerTensors[]): tf.Tensor[] {
  return tf.tidy(() => {
    const results: tf.Tensor[] = [];
    layers.forEach((l, i) => {
      const needsDx = i > 0;
      if (work === 'lora') {
        const h = tf.matMul(l.x, l.a);
        results.push(tf.matMul(h, l.b), tf.matMul(h, l.dy, true, false));
        const dh = tf.matMul(l.dy, l.b, false, true);
        results.push(tf.matMul(l.x, dh, true, false));
        if (needsDx) results.push(tf.matMul(dh, l.a, false, true));
        return;
      }
      if (work === 'ssh-weight-grad') {
        // The 2D DHT of G: over d_out, then over d_in through a transpose (cas is symmetric, so G's layout is free).
        const g = dhtLastAxis(tf.transpose(dhtLastAxis(tf.matMul(l.x, l.dy, true, false))));
        results.push(tf.gather(tf.reshape(tf.transpose(g), [-1]), l.flat));
        return;
      }
      const xHat = dhtLastAxis(l.x);
      const dyHat = dhtLastAxis(l.dy);
      results.push(coefGrad(xHat, dyHat, l));
      if (work === 'ssh-floor') return;
      results.push(dhtLastAxis(sparseMix(xHat, l.c, l.terms)));
      if (needsDx) {
        const attrs = transposedMixAttrs(sparseMixAttrs(l.terms), l.terms.rows);
        const mixedBack = tf.engine().runKernel(SPARSE_MIX_KERNEL_NAME, { x: dyHat, c: l.c }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
        results.push(dhtLastAxis(mixedBack));
      }
    });
    return results;
  });
}
