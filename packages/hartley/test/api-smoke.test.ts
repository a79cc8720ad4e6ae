import { describe, expect, it } from 'vitest';
import { dht, idht } from '@ssh-peft/hartley';

describe('dht (interim smoke)', () => {
  it('round-trips a short vector', () => {
    const x = new Float64Array([1, 2, 3, 4, 5]);
    const back = idht(dht(x));
    for (let i = 0; i < x.length; i++) expect(back[i]).toBeCloseTo(x[i]!, 12);
  });
});
