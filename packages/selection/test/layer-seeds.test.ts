import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layerInitSeed, layerStreamSeed } from '../src/index';

describe('the two per-layer seeds', () => {
  // Fixed by the adapter format and the selection plans: a change here changes every saved plan
  // and every 'normal'-initialised adapter.
  it('keep their values', () => {
    const cases: Array<[number, string, number, number]> = [
      [0, '', 2166136261, 2166136261],
      [7, 'dense', 2177826231, 2177826231],
      [123, 'q', 4094444071, 4094444071],
      [-1, 'block0_q', 9007195055869841, 96096145],
      [2 ** 40 + 5, 'encoder.0.query', 1101407878998, 1896251222],
      [3, 'ß→😀', 457165633, 2161630386],
    ];
    for (const [seed, name, stream, init] of cases) {
      expect([seed, name, layerStreamSeed(seed, name)]).toEqual([seed, name, stream]);
      expect([seed, name, layerInitSeed(seed, name)]).toEqual([seed, name, init]);
    }
  });

  it('agree on ASCII names and seeds in [0, 2^32); stream seeds are safe integers, init seeds 32-bit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.string({ unit: 'grapheme-ascii' }), (seed, name) => {
        expect(layerStreamSeed(seed, name)).toBe(layerInitSeed(seed, name));
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.string({ unit: 'binary' }), (seed, name) => {
        expect(Number.isSafeInteger(layerStreamSeed(seed, name))).toBe(true);
        const init = layerInitSeed(seed, name);
        expect(Number.isInteger(init) && init >= 0 && init < 2 ** 32).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
