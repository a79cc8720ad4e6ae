// Worker-thread side of the Node pool (src/node-pool.ts): prepares each layer it is sent exactly as
// the calling thread would (same code, same transform path) and sends the result back.
import { parentPort, workerData } from 'node:worker_threads';
import { loadSimd } from '@ssh-peft/hartley';
import { SelectionError, SelectionInputError, SelectionOptionError } from './errors';
import { prepareLayer, type PreparedLayer } from './layer-pipeline';
import { phaseTimer, type PhaseTimes } from './observer';
import { SpectrumWorkspace } from './spectrum-workspace';
import type { ResolvedSelectionOptions } from './types';
import type { JobMessage, ResultMessage, WorkerError } from './worker-protocol';

const options = (workerData as { options: ResolvedSelectionOptions }).options;
const workspace = new SpectrumWorkspace(options.variant, options.normalization);
const ready = loadSimd();

function describeError(error: unknown): WorkerError {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? error.stack : undefined;
  if (error instanceof SelectionInputError) return { kind: 'input', message, layer: error.layer, ...(error.index !== undefined ? { index: error.index } : {}) };
  if (error instanceof SelectionOptionError) return { kind: 'option', message, option: error.option };
  if (error instanceof SelectionError) return { kind: 'selection', message, ...(stack !== undefined ? { stack } : {}) };
  return { kind: 'other', message, ...(stack !== undefined ? { stack } : {}) };
}

/** The result's typed arrays that own their whole buffer, to transfer instead of copy. */
function transferables(prepared: PreparedLayer): ArrayBuffer[] {
  const views =
    prepared.kind === 'global'
      ? [prepared.evidence.top.indices, prepared.evidence.top.energies, prepared.evidence.draws.positions, prepared.evidence.draws.energies]
      : [prepared.planned.indices];
  const buffers = new Set<ArrayBuffer>();
  for (const v of views) if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) buffers.add(v.buffer as ArrayBuffer);
  return [...buffers];
}

parentPort!.on('message', (job: JobMessage) => {
  void ready.then(() => {
    const times: PhaseTimes = { checkMs: 0, dhtMs: 0, rankMs: 0 };
    let message: ResultMessage;
    let transfer: ArrayBuffer[] = [];
    try {
      const prepared = prepareLayer({ name: job.name, rows: job.rows, cols: job.cols, weights: job.weights }, job.ordinal, job.floor, options, workspace, phaseTimer(times));
      message = { ordinal: job.ordinal, ok: true, prepared, times };
      transfer = transferables(prepared);
    } catch (error) {
      message = { ordinal: job.ordinal, ok: false, error: describeError(error) };
    }
    parentPort!.postMessage(message, transfer);
  });
});
