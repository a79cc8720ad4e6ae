import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAdapter } from '../src/index';
import { adapterArb, smallAdapter } from './arbitraries';
import { applyMutation, checkDecodeContract, mutationArb } from './fuzz-mutations';

describe('decoder fuzzing: mutated and truncated files', () => {
  it('10 000 mutations of valid files: a valid adapter or AdapterFormatError, nothing else', () => {
    // A few fixed seed files (cheap to reuse) plus random ones drawn per case.
    const seeds = [encodeAdapter(smallAdapter()), ...fc.sample(adapterArb, { numRuns: 20, seed: 7 }).map(encodeAdapter)];
    const outcomes = { valid: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (which, mutations) => {
        let bytes = seeds[which]!;
        for (const m of mutations) bytes = applyMutation(bytes, m);
        outcomes[checkDecodeContract(bytes)]++;
      }),
      { numRuns: 10_000 },
    );
    // Both outcomes must occur, or the mutations are not exercising the decoder.
    expect(outcomes.rejected).toBeGreaterThan(1000);
    expect(outcomes.valid).toBeGreaterThan(10);
  });
});
