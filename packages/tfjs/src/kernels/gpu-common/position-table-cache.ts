/**
 * Per-backend cache of the sparse-mix index tables, keyed by the identity of the position
 * set's typed arrays (the op passes the same arrays for a layer on every call, so the
 * tables are built and uploaded once per layer and direction). Least recently used
 * entries are released past a bound, so a long session that creates many adapters does
 * not keep their tables on the GPU.
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

/** The two backend members the cache needs (shared by MathBackendWebGL and WebGPUBackend). */
export interface DataBackend {
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array | Int32Array): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** A table to upload. */
export interface HostTable {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

/** Position sets kept per backend (three tables each per direction; a model adapts tens of layers). */
const MAX_ENTRIES_PER_BACKEND = 256;

const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;

/** A number naming `o` for as long as it lives (0 for null). */
export function identityOf(o: object | null): number {
  if (o === null) return 0;
  let id = objectIds.get(o);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(o, id);
  }
  return id;
}

export class PositionTableCache {
  private readonly perBackend = new WeakMap<object, Map<string, TensorInfo[]>>();

  /** The uploaded tables for `key` on `backend`, built by `build` on first request. */
  get(backend: DataBackend, key: string, build: () => HostTable[]): TensorInfo[] {
    let entries = this.perBackend.get(backend);
    if (entries === undefined) {
      entries = new Map();
      this.perBackend.set(backend, entries);
    }
    const hit = entries.get(key);
    if (hit !== undefined) {
      entries.delete(key);
      entries.set(key, hit);
      return hit;
    }
    if (entries.size >= MAX_ENTRIES_PER_BACKEND) {
      const [oldKey, old] = entries.entries().next().value as [string, TensorInfo[]];
      entries.delete(oldKey);
      // Both backends defer the release of data still referenced by queued GPU work.
      for (const info of old) backend.disposeData(info.dataId);
    }
    const infos = build().map((t) => backend.makeTensorInfo(t.shape, t.dtype, t.values));
    entries.set(key, infos);
    return infos;
  }

  /** Releases every table held for `backend`. */
  clear(backend: DataBackend): void {
    const entries = this.perBackend.get(backend);
    if (entries === undefined) return;
    for (const infos of entries.values()) for (const info of infos) backend.disposeData(info.dataId);
    this.perBackend.delete(backend);
  }
}

/** Cache key of a mix direction: the identities of its arrays and its sizes. */
export function mixTableKey(kind: string, attrs: { gather: object; scatter: object; coefIndex: object | null; weight: object | null }, ...sizes: number[]): string {
  return `${kind}:${identityOf(attrs.gather)}:${identityOf(attrs.scatter)}:${identityOf(attrs.coefIndex)}:${identityOf(attrs.weight)}:${sizes.join('x')}`;
}
