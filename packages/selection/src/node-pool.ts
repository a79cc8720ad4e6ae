import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SelectionError, SelectionInputError, SelectionOptionError } from './errors';
import type { PreparedLayer } from './layer-pipeline';
import type { PhaseTimes } from './observer';
import type { LayerInput, ResolvedSelectionOptions } from './types';
import type { LayerPool } from './worker-pool';
import type { JobMessage, ResultMessage } from './worker-protocol';

/**
 * Layers with fewer positions are prepared on the calling thread: copying them to a worker and
 * starting the workers would cost more than their transform (a 1024×1024 layer takes ~20 ms).
 */
export const MIN_WORKER_POSITIONS = 1 << 20;

/** The worker script next to this module: compiled JavaScript, or the TypeScript source through tsx. */
function startWorker(options: ResolvedSelectionOptions): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // Running from source (tests, benchmarks): a bootstrap registers tsx's loader in the thread
    // (execArgv, and with it the source condition, is inherited from this process).
    return new Worker(new URL('./worker-boot-source.mjs', here), { workerData: { options } });
  }
  return new Worker(new URL('./selection-worker.js', here), { workerData: { options } });
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

interface Pending {
  ordinal: number;
  onResult: (prepared: PreparedLayer, times: PhaseTimes) => void;
  result?: ResultMessage;
}

/**
 * A pool of `workers` threads (default: `os.availableParallelism()`), or null for one worker.
 * Threads start with the first large layer and end at {@link LayerPool.close}.
 */
export function createWorkerPool(workers: number | undefined, options: ResolvedSelectionOptions): LayerPool | null {
  const count = workers ?? availableParallelism();
  if (count <= 1) return null;
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const waitForChange = (): Promise<void> => new Promise((resolve) => (wake = resolve));

  /** Hands finished layers to their callbacks in submission order. */
  const deliver = (): void => {
    while (failure === null && queue.length > 0 && queue[0]!.result !== undefined) {
      const head = queue.shift()!;
      const result = head.result!;
      if (!result.ok) {
        failure = reviveError(result.error);
        break;
      }
      try {
        head.onResult(result.prepared, result.times);
      } catch (error) {
        failure = error;
      }
    }
  };

  const slotFor = (): Slot | undefined => {
    const idle = slots.find((s) => !s.busy);
    if (idle !== undefined) return idle;
    if (slots.length >= count) return undefined;
    const worker = startWorker(options);
    const slot: Slot = { worker, busy: false };
    worker.on('message', (message: ResultMessage) => {
      slot.busy = false;
      const pending = queue.find((p) => p.ordinal === message.ordinal);
      if (pending !== undefined) pending.result = message;
      deliver();
      notify();
    });
    worker.on('error', (error) => {
      failure ??= error;
      notify();
    });
    slots.push(slot);
    return slot;
  };

  const throwIfFailed = (): void => {
    if (failure !== null) throw failure;
  };

  return {
    takes: (layer) => layer.rows * layer.cols >= MIN_WORKER_POSITIONS,
    async submit(layer, ordinal, floor, onResult) {
      throwIfFailed();
      let slot = slotFor();
      while (slot === undefined) {
        await waitForChange();
        throwIfFailed();
        slot = slotFor();
      }
      slot.busy = true;
      queue.push({ ordinal, onResult });
      // A copy of exactly the layer's floats, transferred: the caller's array is never detached.
      const weights = layer.weights.slice();
      const job: JobMessage = { ordinal, floor, name: layer.name, rows: layer.rows, cols: layer.cols, weights };
      slot.worker.postMessage(job, [weights.buffer]);
    },
    async drain() {
      throwIfFailed();
      while (queue.length > 0) {
        await waitForChange();
        throwIfFailed();
      }
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      slots.length = 0;
    },
  };
}

function reviveError(error: Extract<ResultMessage, { ok: false }>['error']): Error {
  if (error.kind === 'input') return new SelectionInputError(error.layer!, error.message, error.index);
  if (error.kind === 'option') return new SelectionOptionError(error.option!, error.message);
  const revived = error.kind === 'selection' ? new SelectionError(error.message) : new Error(error.message);
  if (error.stack !== undefined) revived.stack = error.stack;
  return revived;
}
