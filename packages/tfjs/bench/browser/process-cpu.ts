/**
 * CPU time of the browser's processes (the GPU process that runs SwiftShader or llvmpipe, the
 * renderer that runs tfjs), read from /proc (Linux). On a machine shared with other jobs the
 * wall time of a browser computation swings by ±50 % between runs, while the CPU time it
 * consumes changes far less with the load.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** Pids of the running Chromium processes. */
export function chromiumPids(): Set<number> {
  const pids = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('chromium')) pids.add(Number(entry));
    } catch {
      // The process ended while listing.
    }
  }
  return pids;
}

/** User + system CPU time (ms) of `pids`, counting processes that have ended as 0 from then on. */
export function cpuMs(pids: Iterable<number>): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Ended.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Runs `open` and returns its result with the Chromium processes it started. */
export async function withNewChromiumPids<T>(open: () => Promise<T>): Promise<{ value: T; pids: number[] }> {
  const before = chromiumPids();
  const value = await open();
  return { value, pids: [...chromiumPids()].filter((p) => !before.has(p)) };
}

/** CPU (of `pids`) and wall time (ms) of `fn`. */
export async function measureCpu(pids: readonly number[], fn: () => Promise<unknown>): Promise<{ cpu: number; wall: number }> {
  const c0 = cpuMs(pids);
  const t0 = performance.now();
  await fn();
  return { cpu: cpuMs(pids) - c0, wall: performance.now() - t0 };
}
