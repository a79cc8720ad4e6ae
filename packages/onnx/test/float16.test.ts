import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from '../src/float16';
import { encodeValues, readTensorValues } from '../src/tensor-values';

/** Slow reference: every non-negative finite half value by enumeration (the bit pattern order is the value order). */
const HALF_VALUES: number[] = [];
for (let h = 0; h <= 0x7c00; h++) HALF_VALUES.push(h === 0x7c00 ? 65536 : referenceHalfValue(h));

function referenceHalfValue(h: number): number {
  const exp = h >> 10;
  const frac = h & 0x3ff;
  return exp === 0 ? frac / 1024 / 2 ** 14 : (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Nearest half by searching the table, ties to the even pattern; 65536 stands for the overflow to Infinity. */
function referenceToHalf(v: number): number {
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  let lo = 0;
  let hi = HALF_VALUES.length - 1;
  if (a >= HALF_VALUES[hi]!) return sign | 0x7c00;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (HALF_VALUES[mid]! <= a) lo = mid;
    else hi = mid;
  }
  const dLo = a - HALF_VALUES[lo]!;
  const dHi = HALF_VALUES[hi]! - a;
  const pick = dLo < dHi ? lo : dHi < dLo ? hi : lo % 2 === 0 ? lo : hi;
  return sign | pick;
}

function referenceToBfloat16(v: number): number {
  const f = Math.fround(v);
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, f);
  const bits = view.getUint32(0);
  const truncated = bits >>> 16;
  const lower = bfloat16ToFloat(truncated);
  // Past the largest finite value the next neighbour is ±2^128 (rounding there gives ±Infinity).
  const next = bfloat16ToFloat(truncated + 1);
  const upper = Number.isFinite(next) ? next : Math.sign(next) * 2 ** 128;
  const dLo = Math.abs(f - lower);
  const dHi = Math.abs(upper - f);
  return dLo < dHi ? truncated : dHi < dLo ? (truncated + 1) & 0xffff : truncated % 2 === 0 ? truncated : (truncated + 1) & 0xffff;
}

const finiteFloat32 = fc.float({ noNaN: true, noDefaultInfinity: true });
/** Exact midpoints between neighbouring halves (both signs): where round-to-even matters. */
const halfway = fc.tuple(fc.integer({ min: 0, max: 0x7bfe }), fc.boolean()).map(([h, negative]) => (negative ? -1 : 1) * ((referenceHalfValue(h) + referenceHalfValue(h + 1)) / 2));

describe('float16 / bfloat16 conversion', () => {
  it('floatToHalf equals the table-search reference (random float32, near-halfway and subnormal values)', () => {
    fc.assert(
      fc.property(fc.oneof(finiteFloat32, halfway, fc.float({ min: Math.fround(-70000), max: Math.fround(70000), noNaN: true }), fc.float({ min: Math.fround(-1e-4), max: Math.fround(1e-4), noNaN: true })), (v) => {
        expect(floatToHalf(v)).toBe(referenceToHalf(Math.fround(v)));
      }),
      { numRuns: 5000 },
    );
  });

  it('exact halfway cases round to even', () => {
    for (let h = 0; h < 0x7bff; h += 37) {
      const mid = (referenceHalfValue(h) + referenceHalfValue(h + 1)) / 2;
      if (Math.fround(mid) !== mid) continue;
      expect(floatToHalf(mid)).toBe(h % 2 === 0 ? h : h + 1);
    }
  });

  it('halfToFloat inverts floatToHalf on every finite half', () => {
    const wrong: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00) continue;
      if (floatToHalf(halfToFloat(h)) !== h) wrong.push(h);
    }
    expect(wrong).toEqual([]);
  });

  it('floatToBfloat16 equals the nearest-neighbour reference', () => {
    fc.assert(
      fc.property(finiteFloat32, (v) => {
        const expected = referenceToBfloat16(v);
        const got = floatToBfloat16(v);
        expect(got).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it.each(['float32', 'float16', 'bfloat16', 'float64'] as const)('encodeValues/readTensorValues round trip for %s (random lengths)', (dtype) => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -1000, max: 1000, noNaN: true }), { maxLength: 37 }), (values) => {
        const raw = encodeValues(values, dtype, 't');
        const code = { float32: 1, float16: 10, bfloat16: 16, float64: 11 }[dtype];
        // Decoders hand out views into a larger buffer at any offset: read from an odd one.
        const padded = new Uint8Array(raw.length + 8);
        padded.set(raw, 3);
        const back = readTensorValues({ name: 't', dataType: code, dims: [values.length], rawData: padded.subarray(3, 3 + raw.length) });
        const round = dtype === 'float16' ? (v: number) => halfToFloat(floatToHalf(v)) : dtype === 'bfloat16' ? (v: number) => bfloat16ToFloat(floatToBfloat16(v)) : dtype === 'float32' ? Math.fround : (v: number) => v;
        expect(Array.from(back)).toEqual(values.map(round));
      }),
      { numRuns: 200 },
    );
  });

  it('the typed fields (float_data, int32_data for halves) are read too', () => {
    expect(Array.from(readTensorValues({ name: 'a', dataType: 1, dims: [2], floatData: [1.5, -2] }))).toEqual([1.5, -2]);
    expect(Array.from(readTensorValues({ name: 'h', dataType: 10, dims: [2], int32Data: [0x3c00, 0xc000] }))).toEqual([1, -2]);
    expect(() => readTensorValues({ name: 'h', dataType: 10, dims: [3], int32Data: [0x3c00] })).toThrow(/holds 1 values .* needs 3/);
    expect(() => readTensorValues({ name: 'i', dataType: 7, dims: [1] })).toThrow(/data_type 7 is not a float type/);
  });
});
