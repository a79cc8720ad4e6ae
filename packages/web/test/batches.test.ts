import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededBatches } from '../src/demo/batches';

describe('SeededBatches', () => {
  it('cuts every epoch from a permutation: no index twice within an epoch, all full batches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.integer(), (count, size, seed) => {
        fc.pre(size <= count);
        const batches = new SeededBatches(count, size, seed);
        const perEpoch = Math.floor(count / size);
        for (let epoch = 0; epoch < 2; epoch++) {
          const seen = new Set<number>();
          for (let b = 0; b < perEpoch; b++) {
            const batch = batches.next();
            expect(batch).toHaveLength(size);
            for (const i of batch) {
              expect(i >= 0 && i < count).toBe(true);
              expect(seen.has(i)).toBe(false);
              seen.add(i);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = new SeededBatches(100, 10, 7);
    const b = new SeededBatches(100, 10, 7);
    const c = new SeededBatches(100, 10, 8);
    const first = a.next();
    expect(b.next()).toEqual(first);
    expect(c.next()).not.toEqual(first);
  });

  it('rejects a batch larger than the set', () => {
    expect(() => new SeededBatches(5, 6, 1)).toThrow(/batch size 6 is not in \[1, 5\]/);
  });
});
