/**
 * Ctrl-C handling. The first SIGINT aborts the signal: long loops check it between steps
 * (and yield to the event loop so the signal can arrive), unwind, and their `finally`
 * blocks discard staged output. A second SIGINT runs the registered cleanups synchronously
 * and exits at once with 130.
 */
import { CliInterruptedError } from './errors';

/** What a long-running command gets: a signal to poll and a place to register cleanups. */
export interface InterruptScope {
  readonly signal: AbortSignal;
  /** Registers a synchronous cleanup for a forced exit; returns its unregister function. */
  onForcedExit(cleanup: () => void): () => void;
  dispose(): void;
}

/**
 * Installs the SIGINT handler for the lifetime of one command.
 *
 * @example
 * ```ts
 * const scope = installInterruptHandler();
 * try { await longWork(scope.signal); } finally { scope.dispose(); }
 * ```
 */
export function installInterruptHandler(onFirst?: () => void): InterruptScope {
  const controller = new AbortController();
  const cleanups = new Set<() => void>();
  const handler = () => {
    if (!controller.signal.aborted) {
      onFirst?.();
      controller.abort();
      return;
    }
    for (const cleanup of cleanups) {
      try {
        cleanup();
      } catch {
        // Exiting anyway; a failed cleanup must not hide the others.
      }
    }
    process.exit(130);
  };
  process.on('SIGINT', handler);
  return {
    signal: controller.signal,
    onForcedExit(cleanup) {
      cleanups.add(cleanup);
      return () => cleanups.delete(cleanup);
    },
    dispose() {
      process.off('SIGINT', handler);
    },
  };
}

/** Throws {@link CliInterruptedError} naming `stage` when the signal has fired. */
export function throwIfInterrupted(signal: AbortSignal | undefined, stage: string): void {
  if (signal?.aborted) throw new CliInterruptedError(stage);
}

/** Lets pending events (a SIGINT) run between synchronous compute steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
