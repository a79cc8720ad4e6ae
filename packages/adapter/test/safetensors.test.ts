import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdapterFormatError, decodeSafetensors, encodeSafetensors, MAX_HEADER_BYTES, type SafetensorsDtype } from '../src/index';

/** Builds a safetensors file from a raw header object and data bytes (for malformed inputs). */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(0), headerText?: string): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function expectFormatError(fn: () => unknown, fields: { tensor?: string; offset?: number; message: RegExp }) {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AdapterFormatError);
  const e = error as AdapterFormatError;
  expect(e.message).toMatch(fields.message);
  if (fields.tensor !== undefined) expect(e.tensor).toBe(fields.tensor);
  if (fields.offset !== undefined) expect(e.offset).toBe(fields.offset);
  return e;
}

describe('safetensors container', () => {
  it('round-trips random tensors and metadata, data 8-byte aligned', () => {
    const dtypes: SafetensorsDtype[] = ['U8', 'I16', 'F32', 'I64', 'F64', 'BF16'];
    const tensorArb = fc.record({
      dtype: fc.constantFrom(...dtypes),
      shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s !== '__metadata__'), { maxLength: 4 }), fc.array(tensorArb, { minLength: 4, maxLength: 4 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }), (names, specs, metadata) => {
        const sizes: Record<string, number> = { U8: 1, I16: 2, F32: 4, I64: 8, F64: 8, BF16: 2 };
        const tensors = names.map((name, i) => {
          const { dtype, shape } = specs[i]!;
          const n = shape.reduce((a, b) => a * b, 1) * sizes[dtype]!;
          return { name, dtype, shape, bytes: Uint8Array.from({ length: n }, (_, j) => (j * 31 + i) & 255) };
        });
        const bytes = encodeSafetensors(tensors, metadata);
        const headerLength = new DataView(bytes.buffer).getUint32(0, true);
        expect((8 + headerLength) % 8).toBe(0);
        const file = decodeSafetensors(bytes);
        expect({ ...file.metadata }).toEqual(Object.keys(metadata).length ? metadata : {});
        // Data-offset order; zero-byte tensors share an offset, so their relative order is not defined.
        expect([...file.tensors.keys()].sort()).toEqual([...names].sort());
        const offsets = [...file.tensors.values()].map((t) => t.fileOffset);
        expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
        for (const t of tensors) {
          const got = file.tensors.get(t.name)!;
          expect(got.dtype).toBe(t.dtype);
          expect(got.shape).toEqual(t.shape);
          expect([...got.bytes]).toEqual([...t.bytes]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('accepts tensors listed out of offset order when they tile the buffer', () => {
    const header = { b: { dtype: 'U8', shape: [1], data_offsets: [2, 3] }, a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] } };
    const file = decodeSafetensors(rawFile(header, new Uint8Array([1, 2, 3])));
    expect([...file.tensors.get('b')!.bytes]).toEqual([3]);
  });

  it('rejects a file shorter than the 8-byte length', () => {
    expectFormatError(() => decodeSafetensors(new Uint8Array(5), { file: 'x.safetensors' }), { offset: 5, message: /file "x.safetensors".*truncated: 5 bytes/ });
  });

  it('rejects a header length larger than the file', () => {
    const f = rawFile({});
    new DataView(f.buffer).setUint32(0, 1000, true);
    expectFormatError(() => decodeSafetensors(f), { message: /header length 1000 needs 1008 bytes, the file has 10/ });
  });

  it('rejects a header length above the cap before allocating (u64 high word and low word)', () => {
    const f = rawFile({});
    new DataView(f.buffer).setUint32(4, 7, true);
    expectFormatError(() => decodeSafetensors(f), { offset: 0, message: new RegExp(`header length ${7n * 2n ** 32n + 2n} exceeds the cap of ${MAX_HEADER_BYTES}`) });
    const g = rawFile({});
    new DataView(g.buffer).setUint32(0, MAX_HEADER_BYTES + 1, true);
    expectFormatError(() => decodeSafetensors(g), { offset: 0, message: /exceeds the cap/ });
    expectFormatError(() => decodeSafetensors(rawFile({ a: 1 }), { maxHeaderBytes: 4 }), { message: /header length 7 exceeds the cap of 4/ });
  });

  it('rejects malformed header JSON, non-objects and invalid UTF-8', () => {
    expectFormatError(() => decodeSafetensors(rawFile(null, undefined, '{"a": ')), { offset: 8, message: /header is not valid JSON/ });
    expectFormatError(() => decodeSafetensors(rawFile(null, undefined, '[1, 2]')), { offset: 8, message: /does not start with '\{'/ });
    expectFormatError(() => decodeSafetensors(rawFile(null, undefined, '{}x')), { message: /not valid JSON/ });
    const bad = rawFile(null, undefined, '{"\u00e9":1}');
    bad[10] = 0xff;
    expectFormatError(() => decodeSafetensors(bad), { offset: 8, message: /not valid UTF-8/ });
  });

  it('rejects bad tensor entries: unknown dtype, bad shape, unknown field, non-string metadata', () => {
    expectFormatError(() => decodeSafetensors(rawFile({ t: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } })), { tensor: 't', message: /unknown dtype "F128"/ });
    expectFormatError(() => decodeSafetensors(rawFile({ t: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } })), { tensor: 't', message: /shape\[0\] = number -1/ });
    expectFormatError(() => decodeSafetensors(rawFile({ t: { dtype: 'F32', shape: [1.5], data_offsets: [0, 0] } })), { tensor: 't', message: /shape\[0\]/ });
    expectFormatError(() => decodeSafetensors(rawFile({ t: { dtype: 'F32', shape: [1], data_offsets: [0, 4], extra: 1 } }, new Uint8Array(4))), { tensor: 't', message: /unknown field "extra"/ });
    expectFormatError(() => decodeSafetensors(rawFile({ __metadata__: { k: 3 } })), { message: /metadata key "k".*expected a string/ });
    expectFormatError(() => decodeSafetensors(rawFile({ __metadata__: ['a'] })), { message: /__metadata__ is an array of length 1, expected an object of strings/ });
    expect(decodeSafetensors(rawFile({ __metadata__: null })).metadata).toEqual({});
    expectFormatError(() => decodeSafetensors(rawFile({ t: { dtype: 'F32', shape: [1], data_offsets: [0] } })), { tensor: 't', message: /expected \[start, end\]/ });
  });

  it('rejects dtype × shape that disagree with the byte length', () => {
    expectFormatError(() => decodeSafetensors(rawFile({ t: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }, new Uint8Array(20))), {
      tensor: 't',
      message: /dtype F32 × shape \[2, 3\] = 24 bytes, but data_offsets \[0, 20\] span 20/,
    });
  });

  it('rejects overlapping, gapped, reversed and out-of-bounds data_offsets', () => {
    const two = (a: [number, number], b: [number, number], len: number) =>
      rawFile({ a: { dtype: 'U8', shape: [a[1] - a[0]], data_offsets: a }, b: { dtype: 'U8', shape: [Math.max(0, b[1] - b[0])], data_offsets: b } }, new Uint8Array(len));
    const h = (f: Uint8Array) => 8 + new DataView(f.buffer).getUint32(0, true);
    let f = two([0, 4], [2, 6], 6);
    expectFormatError(() => decodeSafetensors(f), { tensor: 'b', offset: h(f) + 2, message: /overlap the previous tensor, which ends at 4/ });
    f = two([0, 2], [3, 5], 5);
    expectFormatError(() => decodeSafetensors(f), { tensor: 'b', offset: h(f) + 2, message: /leave a gap/ });
    f = two([0, 2], [2, 6], 4);
    expectFormatError(() => decodeSafetensors(f), { tensor: 'b', message: /run past the end of the data buffer \(4 bytes/ });
    f = two([0, 2], [2, 4], 7);
    expectFormatError(() => decodeSafetensors(f), { offset: h(f) + 4, message: /3 trailing bytes/ });
    expectFormatError(() => decodeSafetensors(rawFile({ t: { dtype: 'U8', shape: [0], data_offsets: [4, 0] } }, new Uint8Array(4))), { tensor: 't', message: /end before they start/ });
  });

  it('keeps a "__proto__" metadata key as data', () => {
    const f = rawFile(null, undefined, '{"__metadata__":{"__proto__":"x"}}');
    const file = decodeSafetensors(f);
    expect(Object.getPrototypeOf(file.metadata)).toBe(Object.prototype);
    expect(file.metadata['__proto__']).toBe('x');
  });
});
