/**
 * Interleaved median timing: every candidate of one case runs in each round (so a burst
 * of load from other processes hits all of them alike), with a per-candidate batch size
 * calibrated to ≥ minBatchMs, for a fixed budget. Reports the median per call.
 *
 * The clock is the process's CPU time (user + system, µs resolution), not wall time: this
 * machine has 2 cores shared by several concurrent jobs (load averages of 4–8 were seen
 * while developing), so wall time mostly measures waiting for a core. The code timed is
 * single-threaded and allocation-free, so CPU time is its own compute time. The python
 * side uses time.process_time() for the same reason.
 */
export interface Candidate {
  name: string;
  /** Runs one transform; returns something derived from the output to keep it live. */
  run: () => number;
}

export interface TimingOptions {
  budgetMs: number;
  minBatchMs: number;
  minRounds: number;
  maxRounds: number;
}

export const DEFAULT_TIMING: TimingOptions = { budgetMs: 1500, minBatchMs: 10, minRounds: 7, maxRounds: 41 };

let sink = 0;

/** Process CPU time in milliseconds. */
export function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function calibrate(c: Candidate, minBatchMs: number): number {
  let reps = 1;
  for (;;) {
    const t0 = cpuNow();
    for (let i = 0; i < reps; i++) sink += c.run();
    const dt = cpuNow() - t0;
    if (dt >= minBatchMs || reps >= 1 << 20) return reps;
    reps = Math.min(1 << 20, Math.max(reps * 2, Math.ceil((reps * minBatchMs) / Math.max(dt, 1e-3))));
  }
}

/** Per-candidate samples (ms per call, one per round, in round order). */
export interface TimingResult {
  median: Map<string, number>;
  samples: Map<string, number[]>;
}

/**
 * Median over rounds of the ratio a/b of two candidates measured in the same round: a paired
 * estimate, robust to load drifting between rounds (both sides of a pair ran back to back).
 */
export function pairedRatio(result: TimingResult, a: string, b: string): number | undefined {
  const sa = result.samples.get(a);
  const sb = result.samples.get(b);
  if (!sa || !sb) return undefined;
  const r = sa.map((v, i) => v / sb[i]!).sort((x, y) => x - y);
  return r[r.length >> 1];
}

/** Median milliseconds per call for each candidate, keyed by name, and the raw samples. */
export function timeInterleaved(candidates: Candidate[], options: TimingOptions = DEFAULT_TIMING): TimingResult {
  const reps = candidates.map((c) => {
    c.run(); // warm-up / JIT
    return calibrate(c, options.minBatchMs);
  });
  const samples = candidates.map(() => [] as number[]);
  const start = cpuNow();
  for (let round = 0; round < options.maxRounds; round++) {
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]!;
      const t0 = cpuNow();
      for (let r = 0; r < reps[i]!; r++) sink += c.run();
      samples[i]!.push((cpuNow() - t0) / reps[i]!);
    }
    if (round + 1 >= options.minRounds && cpuNow() - start > options.budgetMs) break;
  }
  const median = new Map<string, number>();
  const raw = new Map<string, number[]>();
  candidates.forEach((c, i) => {
    raw.set(c.name, samples[i]!.slice());
    const s = samples[i]!.sort((a, b) => a - b);
    median.set(c.name, s[s.length >> 1]!);
  });
  if (Number.isNaN(sink)) median.set('sink', sink); // never true for finite data; defeats dead-code elimination
  return { median, samples: raw };
}
