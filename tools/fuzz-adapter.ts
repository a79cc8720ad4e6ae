/**
 * Long fuzz run of the adapter decoder (the CI test runs 10 000 cases; this runs as many as asked):
 *   npx tsx --conditions=@ssh-peft/source tools/fuzz-adapter.ts [--runs 200000] [--seed 1]
 * Every case damages a valid adapter file (byte edits, truncation, splices, forged header
 * lengths; up to 3 at once) and checks the decoder's contract: it returns an adapter that
 * passes validation and re-encodes, or throws AdapterFormatError — never anything else.
 * On failure fast-check prints the shrunk counterexample and the seed to replay it.
 */
import fc from 'fast-check';
import { encodeAdapter } from '@ssh-peft/adapter';
import { adapterArb, smallAdapter } from '../packages/adapter/test/arbitraries';
import { applyMutation, checkDecodeContract, mutationArb } from '../packages/adapter/test/fuzz-mutations';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(value)) {
    console.error(`--${name} needs an integer, got ${process.argv[i + 1]}`);
    process.exit(2);
  }
  return value;
}

const runs = flag('runs', 200_000);
const seed = flag('seed', Date.now() % 2 ** 31);
const outcomes = { valid: 0, rejected: 0 };
const started = performance.now();
// Fresh random adapters per case (not only fixed seeds), so layer tables and shapes vary too.
fc.assert(
  fc.property(fc.oneof(fc.constant(smallAdapter()), adapterArb), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (adapter, mutations) => {
    let bytes = encodeAdapter(adapter);
    for (const m of mutations) bytes = applyMutation(bytes, m);
    outcomes[checkDecodeContract(bytes)]++;
  }),
  { numRuns: runs, seed },
);
const seconds = (performance.now() - started) / 1000;
console.log(`${runs} cases in ${seconds.toFixed(1)} s (seed ${seed}): ${outcomes.rejected} rejected with AdapterFormatError, ${outcomes.valid} decoded to valid adapters, 0 contract violations`);
