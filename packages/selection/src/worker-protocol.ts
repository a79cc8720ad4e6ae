import type { PreparedLayer } from './layer-pipeline';
import type { PhaseTimes } from './observer';

/** Main thread → worker: one layer to prepare (its floats copied for the worker). */
export interface JobMessage {
  ordinal: number;
  /** The pool's admission floor when the layer was sent (global strategy), or undefined. */
  floor: number | undefined;
  name: string;
  rows: number;
  cols: number;
  weights: Float32Array | Float64Array;
}

/** An error thrown in a worker, in a form that crosses threads and is rebuilt with its class. */
export interface WorkerError {
  kind: 'input' | 'option' | 'selection' | 'other';
  message: string;
  layer?: string;
  index?: number;
  option?: string;
  stack?: string;
}

/** Worker → main thread: the prepared layer, or the error that stopped it. */
export type ResultMessage = { ordinal: number; ok: true; prepared: PreparedLayer; times: PhaseTimes } | { ordinal: number; ok: false; error: WorkerError };
