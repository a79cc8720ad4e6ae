/**
 * The fuzzers from the command line (CI runs a bounded count of each through test/fuzz.test.ts):
 *   npx tsx --conditions=@ssh-peft/source tools/fuzz/run.ts [--target adapter|onnx-merge|hot-swap|inspect|all] [--cases 300000] [--seed 1]
 * Prints the outcome counts per target and exits 1 on any violation (untyped error, hang, silent change).
 */
import { formatReport } from './outcomes';
import { FUZZ_TARGETS } from './targets';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

function integerFlag(name: string, fallback: number): number {
  const raw = flag(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`--${name} needs a non-negative integer, got ${raw}`);
    process.exit(2);
  }
  return value;
}

const target = flag('target') ?? 'all';
const names = target === 'all' ? (Object.keys(FUZZ_TARGETS) as Array<keyof typeof FUZZ_TARGETS>) : [target as keyof typeof FUZZ_TARGETS];
for (const name of names) {
  if (!(name in FUZZ_TARGETS)) {
    console.error(`--target must be one of ${Object.keys(FUZZ_TARGETS).join(', ')} or all, got ${name}`);
    process.exit(2);
  }
}
const count = integerFlag('cases', 300_000);
const seed = integerFlag('seed', 1);
let violations = 0;
for (const name of names) {
  const report = await FUZZ_TARGETS[name](count, seed);
  console.log(formatReport(report));
  violations += report.violations;
}
process.exit(violations === 0 ? 0 : 1);
