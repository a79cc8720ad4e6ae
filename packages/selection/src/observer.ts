/** The phases of a layer's work: checks and fingerprint; 2D DHT and energy scan; ranking. */
export type SelectionPhase = 'check' | 'dht' | 'rank';

/**
 * Told how long each phase of the selection took (used by the benchmark). The selection does the
 * same work with or without one; without one nothing is timed.
 */
export interface SelectionObserver {
  phase(phase: SelectionPhase, ms: number): void;
}

/** Runs `work`, telling `observer` (if any) its wall time as `phase`. */
export function observe<T>(observer: SelectionObserver | undefined, phase: SelectionPhase, work: () => T): T {
  if (observer === undefined) return work();
  const t0 = performance.now();
  const result = work();
  observer.phase(phase, performance.now() - t0);
  return result;
}

/** Wall-clock milliseconds per phase. */
export interface PhaseTimes {
  /** Shape and finiteness checks and the fingerprint. */
  checkMs: number;
  /** The 2D DHT and the pass over the spectrum for its total energy and key histogram. */
  dhtMs: number;
  /** Top-k scoring, cross-layer ranking, random draws, assembling the plan. */
  rankMs: number;
}

/** An observer that adds the phases' times into `times`. */
export function phaseTimer(times: PhaseTimes): SelectionObserver {
  return {
    phase(phase, ms) {
      if (phase === 'check') times.checkMs += ms;
      else if (phase === 'dht') times.dhtMs += ms;
      else times.rankMs += ms;
    },
  };
}
