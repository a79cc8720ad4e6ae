/**
 * Per-backend cache of the constant tables (twiddles) the GPU kernels read.
 *
 * Tables are made with the backend's own `makeTensorInfo`, not as engine tensors, so
 * they never appear in `tf.memory().numTensors` (users' leak checks stay exact) and
 * are uploaded to the GPU once, on first use. A backend instance that is disposed and
 * recreated (tf.removeBackend / setBackend) gets fresh tables through the WeakMap key.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** The two backend members the cache needs (shared by MathBackendWebGL and WebGPUBackend). */
export interface TableBackend {
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Widths in a model are few (d_in, d_out, heads); older tables are released past this. */
const MAX_TABLES_PER_BACKEND = 16;

export class BackendTableCache<K extends number | string = number> {
  private readonly perBackend = new WeakMap<object, Map<string, TensorInfo>>();

  constructor(private readonly build: (key: K) => { shape: number[]; values: Float32Array }) {}

  /** The table for `n` (a length, or a key naming several) on `backend`, created and uploaded on first request. */
  get(backend: TableBackend, n: K): TensorInfo {
    let tables = this.perBackend.get(backend);
    if (tables === undefined) {
      tables = new Map();
      this.perBackend.set(backend, tables);
    }
    const key = String(n);
    const hit = tables.get(key);
    if (hit !== undefined) {
      // Re-insert so eviction drops the least recently used length.
      tables.delete(key);
      tables.set(key, hit);
      return hit;
    }
    if (tables.size >= MAX_TABLES_PER_BACKEND) {
      const [oldKey, old] = tables.entries().next().value as [string, TensorInfo];
      tables.delete(oldKey);
      // Both backends defer the release of data still referenced by queued GPU work.
      backend.disposeData(old.dataId);
    }
    const { shape, values } = this.build(n);
    const info = backend.makeTensorInfo(shape, 'float32', values);
    tables.set(key, info);
    return info;
  }

  /** Releases every table held for `backend` (e.g. before disposing it). */
  clear(backend: TableBackend): void {
    const tables = this.perBackend.get(backend);
    if (tables === undefined) return;
    for (const info of tables.values()) backend.disposeData(info.dataId);
    this.perBackend.delete(backend);
  }
}
