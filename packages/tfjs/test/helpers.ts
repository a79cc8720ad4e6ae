/** Shared test utilities: cpu backend setup and float64 reference math. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-layers also registers the gradients of tfjs-core's ops (the package entry imports it too).
import * as tfl from '@tensorflow/tfjs-layers';
import { referenceDht } from '@ssh-peft/hartley';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Makes `name` the active backend (registered by the test file's imports), if it is not already. */
export async function useBackendNamed(name: 'cpu' | 'wasm'): Promise<void> {
  if (tf.getBackend() === name) return;
  await tf.setBackend(name);
  await tf.ready();
}

/** cas-matrix DHT of every length-n row of `data`, float64, times `scale`. */
export function referenceDhtRows(data: ArrayLike<number>, n: number, scale = 1): Float64Array {
  const out = new Float64Array(data.length);
  for (let r = 0; r < data.length / n; r++) {
    const row = Float64Array.from({ length: n }, (_, j) => data[r * n + j]);
    const h = referenceDht(row);
    for (let j = 0; j < n; j++) out[r * n + j] = h[j] * scale;
  }
  return out;
}

/** Maximum |a − b| relative to max(1, max |b|). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let mag = 1;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    mag = Math.max(mag, Math.abs(b[i]));
  }
  if (a.length !== b.length) return Infinity;
  return diff / mag;
}

/** Dense ΔW = alpha·f·IDHT2(S) by the naive O(N²) cas formulas, float64 (the oracle of every ΔW test). */
export function referenceDeltaWeight(
  rows: number,
  cols: number,
  indices: ArrayLike<number>,
  values: ArrayLike<number>,
  variant: 'separable' | 'true',
  factor: number,
): Float64Array {
  const out = new Float64Array(rows * cols);
  const cas = (t: number) => Math.cos(t) + Math.sin(t);
  for (let k = 0; k < indices.length; k++) {
    const u = Math.floor(indices[k] / cols);
    const v = indices[k] % cols;
    for (let m = 0; m < rows; m++) {
      for (let n = 0; n < cols; n++) {
        const w =
          variant === 'separable'
            ? cas((2 * Math.PI * u * m) / rows) * cas((2 * Math.PI * v * n) / cols)
            : cas(2 * Math.PI * ((u * m) / rows + (v * n) / cols));
        out[m * cols + n] += factor * values[k] * w;
      }
    }
  }
  return out;
}

/** x·W for row-major x [t, r] and W [r, c], float64. */
export function matMul64(x: ArrayLike<number>, w: ArrayLike<number>, t: number, r: number, c: number): Float64Array {
  const out = new Float64Array(t * c);
  for (let i = 0; i < t; i++) for (let k = 0; k < r; k++) {
    const a = x[i * r + k];
    for (let j = 0; j < c; j++) out[i * c + j] += a * w[k * c + j];
  }
  return out;
}

/** Deterministic pseudo-random floats in [-1, 1). */
export function randomArray(length: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** `count` distinct positions in [0, size), deterministic for a seed. */
export function randomPositions(size: number, count: number, seed: number): Uint32Array {
  const r = randomArray(size, seed);
  const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => r[a] - r[b]);
  return Uint32Array.from(order.slice(0, count));
}

/** Round-trips a model through model.save / tf.loadLayersModel in memory. */
export async function saveAndLoad(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
}

