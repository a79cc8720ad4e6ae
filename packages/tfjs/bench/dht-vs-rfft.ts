/**
 * The DHT op against tfjs's own `tf.spectral.rfft` on the active backend, one vector
 * of length N and a batch of rows.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dhtLastAxis } from '../src/index';

export interface DhtResult {
  n: number;
  rows: number;
  dhtMs: number;
  /** null when skipped because the previous size exceeded the cap. */
  rfftMs: number | null;
}

function timeOnce(f: () => tf.Tensor | tf.Tensor[]): number {
  const t0 = performance.now();
  const out = f();
  for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
  const ms = performance.now() - t0;
  tf.dispose(out);
  return ms;
}

function medianOf(k: number, f: () => tf.Tensor): number {
  timeOnce(f);
  const times = Array.from({ length: k }, () => timeOnce(f)).sort((a, b) => a - b);
  return times[Math.floor(k / 2)];
}

/** rfft runs once per size (it is the slow one) and stops once a size takes longer than capMs. */
export function benchDhtVsRfft(sizes: number[], rows: number[], capMs: number): DhtResult[] {
  const results: DhtResult[] = [];
  let overCap = false;
  for (const r of rows) {
    overCap = false;
    for (const n of sizes) {
      const x = tf.randomUniform([r, n], -1, 1, 'float32', n);
      const dhtMs = medianOf(5, () => dhtLastAxis(x));
      let rfftMs: number | null = null;
      if (!overCap) {
        rfftMs = timeOnce(() => tf.spectral.rfft(x));
        overCap = rfftMs > capMs;
      }
      results.push({ n, rows: r, dhtMs, rfftMs });
      x.dispose();
    }
  }
  return results;
}
