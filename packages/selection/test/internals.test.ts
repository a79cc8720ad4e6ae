import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestRemainder } from '../src/allocate';
import { createRandom, layerStreamSeed } from '../src/random';
import { drawOutside, firstOutside, PermutationStream, prefixHolding, randomPermutationPrefix, takeOutside, type RankBoundary } from '../src/random-positions';
import { RankedHeap } from '../src/ranked-heap';
import { topEnergyPositions, type TopKMethod } from '../src/top-energy';
import { denseShuffle, fullSortByEnergy } from './reference';

const arbSpectrum = fc
  .record({ n: fc.integer({ min: 1, max: 300 }), type: fc.constantFrom('f32', 'f64') })
  .chain(({ n, type }) =>
    fc
      .array(fc.oneof(fc.double({ min: -100, max: 100, noNaN: true }), fc.constantFrom(0, 1, -1, 3)), { minLength: n, maxLength: n })
      .map((v) => (type === 'f32' ? Float32Array.from(v) : Float64Array.from(v))),
  );

describe('topEnergyPositions (bounded heap and histogram) against a full sort', () => {
  it('returns the k best by (H² desc, index asc) in rank order, both float types, with ties', () => {
    fc.assert(
      fc.property(arbSpectrum, fc.nat(), fc.constantFrom<TopKMethod>('auto', 'heap', 'histogram'), (spectrum, k0, method) => {
        const k = k0 % (spectrum.length + 2);
        const got = topEnergyPositions(spectrum, k, method);
        const expected = fullSortByEnergy(spectrum).slice(0, k);
        expect(Array.from(got.indices)).toEqual(expected.map((x) => x.index));
        expect(Array.from(got.energies)).toEqual(expected.map((x) => x.energy));
      }),
      { numRuns: 300 },
    );
  });
});

describe('topEnergyPositions histogram path on large spectra', () => {
  it("'auto' on n = 70000, k ≥ 4096 matches the full sort, also with heavy ties", () => {
    fc.assert(
      fc.property(fc.integer({ min: 4096, max: 10000 }), fc.integer(), fc.boolean(), (k, seed, ties) => {
        const n = 70000;
        const spectrum = new Float32Array(n);
        let s = seed >>> 0 || 1;
        for (let i = 0; i < n; i++) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          spectrum[i] = ties ? (s >>> 28) - 8 : s / 2 ** 32 - 0.5;
        }
        const got = topEnergyPositions(spectrum, k);
        const expected = fullSortByEnergy(spectrum).slice(0, k);
        expect(Array.from(got.indices)).toEqual(expected.map((x) => x.index));
      }),
      { numRuns: 8 },
    );
  });
});

describe('RankedHeap against a sorted-array model', () => {
  it('offers and shrinks keep exactly the best entries and report every eviction', () => {
    const arbOp = fc.oneof(
      fc.record({ kind: fc.constant('offer' as const), score: fc.integer({ min: -5, max: 5 }), key: fc.integer({ min: 0, max: 1e6 }) }),
      fc.record({ kind: fc.constant('shrink' as const), to: fc.nat(20) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.array(arbOp, { maxLength: 120 }), (capacity, ops) => {
        const heap = new RankedHeap(capacity);
        let model: { score: number; key: number }[] = [];
        let limit = capacity;
        const seenKeys = new Set<number>();
        const order = (a: { score: number; key: number }, b: { score: number; key: number }): number => b.score - a.score || a.key - b.key;
        for (const op of ops) {
          const evicted: number[] = [];
          if (op.kind === 'offer') {
            if (seenKeys.has(op.key)) continue; // keys are unique in real use
            seenKeys.add(op.key);
            const kept = heap.offer(op.score, op.key, (_s, k) => evicted.push(k));
            const next = [...model, { score: op.score, key: op.key }].sort(order);
            const survivors = next.slice(0, limit);
            expect(kept).toBe(survivors.some((e) => e.key === op.key));
            expect(evicted).toEqual(next.slice(limit).filter((e) => e.key !== op.key).map((e) => e.key));
            model = survivors;
          } else {
            heap.shrink(op.to, (_s, k) => evicted.push(k));
            limit = Math.min(limit, op.to);
            expect(evicted.sort((a, b) => a - b)).toEqual(model.slice(op.to).map((e) => e.key).sort((a, b) => a - b));
            model = model.slice(0, Math.min(model.length, op.to));
          }
          expect(heap.size).toBe(model.length);
          const slots = heap.rankedSlots();
          expect(Array.from(slots, (s) => heap.keyAt(s))).toEqual(model.map((e) => e.key));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('randomPermutationPrefix (sparse Fisher–Yates) against the dense shuffle', () => {
  it('is the prefix of the dense shuffle driven by the same stream, for any n and k', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.nat(600), fc.integer(), fc.string(), (n, k, seed, name) => {
        const prefix = randomPermutationPrefix(createRandom(layerStreamSeed(seed, name)), n, k);
        expect(Array.from(prefix)).toEqual(denseShuffle(seed, name, n).slice(0, Math.min(k, n)));
      }),
      { numRuns: 200 },
    );
  });

  it('is roughly uniform: each position of 10 is first about 1/10 of the time', () => {
    const counts = new Array<number>(10).fill(0);
    const random = createRandom(99);
    for (let t = 0; t < 20000; t++) counts[randomPermutationPrefix(random, 10, 1)[0]!]!++;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200); // > 4.7σ
  });
});

describe('drawOutside / firstOutside / takeOutside / prefixHolding against their plain definitions', () => {
  it('draw until `wanted` entries rank below the boundary; first-outside and shortest-prefix agree with filtering', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer(), fc.nat(), fc.nat(), fc.nat(), (n, seed, b0, w0, c0) => {
        const spectrum = Float64Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 7.1 + seed) * 4));
        const ranked = fullSortByEnergy(spectrum);
        const topCount = b0 % (n + 1);
        const boundary: RankBoundary | undefined = topCount > 0 ? { energy: ranked[topCount - 1]!.energy, index: ranked[topCount - 1]!.index } : undefined;
        const inTop = new Set(ranked.slice(0, topCount).map((x) => x.index));
        const wanted = w0 % (n - topCount + 1);
        const draws = drawOutside(new PermutationStream(createRandom(seed), n), spectrum, boundary, wanted);
        const full = randomPermutationPrefix(createRandom(seed), n, n);
        const outsideOrder = Array.from(full).filter((p) => !inTop.has(p));
        // Stops right after the wanted-th outside entry (or holds nothing when wanted = 0).
        const stop = wanted === 0 ? 0 : Array.from(full).indexOf(outsideOrder[wanted - 1]!) + 1;
        expect(Array.from(draws.positions)).toEqual(Array.from(full.subarray(0, stop)));
        expect(Array.from(draws.energies)).toEqual(Array.from(draws.positions, (p) => spectrum[p]! ** 2));
        const count = c0 % (wanted + 1);
        expect(Array.from(firstOutside(draws, boundary, count), (s) => draws.positions[s])).toEqual(outsideOrder.slice(0, count));
        const taken = takeOutside(draws, boundary, count);
        expect(Array.from(taken.indices)).toEqual(outsideOrder.slice(0, count));
        expect(Array.from(taken.energies)).toEqual(outsideOrder.slice(0, count).map((p) => spectrum[p]! ** 2));
        const keep = prefixHolding(draws, boundary, count);
        expect(keep).toBe(count === 0 ? 0 : Array.from(draws.positions).indexOf(outsideOrder[count - 1]!) + 1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('largestRemainder', () => {
  it('sums to the total, stays within ⌊quota⌋..⌈quota⌉ and never exceeds a weight', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 12 }), fc.nat(), (weights, t) => {
        const sum = weights.reduce((a, b) => a + b, 0);
        fc.pre(sum > 0);
        const total = t % (sum + 1);
        const shares = largestRemainder(total, weights);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
        shares.forEach((s, i) => {
          const quota = (total * weights[i]!) / sum;
          expect(s).toBeGreaterThanOrEqual(Math.floor(quota));
          expect(s).toBeLessThanOrEqual(Math.ceil(quota));
          expect(s).toBeLessThanOrEqual(weights[i]!);
        });
      }),
      { numRuns: 300 },
    );
  });
});
