/**
 * What every browser test file shares: one Chromium session per file with the page's
 * errors checked after each test, the float32 tolerance, and the fast-check options that
 * make every randomised property deterministic (fixed seed, printed on failure;
 * SSH_PEFT_FC_SEED replaces it to explore other cases).
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { openBrowserSession, type BrowserSession } from './browser-session';
import type { Diff, InitReport } from './harness-api';

export interface SessionRef {
  session: BrowserSession;
  init: InitReport;
}

/** Opens the harness page before the file's tests and closes it after them. */
export function useBrowserSession(): SessionRef {
  const ref = {} as SessionRef;
  beforeAll(async () => {
    ref.session = await openBrowserSession();
    ref.init = await ref.session.call('init');
  }, 120_000);
  afterAll(async () => {
    await ref.session?.close();
  });
  afterEach(() => {
    // Drain so one failure is reported once; a dropped WebGPU dispatch only shows up here.
    const errors = ref.session ? ref.session.pageErrors.splice(0) : [];
    expect(errors, `the page reported GPU/JS errors:\n${errors.join('\n')}`).toEqual([]);
  });
  return ref;
}

/** float32 transforms: error grows with the output magnitude and the number of passes. */
export function withinTolerance(d: Diff, n: number, factor = 4e-6): boolean {
  return d.maxAbsDiff <= factor * Math.max(d.maxAbsRef, 1e-3) * Math.max(1, Math.log2(n));
}

const envSeed = process.env.SSH_PEFT_FC_SEED;

/**
 * fast-check options of a property: a fixed seed per property (CI sees the same cases on
 * every run), which fast-check prints with the shrunk counterexample on failure.
 */
export function propertyOptions(numRuns: number, seed: number): { numRuns: number; seed: number } {
  return { numRuns, seed: envSeed === undefined ? seed : Number(envSeed) };
}
