import { describe, expect, it } from 'vitest';
import { describeAdapter } from '../src/index';
import { smallAdapter } from './arbitraries';

describe('describeAdapter', () => {
  it('counts trainable parameters per layer and in total, PEFT-style', () => {
    const d = describeAdapter(smallAdapter());
    expect(d.layers.map((l) => [l.name, l.trainable, l.denseParameters])).toEqual([
      ['enc.q', 3, 48],
      ['enc.v', 2, 35],
    ]);
    expect(d.layers[0]!.loraEquivalentRank).toBeCloseTo(3 / 14, 12);
    expect(d.trainableParameters).toBe(5);
    expect(d.adaptedParameters).toBe(83);
    expect(d.allParameters).toBe(88);
    expect(d.text).toBe('trainable params: 5 || all params: 88 || trainable%: 5.6818');
  });

  it('uses the whole base model size when given', () => {
    const d = describeAdapter(smallAdapter(), { baseParameters: 1_000_000 });
    expect(d.allParameters).toBe(1_000_005);
    expect(d.text).toBe('trainable params: 5 || all params: 1,000,005 || trainable%: 0.0005');
    expect(() => describeAdapter(smallAdapter(), { baseParameters: -1 })).toThrow(/options.baseParameters: -1 is not a non-negative integer/);
  });
});
