import { SelectionOptionError } from './errors';
import type { PreparedLayer } from './layer-pipeline';
import type { PhaseTimes } from './observer';
import type { LayerInput, ResolvedSelectionOptions } from './types';

/** Layers the main thread hands to worker threads, several at a time (Node only). */
export interface LayerPool {
  /** Whether this layer is worth a worker (large enough to pay for the copy to the thread). */
  takes(layer: LayerInput): boolean;
  /**
   * Sends the layer (and the pool's admission floor for it, see `GlobalSelector.admissionFloor`) to
   * a worker thread; resolves once there is room for another one. `onResult` is
   * called with the prepared layer strictly in submission order (never concurrently).
   */
  submit(layer: LayerInput, ordinal: number, floor: number | undefined, onResult: (prepared: PreparedLayer, times: PhaseTimes) => void): Promise<void>;
  /** Resolves when every submitted layer has been handed to its `onResult`; rejects with the first error. */
  drain(): Promise<void>;
  /** Stops the worker threads. */
  close(): Promise<void>;
}

/**
 * Module specifier of the Node-only part, imported lazily through a variable so that bundlers for
 * the browser neither follow nor inline it: nothing of `node:worker_threads` is in this entry's graph.
 */
const NODE_ENTRY = '@ssh-peft/selection/node';

function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string';
}

/**
 * The pool for `workers` (undefined = the default): in Node, `workers` threads (default: the
 * available cores); elsewhere, or with one worker, none (the layers are prepared on this thread).
 */
export async function openPool(workers: number | undefined, options: ResolvedSelectionOptions): Promise<LayerPool | null> {
  if (workers === 1) return null;
  if (!isNode()) {
    if (workers === undefined) return null;
    throw new SelectionOptionError('workers', `workers ${workers}: worker threads are only available in Node; in a browser omit workers (or pass 1) and run selectSpectrum inside a Web Worker of your own to keep the page responsive`);
  }
  const entry: string = NODE_ENTRY;
  const node = (await import(/* @vite-ignore */ entry)) as { createWorkerPool(workers: number | undefined, options: ResolvedSelectionOptions): LayerPool | null };
  return node.createWorkerPool(workers, options);
}
