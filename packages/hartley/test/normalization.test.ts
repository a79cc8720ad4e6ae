import { describe, expect, it } from 'vitest';
import { normalizationFactor } from '@ssh-peft/hartley';

describe('normalizationFactor', () => {
  it('puts 1/N on the inverse (backward), on the DHT (forward) or 1/√N on both (ortho)', () => {
    expect([normalizationFactor(16, 'backward', 'dht'), normalizationFactor(16, 'backward', 'idht')]).toEqual([1, 1 / 16]);
    expect([normalizationFactor(16, 'forward', 'dht'), normalizationFactor(16, 'forward', 'idht')]).toEqual([1 / 16, 1]);
    expect([normalizationFactor(16, 'ortho', 'dht'), normalizationFactor(16, 'ortho', 'idht')]).toEqual([0.25, 0.25]);
  });

  it('refuses a direction that is not dht or idht (e.g. the boolean of older versions)', () => {
    expect(() => normalizationFactor(16, 'backward', true as unknown as 'idht')).toThrow(/direction must be 'dht' or 'idht', got true/);
  });
});
