/**
 * The fuzzers in CI: a bounded, seeded run of each target (the same code as the long runs of
 * `tools/fuzz/run.ts`). A test fails on any untyped error, hang or silent change, and prints the
 * outcome counts by error class.
 */
import { describe, expect, it } from 'vitest';
import { type FuzzReport, formatReport } from '../outcomes';
import { fuzzAdapterDecode, fuzzHotSwapPrepare, fuzzInspect, fuzzOnnxMerge } from '../targets';

const SEED = 20_251_128;

function check(report: FuzzReport, cases: number): void {
  console.log(formatReport(report));
  expect(report.cases).toBe(cases);
  expect(report.examples).toEqual([]);
  expect(report.violations).toBe(0);
  // The damage must reach the checks: most cases are refused with a typed error.
  const rejected = Object.entries(report.counts).filter(([label]) => label.startsWith('rejected ')).reduce((s, [, n]) => s + n, 0);
  expect(rejected).toBeGreaterThan(cases / 2);
}

describe('fuzzers (bounded CI run)', () => {
  it('adapter decode: 20 000 damaged files, 0 silent changes, every error an AdapterError', () => {
    const report = fuzzAdapterDecode(20_000, SEED);
    check(report, 20_000);
    // The digest is what catches data edits that leave a valid-looking file.
    expect(report.counts['rejected AdapterIntegrityError']).toBeGreaterThan(1_000);
  });

  it('ONNX merge: 20 000 damaged models, every error typed, none hangs', async () => {
    check(await fuzzOnnxMerge(20_000, SEED), 20_000);
  });

  it('hot-swap preparation: 20 000 damaged models, every error typed, none hangs', async () => {
    check(await fuzzHotSwapPrepare(20_000, SEED), 20_000);
  });

  it('ssh-peft inspect: 2 000 damaged adapters through the whole CLI, exit 1 with one typed error line or the original output', async () => {
    check(await fuzzInspect(2_000, SEED), 2_000);
  });
});
