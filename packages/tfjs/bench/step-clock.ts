/**
 * The Node step timer of the training-step tables: the process's CPU time
 * (`process.cpuUsage`, µs; getrusage counts the running thread's time up to the call),
 * which leaves out the time other processes hold the core on a shared machine, with a
 * full garbage collection before every timed call. tfjs-backend-cpu and single-threaded
 * tfjs-backend-wasm compute on the main thread; the process's other threads are V8's
 * (concurrent GC, compiler). A forced GC leaves them sweeping for a while, which process CPU
 * time would charge to the next step (37 ms on a 1 ms step here), so the timer waits,
 * blocked, until the process's CPU time stops moving before it starts the clock.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { StepTimer, Timing } from './training-step';

/** Process CPU time (user + system) in ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A full garbage collection, where V8 lets a running script enable `gc()` (--expose-gc). */
function garbageCollector(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the main thread (no CPU) until the process's CPU time grows by < 2 % of the wall time for 5 ms, at most 250 ms. */
function quiesce(): void {
  for (let waited = 0; waited < 250; waited += 5) {
    const c0 = cpuMs();
    Atomics.wait(sleeper, 0, 0, 5);
    if (cpuMs() - c0 < 0.1) return;
  }
}

/**
 * The timer for this process: CPU time, plus the wall clock alongside.
 *
 * @example
 * ```ts
 * const timer = nodeStepTimer();
 * const { clockMs, wallMs } = timer.time(() => step());
 * ```
 */
export function nodeStepTimer(): StepTimer {
  const gc = garbageCollector();
  return {
    clock: 'process CPU time',
    gcBetweenSteps: gc !== null,
    time(fn: () => void): Timing {
      if (gc !== null) {
        gc();
        quiesce();
      }
      const c0 = cpuMs();
      const w0 = performance.now();
      fn();
      const wallMs = performance.now() - w0;
      return { clockMs: cpuMs() - c0, wallMs };
    },
  };
}
