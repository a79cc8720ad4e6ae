import { fingerprintWeights } from '@ssh-peft/selection';
import { describe, expect, it } from 'vitest';
import { AdapterMismatchError, mergeWeights, verifyBase, verifyBaseModel, type SshAdapter } from '../src/index';
import { thrownBy } from './thrown';

const rows = 6;
const cols = 4;
const w0 = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i + 1));
const transposed = Float32Array.from({ length: rows * cols }, (_, i) => w0[(i % rows) * cols + Math.floor(i / rows)]!);

function adapterFor(weights: Float32Array): SshAdapter {
  return {
    format: 'ssh-peft-adapter',
    version: 2,
    config: { variant: 'separable', normalization: 'backward', init: 'zeros', initStd: 0, seed: 0, selection: {}, metadata: {} },
    layers: [{ name: 'dense', rows, cols, indices: new Uint32Array([1, 9]), coefficients: new Float32Array([1, 2]), alpha: 1, fingerprint: fingerprintWeights(weights, rows, cols) }],
  };
}

const mismatch = (run: () => unknown) => thrownBy(run, AdapterMismatchError);

describe('verifyBase', () => {
  const adapter = adapterFor(w0);

  it('accepts the base it was made for, as float32 or float64', () => {
    expect(() => verifyBase(adapter, 'dense', w0)).not.toThrow();
    expect(() => verifyBase(adapter, 'dense', Float64Array.from(w0), [rows, cols])).not.toThrow();
  });

  it('catches a transposed weight of the same size (declared shape and fingerprint)', () => {
    const e = mismatch(() => verifyBase(adapter, 'dense', transposed, [cols, rows]));
    expect(e.layer).toBe('dense');
    expect(e.message).toMatch(/shape \[4, 6\], the adapter expects \[6, 4\] \(transposed/);
    const f = mismatch(() => verifyBase(adapter, 'dense', transposed));
    expect(f.expected).toBe(adapter.layers[0]!.fingerprint);
    expect(f.actual).toBe(fingerprintWeights(transposed, rows, cols));
    expect(f.message).toMatch(/fingerprint .* ≠ the adapter's/);
  });

  it('catches a different base (one value changed by one float32 ulp) and a wrong size', () => {
    const other = w0.slice();
    other[13] = Math.fround(other[13]! * (1 + 2 ** -23));
    expect(other[13]).not.toBe(w0[13]);
    mismatch(() => verifyBase(adapter, 'dense', other));
    const e = mismatch(() => verifyBase(adapter, 'dense', new Float32Array(25)));
    expect(e.message).toMatch(/base weight has 25 elements, the adapter expects \[6, 4\] = 24/);
  });

  it('mergeWeights verifies the base unless told not to', () => {
    expect(() => mergeWeights(transposed, adapter, 'dense')).toThrow(AdapterMismatchError);
    expect(() => mergeWeights(transposed, adapter, 'dense', { verify: false })).not.toThrow();
  });
});

describe('verifyBaseModel', () => {
  const adapter = adapterFor(w0);

  it('accepts a map or record holding every adapted layer', () => {
    expect(() => verifyBaseModel(adapter, new Map([['dense', w0], ['other', new Float32Array(2)]]))).not.toThrow();
    expect(() => verifyBaseModel(adapter, { dense: { weights: w0, rows, cols } })).not.toThrow();
  });

  it('names a layer of the adapter absent from the base, listing the base layers', () => {
    const e = mismatch(() => verifyBaseModel(adapter, { 'dense.kernel': w0, head: w0 }));
    expect(e.layer).toBe('dense');
    expect(e.message).toMatch(/absent from the base model \(base layers: dense.kernel, head\)/);
  });

  it('reports shape and fingerprint mismatches of present layers', () => {
    mismatch(() => verifyBaseModel(adapter, { dense: { weights: transposed, rows: cols, cols: rows } }));
    mismatch(() => verifyBaseModel(adapter, { dense: transposed }));
  });
});
