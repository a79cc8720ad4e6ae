import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '@ssh-peft/selection';
import { disjointSplit } from '../src/data/split';
import { seededBatches } from '../src/train/batches';

describe('seeded splits', () => {
  it('disjointSplit gives disjoint parts of the requested sizes; the first part ignores later sizes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 1000 }), (sizes, seed) => {
        const total = sizes.reduce((a, b) => a + b, 0) + 7;
        const named = Object.fromEntries(sizes.map((s, i) => [`p${i}`, s]));
        const parts = disjointSplit(total, named, createRandom(seed));
        const all = Object.values(parts).flatMap((p) => [...p]);
        expect(new Set(all).size).toBe(all.length);
        sizes.forEach((s, i) => expect(parts[`p${i}`].length).toBe(s));
        const firstOnly = disjointSplit(total, { p0: sizes[0] }, createRandom(seed));
        expect(firstOnly.p0).toEqual(parts.p0);
      }),
      { numRuns: 40 },
    );
    expect(() => disjointSplit(10, { a: 6, b: 5 }, createRandom(1))).toThrow(/need 11 items \(a 6, b 5\) but only 10 exist/);
    expect(() => disjointSplit(10, { a: 0 }, createRandom(1))).toThrow(/size of 'a'/);
  });

  it('seededBatches covers each epoch without repeats, then reshuffles', () => {
    const batches = [...seededBatches(10, 3, 7, createRandom(5))];
    expect(batches).toHaveLength(7);
    const epoch1 = batches.slice(0, 3).flatMap((b) => [...b]);
    expect(new Set(epoch1).size).toBe(9);
    expect(() => [...seededBatches(4, 5, 1, createRandom(1))]).toThrow(/batchSize 5/);
  });
});
