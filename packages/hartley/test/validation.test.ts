import { describe, expect, it } from 'vitest';
import {
  createPlan,
  dht,
  dht2d,
  HartleyRangeError,
  HartleyTypeError,
  idht,
  idht2d,
  sparseIdht2d,
  sparseSpectrumGradient,
  sparseSpectrumProduct,
} from '@ssh-peft/hartley';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('input validation: typed errors naming the argument and the values', () => {
  it('1D: empty input, unsupported array types, unknown normalisation', () => {
    let e = thrown(() => dht(new Float64Array(0)));
    expect(e).toBeInstanceOf(HartleyRangeError);
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe('dht: x.length must be ≥ 1, got 0');
    e = thrown(() => idht([1, 2, 3] as never));
    expect(e).toBeInstanceOf(HartleyTypeError);
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('idht: x must be a Float32Array or Float64Array, got Array(3)');
    expect(thrown(() => dht(new Int32Array(4) as never)).message).toContain('got Int32Array(4)');
    e = thrown(() => dht(new Float64Array(4), { normalization: 'unitary' as never }));
    expect(e).toBeInstanceOf(HartleyTypeError);
    expect(e.message).toContain(`got "unitary"`);
  });

  it('2D: shape mismatch, non-integer and negative sizes, unknown variant', () => {
    let e = thrown(() => dht2d(new Float64Array(16), 3, 5));
    expect(e).toBeInstanceOf(HartleyRangeError);
    expect(e.message).toBe('dht2d: rows·cols (3·5 = 15) ≠ data.length (16)');
    e = thrown(() => idht2d(new Float32Array(6), 2.5, 2));
    expect(e.message).toBe('idht2d: rows must be an integer ≥ 1, got 2.5');
    e = thrown(() => dht2d(new Float32Array(6), 3, -2));
    expect(e.message).toBe('dht2d: cols must be an integer ≥ 1, got -2');
    expect(thrown(() => dht2d(new Float32Array(6), 3, Number.NaN)).message).toContain('got NaN');
    e = thrown(() => dht2d(new Float32Array(6), 3, 2, { variant: 'diagonal' as never }));
    expect(e).toBeInstanceOf(HartleyTypeError);
    expect(e.message).toContain(`options.variant must be 'separable' | 'true', got "diagonal"`);
  });

  it('plans: bad length, wrong buffer length, bad rows, bad scale, bad algorithm', () => {
    expect(thrown(() => createPlan(0)).message).toBe('createPlan: n must be an integer ≥ 1, got 0');
    expect(thrown(() => createPlan(3.5)).message).toBe('createPlan: n must be an integer ≥ 1, got 3.5');
    expect(thrown(() => createPlan(8, { algorithm: 'fft' as never })).message).toContain(`got "fft"`);
    const plan = createPlan(8);
    expect(thrown(() => plan.transform(new Float64Array(9))).message).toBe('HartleyPlan.transform: buf.length (9) ≠ plan length n (8)');
    expect(thrown(() => plan.transformRows(new Float64Array(24), 4)).message).toBe(
      'HartleyPlan.transformRows: rows·n (4·8 = 32) ≠ buf.length (24)',
    );
    expect(thrown(() => plan.transform(new Float64Array(8), Number.NaN)).message).toBe(
      'HartleyPlan.transform: scale must be a finite number, got NaN',
    );
    expect(thrown(() => plan.transform(new Uint8Array(8) as never))).toBeInstanceOf(HartleyTypeError);
  });

  it('sparse: positions out of range, duplicates, length mismatches, bad shapes', () => {
    const v = new Float32Array([1, 2]);
    expect(thrown(() => sparseIdht2d(Uint32Array.from([0, 12]), v, 3, 4)).message).toBe(
      'sparseIdht2d: indices[1] = 12 is not an integer position in [0, rows·cols = 3·4 = 12)',
    );
    expect(thrown(() => sparseIdht2d(Uint32Array.from([5, 5]), v, 3, 4)).message).toBe(
      'sparseIdht2d: indices[1] = 5 repeats indices[0] (positions must be distinct)',
    );
    expect(thrown(() => sparseIdht2d(Uint32Array.from([5]), v, 3, 4)).message).toBe('sparseIdht2d: values.length (2) ≠ indices.length (1)');
    expect(thrown(() => sparseIdht2d([1.5, 2], v, 3, 4)).message).toContain('indices[0] = 1.5');
    expect(thrown(() => sparseIdht2d(Uint32Array.from([1]), [1], 3, 4, { scale: Number.POSITIVE_INFINITY })).message).toBe(
      'sparseIdht2d: options.scale must be a finite number, got Infinity',
    );
    const x = new Float64Array(2 * 3);
    expect(thrown(() => sparseSpectrumProduct(x, 2, 4, 5, Uint32Array.from([1]), [1])).message).toBe(
      'sparseSpectrumProduct: tokens·rows (2·4 = 8) ≠ x.length (6)',
    );
    expect(thrown(() => sparseSpectrumProduct(x, 2, 3, 4, Uint32Array.from([1]), [1], { transpose: true })).message).toBe(
      'sparseSpectrumProduct: tokens·cols (2·4 = 8) ≠ x.length (6)',
    );
    expect(thrown(() => sparseSpectrumProduct(x, 2, 3, 5, Uint32Array.from([1]), [1], { out: new Float32Array(3) })).message).toBe(
      'sparseSpectrumProduct: options.out.length (3) ≠ tokens·cols (2·5 = 10)',
    );
    const shared = new Float64Array(20);
    expect(thrown(() => sparseSpectrumProduct(shared.subarray(0, 6), 2, 3, 5, Uint32Array.from([1]), [1], { out: shared.subarray(4, 14) })).message).toContain(
      'options.out overlaps x',
    );
    const same = new Float64Array(8).fill(1);
    expect(sparseSpectrumProduct(same, 2, 4, 4, Uint32Array.from([5]), [1], { out: same })).toBe(same);
    expect(thrown(() => sparseSpectrumGradient(x, new Float64Array(5), 2, 3, 4, Uint32Array.from([1]))).message).toBe(
      'sparseSpectrumGradient: tokens·cols (2·4 = 8) ≠ g.length (5)',
    );
    expect(thrown(() => sparseSpectrumGradient(x, x, -1, 3, 3, [])).message).toBe('sparseSpectrumGradient: tokens must be an integer ≥ 0, got -1');
  });
});
